package io.jitsiops.sim.rest;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.jitsiops.sim.service.ConferenceSimulator;
import io.jitsiops.sim.service.FaultRegistry;
import io.jitsiops.sim.service.SimConference;
import io.smallrye.mutiny.Uni;

/**
 * jicofo's REST interface (port 8888 on a real host): {@code /about/health}, {@code /stats} (JSON with
 * conference and bridge-selector counts) and {@code /metrics} ({@code jitsi_jicofo_*}). Fault target: {@code jicofo}.
 */
@Path("/jicofo")
public class JicofoResource {
    static final String TARGET = "jicofo";
    private final ConferenceSimulator conferences;
    private final FaultRegistry faults;

    public JicofoResource(ConferenceSimulator conferences, FaultRegistry faults) {
        this.conferences = conferences;
        this.faults = faults;
    }

    @GET
    @Path("/about/health")
    public Uni<Response> health() {
        return faults.answer(TARGET, () -> Response.ok().build(),
                () -> Response.serverError().type(MediaType.TEXT_PLAIN).entity("No operational bridges available").build());
    }

    @GET
    @Path("/stats")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> stats() {
        return faults.answer(TARGET, () -> Response.ok(stats0()).build(), () -> Response.serverError().build());
    }

    @GET
    @Path("/metrics")
    @Produces("text/plain; version=0.0.4; charset=utf-8")
    public Uni<Response> metrics() {
        return faults.answer(TARGET, () -> {
            Map<String, Object> s = stats0();
            @SuppressWarnings("unchecked")
            Map<String, Object> selector = (Map<String, Object>) s.get("bridge_selector");
            return Response.ok(new JvbResource.PrometheusText()
                    .gauge("jitsi_jicofo_conferences", "Running count of conferences", s.get("conferences"))
                    .gauge("jitsi_jicofo_participants", "Number of participants", s.get("participants"))
                    .gauge("jitsi_jicofo_largest_conference", "The number of participants in the largest conference", s.get("largest_conference"))
                    .gauge("jitsi_jicofo_bridge_selector_bridge_count", "The number of bridges", selector.get("bridge_count"))
                    .gauge("jitsi_jicofo_bridge_selector_operational_bridge_count", "The number of operational bridges", selector.get("operational_bridge_count"))
                    .toString()).build();
        }, () -> Response.serverError().build());
    }

    private Map<String, Object> stats0() {
        int participants = conferences.allConferences().stream().mapToInt(SimConference::participants).sum();
        int largest = conferences.allConferences().stream().mapToInt(SimConference::participants).max().orElse(0);
        long operational = conferences.bridges().stream().filter(b -> faults.of(b).isEmpty()).count();
        Map<String, Object> selector = new LinkedHashMap<>();
        selector.put("bridge_count", conferences.bridges().size());
        selector.put("operational_bridge_count", operational);
        selector.put("in_shutdown_bridge_count", 0);
        selector.put("lost_bridges", conferences.bridges().size() - operational);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("conferences", conferences.allConferences().size());
        s.put("participants", participants);
        s.put("largest_conference", largest);
        s.put("bridge_selector", selector);
        s.put("jibri_detector", Map.of("count", 0, "available", 0));
        return s;
    }
}
