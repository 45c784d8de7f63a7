package io.jitsiops.health.janssen;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.jitsiops.health.config.HealthConfig;
import io.jitsiops.health.probe.CheckKey;
import io.jitsiops.health.probe.HttpOutcomes;
import io.jitsiops.health.probe.ProbeFailure;
import io.jitsiops.health.probe.ProbeOutcome;
import io.jitsiops.health.probe.ProbeSettings;
import io.smallrye.mutiny.Uni;

/**
 * The OpenID discovery document is reachable and coherent: its issuer is ours, the endpoints we use are there,
 * and they point where they may ({@link EndpointPins}).
 */
public final class OidcDiscoveryProbe extends JanssenProbe {
    static final List<String> REQUIRED = List.of("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri",
            "response_types_supported", "subject_types_supported", "id_token_signing_alg_values_supported");

    public OidcDiscoveryProbe(CheckKey key, ProbeSettings settings, JanssenClient janssen, HealthConfig config) {
        super(key, settings, janssen, config);
    }

    @Override
    public Uni<ProbeOutcome> run() {
        long started = System.nanoTime();
        return janssen.fetchDiscovery(settings.timeout()).map(d -> {
            long latency = elapsedMs(started);
            List<String> missing = new ArrayList<>();
            for (String field : REQUIRED) {
                if (!d.hasNonNull(field)) {
                    missing.add(field);
                }
            }
            if (!missing.isEmpty()) {
                return ProbeOutcome.down(latency, "discovery document lacks " + String.join(", ", missing));
            }
            String issuer = d.get("issuer").asText();
            if (!janssen.issuer().equals(issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer)) {
                return ProbeOutcome.down(latency, "discovery issuer '" + issuer + "' is not the configured issuer '"
                        + janssen.issuer() + "'");
            }
            try {
                janssen.checkPins(d);
            } catch (ProbeFailure e) {
                return ProbeOutcome.down(latency, e.getMessage());
            }
            return HttpOutcomes.degradedIfSlowOrExpiring(latency, Map.of(), config);
        });
    }
}
