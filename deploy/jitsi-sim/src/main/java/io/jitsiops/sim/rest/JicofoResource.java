package io.jitsiops.sim.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jitsi.health.Result;

import io.jitsiops.sim.jitsi.Jicofo;
import io.jitsiops.sim.service.FaultRegistry;
import io.smallrye.mutiny.Uni;

/**
 * jicofo's REST interface (port 8888 on a real host; jicofo {@code ktor/Application.kt}): {@code /about/health}
 * ("OK", or the failure text as text/plain with 500 hard / 503 soft), {@code /stats}, {@code /metrics}.
 * Fault target: {@code jicofo}.
 */
@Path("/jicofo")
public class JicofoResource {
    private final Jicofo jicofo;
    private final FaultRegistry faults;

    public JicofoResource(Jicofo jicofo, FaultRegistry faults) {
        this.jicofo = jicofo;
        this.faults = faults;
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
