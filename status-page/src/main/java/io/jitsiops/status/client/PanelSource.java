package io.jitsiops.status.client;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.jitsiops.status.config.StatusPageConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;

/**
 * Fetches one panel's JSON from the service that owns it. The answer is passed through untouched when the service
 * answers; otherwise it becomes a 503 whose JSON says which service, where, and what went wrong, so the page shows
 * that instead of an empty panel. Operators' actions (acknowledge, silence) go through {@link #forward} with
 * their bearer token. Non-blocking (Vert.x web client) and bounded by the configured timeout; no
 * retry here: the page polls again on its own schedule.
 */
@ApplicationScoped
public class PanelSource {
    private static final int MAX_REASON_CHARS = 300;
    private final WebClient client;
    private final long timeoutMillis;

    static final String TOTAL_COUNT = "X-Total-Count";

    public PanelSource(Vertx vertx, StatusPageConfig config) {
        this.timeoutMillis = config.timeout().toMillis();
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setConnectTimeout((int) timeoutMillis)
                .setMaxPoolSize(4)
                .setKeepAlive(true)
                .setFollowRedirects(false)
                .setUserAgent("jitsi-ops-status-page"));
    }

    /**
     * Fetches a panel's JSON from the service that owns it; its {@code X-Total-Count} (how many match beyond the
     * list's limit) is passed on, so the page can say what it does not show.
     */
    public Uni<Response> fetch(String service, URI base, String pathAndQuery) {
        String url = base.toString().replaceAll("/+$", "") + pathAndQuery;
        return client.getAbs(url)
                .timeout(timeoutMillis)
                .putHeader("Accept", MediaType.APPLICATION_JSON)
                .send()
                .map(answer -> answer.statusCode() < 400
                        ? Response.ok(answer.bodyAsString(), MediaType.APPLICATION_JSON_TYPE)
                                .header(TOTAL_COUNT, answer.getHeader(TOTAL_COUNT)).build()
                        : unavailable(service, base, "answered HTTP " + answer.statusCode()
                                + excerpt(answer.bodyAsString())))
                .onFailure().recoverWithItem(failure -> unavailable(service, base, reason(failure)));
    }

    /**
     * Sends an operator's action (a POST with a JSON body) to the service that owns it, with the caller's
     * {@code Authorization} header passed on unchanged: the owning service decides who may act (401/403 come back as
     * they are, so the page can say why). Neither the header nor the body is logged. Unreachable: 503 as for panels.
     */
    public Uni<Response> forward(String service, URI base, String path, String authorization, String jsonBody) {
        String url = base.toString().replaceAll("/+$", "") + path;
        var request = client.postAbs(url)
                .timeout(timeoutMillis)
                .putHeader("Accept", MediaType.APPLICATION_JSON)
                .putHeader("Content-Type", MediaType.APPLICATION_JSON);
        if (authorization != null && !authorization.isBlank()) {
            request.putHeader("Authorization", authorization);
        }
        return request.sendBuffer(io.vertx.mutiny.core.buffer.Buffer.buffer(jsonBody == null || jsonBody.isBlank() ? "{}" : jsonBody))
                .map(answer -> {
                    Response.ResponseBuilder out = Response.status(answer.statusCode());
                    String body = answer.bodyAsString();
                    if (body != null && !body.isEmpty()) {
                        String type = answer.getHeader("Content-Type");
                        out.entity(body).type(type == null ? MediaType.APPLICATION_JSON : type);
                    }
                    return out.build();
                })
                .onFailure().recoverWithItem(failure -> unavailable(service, base, reason(failure)));
    }

    static Response unavailable(String service, URI base, String reason) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("service", service);
        body.put("url", base.toString());
        body.put("unavailable", reason);
        return Response.status(Response.Status.SERVICE_UNAVAILABLE).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }

    private static String excerpt(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String oneLine = body.replaceAll("\\s+", " ").trim();
        return ": " + (oneLine.length() > MAX_REASON_CHARS ? oneLine.substring(0, MAX_REASON_CHARS) + "…" : oneLine);
    }

    static String reason(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        if (root instanceof java.net.ConnectException || message.contains("Connection refused")) {
            return "not reachable (connection refused)";
        }
        if (root instanceof java.util.concurrent.TimeoutException || message.contains("timeout")) {
            return "no answer within the status page's timeout";
        }
        return message;
    }
}
