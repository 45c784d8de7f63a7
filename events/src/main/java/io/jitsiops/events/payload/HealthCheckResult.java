package io.jitsiops.events.payload;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

import io.jitsiops.events.EventPayload;

/**
 * One probe of one target.
 *
 * @param component    prosody, jicofo, jvb, web, janssen or host
 * @param target       the configured target name (e.g. {@code jvb-1})
 * @param check        what was checked (e.g. {@code bosh-session}, {@code about-health}, {@code jwks})
 * @param latencyMs    time the probe took, null when it did not get that far
 * @param error        why it is not UP, null when UP
 * @param measurements figures the probe read (e.g. {@code cert.days_to_expiry}, {@code cpu.usage_percent})
 */
public record HealthCheckResult(
        String component,
        String target,
        String check,
        HealthStatus status,
        Long latencyMs,
        String error,
        Map<String, Double> measurements,
        Instant checkedAt) implements EventPayload {

    public HealthCheckResult {
        Objects.requireNonNull(component, "component");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(checkedAt, "checkedAt");
        measurements = measurements == null ? Map.of() : Map.copyOf(measurements);
    }

    @Override
    public String subject() {
        return component + "/" + target;
    }
}
