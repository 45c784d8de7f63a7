package io.jitsiops.health.probe;

import java.net.URI;
import java.util.Map;

import io.jitsiops.health.config.HealthConfig;
import io.smallrye.mutiny.Uni;

/**
 * jicofo's and the bridge's {@code /about/health}, and the web front: 200 means healthy; a 500/503 body
 * says why (e.g. JVB's "Health check failed: ..."), and goes into the error.
 */
public final class AboutHealthProbe extends HttpProbe {

    public AboutHealthProbe(CheckKey key, URI uri, ProbeSettings settings, HttpProber http, HealthConfig config) {
        super(key, settings, uri, http, config);
    }

    @Override
    public Uni<ProbeOutcome> run() {
        return http.get(uri, settings.timeout(), Map.of())
                .map(answer -> HttpOutcomes.evaluate(answer, settings.expectedStatus(), config, Map.of()));
    }
}
