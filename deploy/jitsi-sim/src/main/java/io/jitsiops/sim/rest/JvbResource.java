package io.jitsiops.sim.rest;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.jitsiops.sim.service.ConferenceSimulator;
import io.jitsiops.sim.service.FaultRegistry;
import io.jitsiops.sim.service.SimConference;
import io.smallrye.mutiny.Uni;

/**
 * A jitsi-videobridge's private REST interface: {@code /about/health} (200 with an empty body when healthy,
 * 500 with the failure otherwise), {@code /colibri/stats} (JSON, doc/statistics.md), {@code /metrics}
 * (Prometheus text, {@code jitsi_jvb_*}) and {@code /debug} (per-conference state; a subset of the real
 * bridge's debug document with per-conference quality). Base path: {@code /jvb/<bridge>}.
 */
@Path("/jvb/{bridge}")
public class JvbResource {
    private final ConferenceSimulator conferences;
    private final FaultRegistry faults;

    public JvbResource(ConferenceSimulator conferences, FaultRegistry faults) {
        this.conferences = conferences;
        this.faults = faults;
    }

    @GET
    @Path("/about/health")
    public Uni<Response> health(@PathParam("bridge") String bridge) {
        known(bridge);
        return faults.answer(bridge, () -> Response.ok().build(),
                () -> Response.serverError().type(MediaType.TEXT_PLAIN)
                        .entity("Health check failed: java.lang.Exception: Failed to bind single-port ICE harvester").build());
    }

    @GET
    @Path("/colibri/stats")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> stats(@PathParam("bridge") String bridge) {
        known(bridge);
        return faults.answer(bridge, () -> Response.ok(conferences.colibriStats(bridge)).build(),
                () -> Response.serverError().build());
    }

    @GET
    @Path("/metrics")
    @Produces("text/plain; version=0.0.4; charset=utf-8")
    public Uni<Response> metrics(@PathParam("bridge") String bridge) {
        known(bridge);
        return faults.answer(bridge, () -> {
            Map<String, Object> s = conferences.colibriStats(bridge);
            PrometheusText text = new PrometheusText()
                    .gauge("jitsi_jvb_conferences", "Number of conferences", s.get("conferences"))
                    .gauge("jitsi_jvb_participants", "Number of participants", s.get("participants"))
                    .gauge("jitsi_jvb_largest_conference", "The size of the largest conference", s.get("largest_conference"))
                    .gauge("jitsi_jvb_endpoints_sending_video", "Number of endpoints sending video", s.get("endpoints_sending_video"))
                    .gauge("jitsi_jvb_endpoints_sending_audio", "Number of endpoints sending audio", s.get("endpoints_sending_audio"))
                    .gauge("jitsi_jvb_stress_level", "current stress level on the bridge, with 0 indicating no load and 1 indicating the load is at full capacity (though values >1 are permitted)", s.get("stress_level"))
                    .gauge("jitsi_jvb_bit_rate_download", "Incoming bitrate in kbps", s.get("bit_rate_download"))
                    .gauge("jitsi_jvb_bit_rate_upload", "Outgoing bitrate in kbps", s.get("bit_rate_upload"))
                    .gauge("jitsi_jvb_jitter_aggregate", "Average jitter in milliseconds", s.get("jitter_aggregate"))
                    .gauge("jitsi_jvb_rtt_aggregate", "round-trip-time measured via RTCP averaged over all local endpoints with a valid RTT measurement in milliseconds", s.get("rtt_aggregate"))
                    .gauge("jitsi_jvb_loss_rate_download", "Fraction of lost incoming RTP packets", s.get("loss_rate_download"))
                    .gauge("jitsi_jvb_threads", "current number of JVM threads", s.get("threads"))
                    .gauge("jitsi_jvb_healthy", "Whether the bridge is healthy", 1)
                    .gauge("jitsi_jvb_drain", "Whether the bridge is in drain mode", Boolean.TRUE.equals(s.get("drain")) ? 1 : 0)
                    .counter("jitsi_jvb_conferences_created_total", "Number of conferences created", s.get("total_conferences_created"));
            return Response.ok(text.toString()).build();
        }, () -> Response.serverError().build());
    }

    @GET
    @Path("/debug")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> debug(@PathParam("bridge") String bridge) {
        known(bridge);
        return faults.answer(bridge, () -> {
            Map<String, Object> confs = new LinkedHashMap<>();
            for (SimConference c : conferences.conferences(bridge)) {
                Map<String, Object> conf = new LinkedHashMap<>();
                conf.put("name", c.room());
                conf.put("meeting_id", c.id());
                conf.put("endpoints_count", c.participants());
                conf.put("quality", conferences.quality(c));
                confs.put(c.id(), conf);
            }
            return Response.ok(Map.of("time", System.currentTimeMillis(), "conferences", confs,
                    "health", Map.of("healthy", true), "drain", conferences.draining(bridge))).build();
        }, () -> Response.serverError().build());
    }

    private void known(String bridge) {
        if (!conferences.isBridge(bridge)) {
            throw new NotFoundException("no bridge " + bridge + "; simulated: " + conferences.bridges());
        }
    }

    /** Prometheus text exposition format 0.0.4. */
    static final class PrometheusText {
        private final StringBuilder sb = new StringBuilder();

        PrometheusText gauge(String name, String help, Object value) {
            return metric("gauge", name, help, value);
        }

        PrometheusText counter(String name, String help, Object value) {
            return metric("counter", name, help, value);
        }

        private PrometheusText metric(String type, String name, String help, Object value) {
            sb.append("# HELP ").append(name).append(' ').append(help).append('\n')
                    .append("# TYPE ").append(name).append(' ').append(type).append('\n')
                    .append(name).append(' ').append(value).append('\n');
            return this;
        }

        @Override
        public String toString() {
            return sb.toString();
        }
    }

}
