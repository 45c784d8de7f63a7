package io.jitsiops.health.probe;

import java.time.Duration;

import io.jitsiops.deployment.DeploymentDescription;
import io.jitsiops.deployment.DurationParser;
import io.jitsiops.health.config.HealthConfig;

/** A target's own interval, timeout, retries and expected status, or the service defaults. */
public record ProbeSettings(Duration interval, Duration timeout, int retries, int expectedStatus) {

    public static ProbeSettings of(DeploymentDescription.Target t, HealthConfig config) {
        return new ProbeSettings(
                t.interval() == null ? config.defaultInterval() : DurationParser.parse(t.interval()),
                t.timeout() == null ? config.defaultTimeout() : DurationParser.parse(t.timeout()),
                t.retries() == null ? 0 : t.retries(),
                t.expectedStatus() == null ? 200 : t.expectedStatus());
    }

    public static ProbeSettings defaults(HealthConfig config) {
        return new ProbeSettings(config.defaultInterval(), config.defaultTimeout(), 0, 200);
    }
}
