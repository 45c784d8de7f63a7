package io.jitsiops.health.janssen;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jose4j.jwk.JsonWebKey;

import io.jitsiops.health.config.HealthConfig;
import io.jitsiops.health.probe.CheckKey;
import io.jitsiops.health.probe.HttpOutcomes;
import io.jitsiops.health.probe.ProbeOutcome;
import io.jitsiops.health.probe.ProbeSettings;
import io.smallrye.mutiny.Uni;

/** The JWKS is reachable, its signing keys parse, and they are not past the expiry Janssen gives them. */
public final class JwksProbe extends JanssenProbe {

    public JwksProbe(CheckKey key, ProbeSettings settings, JanssenClient janssen, HealthConfig config) {
        super(key, settings, janssen, config);
    }

    @Override
    public Uni<ProbeOutcome> run() {
        long started = System.nanoTime();
        return janssen.fetchJwks(settings.timeout()).map(jwks -> {
            long latency = elapsedMs(started);
            Instant now = Instant.now();
            Map<String, Double> m = new HashMap<>();
            List<JsonWebKey> signing = jwks.signingKeys();
            m.put("jwks.keys", (double) signing.size());
            if (signing.isEmpty()) {
                return ProbeOutcome.down(latency, "JWKS has no usable signing key"
                        + (jwks.problems().isEmpty() ? "" : ": " + String.join("; ", jwks.problems())), m);
            }
            List<JsonWebKey> expired = signing.stream()
                    .filter(k -> JanssenKeys.expiry(k).map(e -> e.isBefore(now)).orElse(false)).toList();
            signing.stream().flatMap(k -> JanssenKeys.expiry(k).stream())
                    .mapToDouble(e -> Duration.between(now, e).toMinutes() / 1440.0).min()
                    .ifPresent(d -> m.put("jwks.min_days_to_expiry", Math.floor(d * 10) / 10));
            if (expired.size() == signing.size()) {
                return ProbeOutcome.down(latency, "every JWKS signing key is expired (kid "
                        + expired.get(0).getKeyId() + " at " + JanssenKeys.expiry(expired.get(0)).orElseThrow() + ")", m);
            }
            if (!expired.isEmpty()) {
                return ProbeOutcome.degraded(latency, "JWKS key kid=" + expired.get(0).getKeyId() + " expired at "
                        + JanssenKeys.expiry(expired.get(0)).orElseThrow(), m);
            }
            if (!jwks.problems().isEmpty()) {
                return ProbeOutcome.degraded(latency, "unreadable JWKS keys: " + String.join("; ", jwks.problems()), m);
            }
            return HttpOutcomes.degradedIfSlowOrExpiring(latency, m, config);
        });
    }
}
