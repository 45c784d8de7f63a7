package io.jitsiops.health.janssen;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.jitsiops.health.config.HealthConfig;
import io.jitsiops.health.probe.CheckKey;
import io.jitsiops.health.probe.HttpOutcomes;
import io.jitsiops.health.probe.HttpProber;
import io.jitsiops.health.probe.ProbeOutcome;
import io.jitsiops.health.probe.ProbeSettings;
import io.smallrye.mutiny.Uni;

/** Janssen's own health check: {@code {"status":"running","db_status":"online"}} when all is well. */
public final class JanssenHealthProbe extends JanssenProbe {
    private final HttpProber http;

    public JanssenHealthProbe(CheckKey key, ProbeSettings settings, JanssenClient janssen, HttpProber http,
                              HealthConfig config) {
        super(key, settings, janssen, config);
        this.http = http;
    }

    @Override
    public Uni<ProbeOutcome> run() {
        return http.get(janssen.healthCheckUri(), settings.timeout(), Map.of("Accept", "application/json")).map(a -> {
            ProbeOutcome base = HttpOutcomes.evaluate(a, 200, config, Map.of());
            if (base.failed()) {
                return base;
            }
            JsonNode body = JanssenClient.jsonOrNull(a.body());
            if (body == null || !body.isObject()) {
                return ProbeOutcome.down(a.latencyMs(), "health check answer is not JSON" + HttpOutcomes.snippet(a.body()));
            }
            String status = body.path("status").asText("");
            String db = body.path("db_status").asText("");
            if (!"running".equals(status)) {
                return ProbeOutcome.down(a.latencyMs(), "Janssen status '" + status + "'", base.measurements());
            }
            if (!db.isEmpty() && !"online".equals(db)) {
                return ProbeOutcome.down(a.latencyMs(), "Janssen database is " + db, base.measurements());
            }
            return base;
        });
    }
}
