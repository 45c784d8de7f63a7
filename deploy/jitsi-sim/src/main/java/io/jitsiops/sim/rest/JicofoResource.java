package io.jitsiops.sim.rest;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jitsi.health.Result;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.jivesoftware.smack.packet.StanzaError;

import io.jitsiops.sim.jitsi.Focus;
import io.jitsiops.sim.jitsi.Jicofo;
import io.jitsiops.sim.service.Fault;
import io.jitsiops.sim.service.FaultRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * jicofo's REST interface (port 8888 on a real host; jicofo {@code ktor/Application.kt}): {@code /about/health}
 * ("OK", or the failure text as text/plain with 500 hard / 503 soft), {@code /stats}, {@code /metrics}, and
 * {@code POST /conference-request/v1} (jicofo {@code ktor/Application.kt} at 7ebb13d, {@code rest.conference-request
 * .enabled} true by default; jitsi-meet posts there when {@code config.conferenceRequestUrl} is set, through nginx).
 * Fault targets: {@code jicofo}; {@code focus} and {@code focus-auth} for conference requests (see {@link Focus}).
 */
@Path("/jicofo")
public class JicofoResource {
    private final Jicofo jicofo;
    private final FaultRegistry faults;
    private final Focus focus;

    public JicofoResource(Jicofo jicofo, FaultRegistry faults, Focus focus) {
        this.jicofo = jicofo;
        this.faults = faults;
        this.focus = focus;
    }

    /** jicofo's ConferenceRequest.kt: the JSON form of ConferenceIq, empty fields left out. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record ConferenceRequest(String room, Boolean ready, String focusJid, String sessionId, String machineUid,
                                    String identity, String vnode, Map<String, String> properties) {
    }

    /**
     * Answers as jicofo's route does: the ConferenceRequest JSON; not-authorized is 403 with body "Error",
     * not-acceptable 400 "Bad request: invalid-session", any other error 400 "Bad request: …" (ExceptionHandler).
     * With fault {@code focus} DOWN, no answer comes from jicofo and nginx gives up after proxy_read_timeout (60 s): 504.
     */
    @POST
    @Path("/conference-request/v1")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> conferenceRequest(ConferenceRequest request) {
        if (faults.of(Focus.TARGET).filter(f -> f.kind() == Fault.Kind.DOWN).isPresent()) {
            return Uni.createFrom().item(() -> Response.status(504).type(MediaType.TEXT_HTML)
                    .entity("<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n<center><h1>504 "
                            + "Gateway Time-out</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
                    .build()).onItem().delayIt().by(Duration.ofSeconds(60));
        }
        return Uni.createFrom().item(() -> answer(request)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private Response answer(ConferenceRequest request) {
        if (request == null) {
            return text(400, "Bad request: no body");
        }
        Focus.Answer a = focus.handle(new Focus.Request(request.room(),
                request.properties() == null ? Map.of() : request.properties()));
        if (a == null) {
            return text(504, "Gateway Time-out");
        }
        if (a.error() == StanzaError.Condition.not_authorized) {
            return text(403, "Error");
        }
        if (a.error() == StanzaError.Condition.not_acceptable) {
            return text(400, "Bad request: invalid-session");
        }
        if (a.error() != null) {
            return text(400, "Bad request: " + a.error() + (a.errorText() == null ? "" : " " + a.errorText()));
        }
        return Response.ok(new ConferenceRequest(a.room(), a.ready(), a.focusJid(), null, null, null, null,
                new LinkedHashMap<>(a.properties()))).type(MediaType.APPLICATION_JSON).build();
    }

    private static Response text(int status, String body) {
        return Response.status(status).type(MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8")).entity(body).build();
    }

    @GET
    @Path("/about/health")
    public Uni<Response> health() {
        return faults.answer(Jicofo.TARGET, this::health0, this::health0);
    }

    private Response health0() {
        Result r = jicofo.health();
        if (r.getSuccess()) {
            // ktor's call.respond("OK"): a text/plain body.
            return Response.ok("OK").type(MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8")).build();
        }
        int status = r.getResponseCode() != null ? r.getResponseCode() : r.getHardFailure() ? 500 : 503;
        return Response.status(status).type(MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8"))
                .entity(r.getMessage() == null ? "Unknown error." : r.getMessage()).build();
    }

    @GET
    @Path("/stats")
    public Uni<Response> stats() {
        return faults.answer(Jicofo.TARGET, this::stats0, this::stats0);
    }

    private Response stats0() {
        return Response.ok(jicofo.stats().toString()).type(MediaType.APPLICATION_JSON).build();
    }

    /** jicofo sorts Accept by quality and uses the same MetricsContainer negotiation as the bridge. */
    @GET
    @Path("/metrics")
    public Uni<Response> metrics(@HeaderParam("Accept") String accept) {
        return faults.answer(Jicofo.TARGET, () -> JvbResource.metrics(jicofo.metrics(), accept),
                () -> JvbResource.metrics(jicofo.metrics(), accept));
    }
}
