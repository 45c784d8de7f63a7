package io.jitsiops.sim.rest;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jitsi.health.Result;
import org.jitsi.metrics.MetricsContainer;

import io.jitsiops.sim.jitsi.Bridge;
import io.jitsiops.sim.jitsi.Bridges;
import io.jitsiops.sim.service.FaultRegistry;
import io.smallrye.mutiny.Uni;
import kotlin.Pair;

/**
 * A jitsi-videobridge's private REST interface (port 8080 on a real bridge), under {@code /jvb/<bridge>}; each bridge
 * also has its own port (see {@code /admin/jitsi/ports}) so that a crash can really refuse connections. Formats and
 * their upstream sources: FORMATS.md.
 */
@Path("/jvb/{bridge}")
public class JvbResource {
    private final Bridges bridges;
    private final FaultRegistry faults;

    public JvbResource(Bridges bridges, FaultRegistry faults) {
        this.bridges = bridges;
        this.faults = faults;
    }

    /**
     * jicoco-jetty {@code org.jitsi.rest.Health}: 200 with an empty body (declared application/json) when the cached
     * result is a success; otherwise the result's response code, or 500 for a hard and 503 for a soft failure, with
     * the failure message as the body.
     */
    @GET
    @Path("/about/health")
    public Uni<Response> health(@PathParam("bridge") String bridge) {
        Bridge b = known(bridge);
        return faults.answer(bridge, () -> health(b.health()), () -> health(b.health()));
    }

    static Response health(Result result) {
        if (result.getSuccess()) {
            return Response.ok().type(MediaType.APPLICATION_JSON).build();
        }
        int status = result.getResponseCode() != null ? result.getResponseCode() : result.getHardFailure() ? 500 : 503;
        Response.ResponseBuilder r = Response.status(status).type(MediaType.APPLICATION_JSON);
        return result.getMessage() == null ? r.build() : r.entity(result.getMessage()).build();
    }

    /** {@code /colibri/stats}: 404 unless the bridge's REST API is enabled (videobridge.apis.rest.enabled). */
    @GET
    @Path("/colibri/stats")
    public Uni<Response> stats(@PathParam("bridge") String bridge) {
        Bridge b = known(bridge);
        if (!b.restApiEnabled()) {
            return Uni.createFrom().item(Response.status(404).build());
        }
        return faults.answer(bridge, () -> json(bridges.colibriStats(b).toString()), () -> json(bridges.colibriStats(b).toString()));
    }

    /** {@code /metrics}: jicoco's MetricsContainer with JVB's content negotiation (rest/prometheus/Prometheus.java). */
    @GET
    @Path("/metrics")
    public Uni<Response> metrics(@PathParam("bridge") String bridge, @HeaderParam("Accept") String accept) {
        Bridge b = known(bridge);
        return faults.answer(bridge, () -> metrics(b.metrics(), accept), () -> metrics(b.metrics(), accept));
    }

    /**
     * Prometheus.java sorts the Accept header's media types by q value and hands "type/subtype" to
     * {@code MetricsContainer.getMetrics}, which answers OpenMetrics for none or {@code *}{@code /*}, 0.0.4 text for
     * text/plain, JSON for application/json, and throws for anything else (a 500 from the bridge). Without an Accept
     * header the real bridge fails on a null header; the simulator treats that as {@code *}{@code /*}.
     */
    static Response metrics(MetricsContainer container, String accept) {
        List<String> types = accept == null || accept.isBlank() ? List.of("*/*") : Arrays.stream(accept.split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).map(MediaType::valueOf)
                .sorted(Comparator.comparingDouble(JvbResource::q).reversed())
                .map(m -> m.getType() + "/" + m.getSubtype()).toList();
        try {
            Pair<String, String> m = container.getMetrics(types);
            return Response.ok(m.getFirst()).header("Content-Type", m.getSecond()).build();
        } catch (Exception e) { // Kotlin throws the undeclared checked NoSupportedMediaTypeException
            if (e instanceof MetricsContainer.NoSupportedMediaTypeException) {
                return Response.serverError().type(MediaType.TEXT_PLAIN).entity(e.getMessage()).build();
            }
            throw e;
        }
    }

    private static double q(MediaType m) {
        String q = m.getParameters().get("q");
        return q == null ? 1.0 : Double.parseDouble(q);
    }

    /** {@code /debug}: SHORT unless {@code full=true}; health appended (rest/root/debug/Debug.java). */
    @GET
    @Path("/debug")
    public Uni<Response> debug(@PathParam("bridge") String bridge, @QueryParam("full") @DefaultValue("false") boolean full) {
        Bridge b = known(bridge);
        return faults.answer(bridge, () -> json(bridges.debug(b, full).toString()), () -> json(bridges.debug(b, full).toString()));
    }

    @GET
    @Path("/debug/{conference}")
    public Uni<Response> conferenceDebug(@PathParam("bridge") String bridge, @PathParam("conference") String conference,
                                         @QueryParam("full") @DefaultValue("true") boolean full) {
        Bridge b = known(bridge);
        return faults.answer(bridge, () -> json(bridges.debug(b, conference, null, full).toString()),
                () -> json(bridges.debug(b, conference, null, full).toString()));
    }

    @GET
    @Path("/debug/{conference}/{endpoint}")
    public Uni<Response> endpointDebug(@PathParam("bridge") String bridge, @PathParam("conference") String conference,
                                       @PathParam("endpoint") String endpoint,
                                       @QueryParam("full") @DefaultValue("true") boolean full) {
        Bridge b = known(bridge);
        return faults.answer(bridge, () -> json(bridges.debug(b, conference, endpoint, full).toString()),
                () -> json(bridges.debug(b, conference, endpoint, full).toString()));
    }

    private static Response json(String body) {
        return Response.ok(body).type(MediaType.APPLICATION_JSON).build();
    }

    private Bridge known(String bridge) {
        return bridges.bridge(bridge).orElseThrow(() -> new NotFoundException("no bridge " + bridge));
    }
}
