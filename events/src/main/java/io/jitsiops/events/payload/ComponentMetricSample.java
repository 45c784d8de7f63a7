package io.jitsiops.events.payload;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

import io.jitsiops.events.EventPayload;

/**
 * Figures scraped from one component at one time, by metric name (e.g. {@code conferences},
 * {@code stress_level}, {@code bit_rate_download_kbps}).
 */
public record ComponentMetricSample(
        String component,
        String target,
        Instant sampledAt,
        Map<String, Double> values) implements EventPayload {

    public ComponentMetricSample {
        Objects.requireNonNull(component, "component");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(sampledAt, "sampledAt");
        values = values == null ? Map.of() : Map.copyOf(values);
    }

    @Override
    public String subject() {
        return component + "/" + target;
    }
}
