package io.jitsiops.health.probe;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jitsiops.health.config.HealthConfig;
import io.smallrye.mutiny.Uni;

/**
 * The bridge's own view of itself from {@code /colibri/stats} (jitsi-videobridge {@code VideobridgeStatisticsShim.kt};
 * the keys of the JVB before April 2024, {@code VideobridgeStatistics.java}, and of 2020 are read second). A bridge
 * reporting {@code healthy: false} is DOWN (it still answers stats while unhealthy); draining, graceful shutdown or
 * shutting down is DEGRADED (it takes no new conferences); a stress level at or above 1 means it is at capacity.
 * The REST stats API is off by default ({@code videobridge.apis.rest.enabled = false}): the bridge then answers
 * 404, which is reported as such rather than as the bridge being down.
 */
public final class JvbStatsProbe extends HttpProbe {
    private static final ObjectMapper JSON = new ObjectMapper();

    public JvbStatsProbe(CheckKey key, URI uri, ProbeSettings settings, HttpProber http, HealthConfig config) {
        super(key, settings, uri, http, config);
    }

    @Override
    public Uni<ProbeOutcome> run() {
        return http.get(uri, settings.timeout(), Map.of("Accept", "application/json")).map(this::evaluate);
    }

    ProbeOutcome evaluate(HttpProber.Answer answer) {
        if (answer.status() == 404) {
            return ProbeOutcome.degraded(answer.latencyMs(), "REST stats API disabled (videobridge.apis.rest.enabled): "
                    + "/colibri/stats answers 404", Map.of("http.status", 404.0));
        }
        ProbeOutcome http = HttpOutcomes.evaluate(answer, 200, config, Map.of());
        if (http.failed()) {
            return http;
        }
        JsonNode stats;
        try {
            stats = JSON.readTree(answer.body());
        } catch (Exception e) {
            return ProbeOutcome.down(answer.latencyMs(), "colibri stats are not JSON" + HttpOutcomes.snippet(answer.body()));
        }
        if (stats == null || !stats.isObject()) {
            return ProbeOutcome.down(answer.latencyMs(), "colibri stats are not a JSON object");
        }
        Map<String, Double> m = new HashMap<>(http.measurements());
        put(m, "jvb.stress_level", stats, "stress_level");
        put(m, "jvb.conferences", stats, "conferences");
        put(m, "jvb.participants", stats, "participants", "endpoints");
        put(m, "jvb.largest_conference", stats, "largest_conference");
        // Since 2020 incoming_loss/outgoing_loss (fractions); before, loss_rate_download/_upload.
        put(m, "jvb.incoming_loss", stats, "incoming_loss", "loss_rate_download");
        put(m, "jvb.outgoing_loss", stats, "outgoing_loss", "loss_rate_upload");
        // kbit/s in every generation (an integer since 2024-04, a decimal before).
        put(m, "jvb.bit_rate_download_kbps", stats, "bit_rate_download");
        put(m, "jvb.bit_rate_upload_kbps", stats, "bit_rate_upload");
        put(m, "jvb.rtt_ms", stats, "rtt_aggregate");
        boolean drain = stats.path("drain").asBoolean(false);
        boolean gracefulShutdown = stats.path("graceful_shutdown").asBoolean(false);
        boolean shuttingDown = stats.path("shutting_down").asBoolean(false);
        m.put("jvb.drain", drain ? 1.0 : 0.0);
        m.put("jvb.graceful_shutdown", gracefulShutdown ? 1.0 : 0.0);
        if (stats.has("healthy")) {
            boolean healthy = stats.path("healthy").asBoolean(true);
            m.put("jvb.healthy", healthy ? 1.0 : 0.0);
            if (!healthy) {
                return ProbeOutcome.down(answer.latencyMs(), "bridge reports itself unhealthy (healthy: false)", m);
            }
        }
        if (shuttingDown) {
            return ProbeOutcome.degraded(answer.latencyMs(), "bridge is shutting down", m);
        }
        if (gracefulShutdown) {
            return ProbeOutcome.degraded(answer.latencyMs(), "bridge is shutting down gracefully", m);
        }
        if (drain) {
            return ProbeOutcome.degraded(answer.latencyMs(), "bridge is draining: it takes no new conferences", m);
        }
        Double stress = m.get("jvb.stress_level");
        if (stress != null && stress >= 1.0) {
            return ProbeOutcome.degraded(answer.latencyMs(), "bridge at capacity: stress level " + stress, m);
        }
        return HttpOutcomes.degradedIfSlowOrExpiring(answer.latencyMs(), m, config);
    }

    /** The first of {@code keys} the document has as a number: the current name first, older names after. */
    private static void put(Map<String, Double> m, String measurement, JsonNode stats, String... keys) {
        for (String key : keys) {
            JsonNode v = stats.get(key);
            if (v != null && v.isNumber()) {
                m.put(measurement, v.asDouble());
                return;
            }
        }
    }
}
