package io.jitsiops.events.payload;

import java.time.Instant;
import java.util.Objects;

import io.jitsiops.events.EventPayload;

/** A target whose (flap-damped) status changed; {@code since} is when the new status began. */
public record HealthStatusChanged(
        String component,
        String target,
        HealthStatus previous,
        HealthStatus current,
        String error,
        Instant since) implements EventPayload {

    public HealthStatusChanged {
        Objects.requireNonNull(component, "component");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(since, "since");
    }

    @Override
    public String subject() {
        return component + "/" + target;
    }
}
