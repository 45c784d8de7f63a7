package io.jitsiops.alert.receiver;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jitsiops.alert.config.Secret;
import io.jitsiops.alert.notify.DeliveryResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * Sends JSON (a POST, or a PUT for Matrix) to one receiver's secret URL over a pool of keep-alive HTTP/1.1 connections (Vert.x's client on the
 * event loops Quarkus already runs), as many as the receiver's queue lets notifications be in flight. One poster
 * per receiver, so a slow or failing receiver holds only its own connections. Not a {@code @RegisterRestClient}:
 * each receiver's URL comes from configuration and is itself the credential, which a REST client interface with one
 * base URL does not fit; and the JDK client used before spent most of a fan-out opening connections and in its
 * single selector thread. Whatever goes wrong, the error text is cleaned of the URL.
 */
public final class HttpPoster {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Secret url;
    private final Secret bearer;
    private final HttpClient client;
    private final RequestOptions request;

    /**
     * @param timeout  of each attempt: to obtain a connection, then without an answer
     * @param poolSize connections kept to the receiver (its {@code max-in-flight})
     */
    public HttpPoster(Vertx vertx, Secret url, Duration timeout, int poolSize) {
        this(vertx, url, timeout, poolSize, HttpMethod.POST, null);
    }

    /**
     * @param method POST, or PUT for an API whose path names the request (Matrix's transaction id)
     * @param bearer sent as {@code Authorization: Bearer …} when not null (Matrix's access token)
     */
    public HttpPoster(Vertx vertx, Secret url, Duration timeout, int poolSize, HttpMethod method, Secret bearer) {
        this.url = url;
        this.bearer = bearer;
        RequestOptions r = null;
        HttpClient c = null;
        try {
            URI uri = URI.create(url.reveal());
            boolean tls = "https".equalsIgnoreCase(uri.getScheme());
            c = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setSsl(tls).setVerifyHost(tls)
                            .setConnectTimeout((int) Math.min(5000, timeout.toMillis())).setKeepAliveTimeout(30),
                    new PoolOptions().setHttp1MaxSize(Math.max(1, poolSize)).setMaxWaitQueueSize(-1));
            // the time-out of an attempt: to obtain a pooled connection (connect included), then without an answer
            r = new RequestOptions().setMethod(method).setAbsoluteURI(url.reveal()).setFollowRedirects(false)
                    .setConnectTimeout(timeout.toMillis()).setIdleTimeout(timeout.toMillis())
                    .putHeader("Content-Type", "application/json").putHeader("User-Agent", "jitsi-ops-alert-service");
            if (bearer != null) {
                r.putHeader("Authorization", "Bearer " + bearer.reveal());
            }
        } catch (IllegalArgumentException e) {
            // reported on each send (permanent): the configured URL is not valid
        }
        this.client = c;
        this.request = r;
    }

    /**
     * One POST, its outcome as a {@link DeliveryResult} (never a failed stage). A Vert.x future chain, not a Uni: the
     * fan-out runs it once per notification, and a Mutiny pipeline (with a Mutiny timer for the time-out) captured
     * and restored the thread context at each of its operators. The time-out is the request's own (the receiver's
     * {@code timeout}): at most that to obtain a pooled connection, then at most that without an answer (the pool is
     * as large as the receiver's slots, so a request does not wait behind others for a connection).
     */
    public CompletionStage<DeliveryResult> post(byte[] body, boolean retry429) {
        return send(null, body, retry429);
    }

    /**
     * As {@link #post}, to the configured URL followed by {@code pathSuffix} (already URL-encoded; none when null): the
     * part of the path that names this request, such as Matrix's transaction id.
     */
    public CompletionStage<DeliveryResult> send(String pathSuffix, byte[] body, boolean retry429) {
        if (client == null) {
            return Future.succeededFuture(DeliveryResult.permanent("the configured URL is not valid")).toCompletionStage();
        }
        RequestOptions options = pathSuffix == null ? request
                : new RequestOptions(request).setAbsoluteURI(url.reveal() + pathSuffix);
        Future<DeliveryResult> sent;
        try {
            sent = client.request(options)
                    .compose(req -> req.send(Buffer.buffer(body)))
                    // the body is read to its end so that the connection goes back to the pool
                    .compose(resp -> resp.body().map(answer -> DeliveryResult.ofHttpAnswer(resp.statusCode(),
                            retryAfter(resp.statusCode(), resp.getHeader("Retry-After"), answer), retry429)));
        } catch (RuntimeException e) {
            sent = Future.failedFuture(e);
        }
        return sent.recover(e -> Future.succeededFuture(DeliveryResult.retryable(clean(e)))).toCompletionStage();
    }

    /**
     * How long a 429 asks us to wait: the {@code Retry-After} header in seconds; without it, what the answer's body
     * says, as the APIs that put it there do — Matrix's {@code M_LIMIT_EXCEEDED} error has {@code retry_after_ms}
     * (matrix-spec {@code definitions/errors/rate_limited.yaml}), Telegram's {@code parameters.retry_after} in seconds
     * (Bot API, {@code ResponseParameters}). Anything else: our own back-off.
     */
    static Optional<Duration> retryAfter(int status, String header, Buffer answer) {
        if (status != 429) {
            return Optional.empty();
        }
        if (header != null) {
            return DeliveryResult.retryAfterHeader(header);
        }
        try {
            JsonNode body = JSON.readTree(answer.getBytes());
            if (body != null && body.path("retry_after_ms").canConvertToLong()) {
                return Optional.of(Duration.ofMillis(Math.max(0, body.path("retry_after_ms").asLong())));
            }
            if (body != null && body.path("parameters").path("retry_after").canConvertToLong()) {
                return Optional.of(Duration.ofSeconds(Math.max(0, body.path("parameters").path("retry_after").asLong())));
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: our own back-off
        }
        return Optional.empty();
    }

    /** An exception's description without the URL or the bearer token. */
    private String clean(Throwable e) {
        String text = clean(e, url);
        return bearer == null || bearer.reveal().isEmpty() ? text : text.replace(bearer.reveal(), Secret.MASK);
    }

    public void close() {
        if (client != null) {
            client.close();
        }
    }

    /** An exception's description without the secret URL (or its path, which holds the token). */
    public static String clean(Throwable e, Secret url) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        String u = url.reveal();
        text = text.replace(u, Secret.MASK);
        try {
            String path = URI.create(u).getRawPath();
            if (path != null && path.length() > 1) {
                text = text.replace(path, Secret.MASK);
            }
        } catch (IllegalArgumentException ignored) {
            // not a URI: the whole value was already replaced
        }
        return text;
    }
}
