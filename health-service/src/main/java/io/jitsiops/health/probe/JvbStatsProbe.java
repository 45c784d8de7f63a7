package io.jitsiops.health.probe;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jitsiops.health.config.HealthConfig;
import io.smallrye.mutiny.Uni;

/**
 * The bridge's own view of itself from {@code /colibri/stats}: a draining or shutting-down bridge takes no
 * new conferences (DEGRADED), and a stress level at or above 1 means it is at capacity.
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

    private ProbeOutcome evaluate(HttpProber.Answer answer) {
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
        for (String field : new String[] { "stress_level", "conferences", "participants", "largest_conference" }) {
            if (stats.hasNonNull(field) && stats.get(field).isNumber()) {
                m.put("jvb." + field, stats.get(field).asDouble());
            }
        }
        boolean drain = stats.path("drain").asBoolean(false);
        boolean shutdown = stats.path("graceful_shutdown").asBoolean(false);
        m.put("jvb.drain", drain ? 1.0 : 0.0);
        m.put("jvb.graceful_shutdown", shutdown ? 1.0 : 0.0);
        if (shutdown) {
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
}
