package io.jitsiops.events.payload;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

import io.jitsiops.events.EventPayload;

/** Counts for one component's log over one window; {@code errorRatePercent} is errors per 100 lines. */
public record LogWindowAggregate(
        String component,
        Instant windowStart,
        Instant windowEnd,
        long lines,
        long errors,
        long warnings,
        Map<String, Long> errorsByCategory,
        double errorRatePercent) implements EventPayload {

    public LogWindowAggregate {
        Objects.requireNonNull(component, "component");
        Objects.requireNonNull(windowStart, "windowStart");
        Objects.requireNonNull(windowEnd, "windowEnd");
        errorsByCategory = errorsByCategory == null ? Map.of() : Map.copyOf(errorsByCategory);
    }

    @Override
    public String subject() {
        return component;
    }
}
