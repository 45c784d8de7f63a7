package io.jitsiops.events.payload;

/** Ordered from best to worst, so that the overall status of several checks is the maximum. */
public enum HealthStatus {
    UP, DEGRADED, DOWN;

    public HealthStatus worst(HealthStatus other) {
        return other != null && other.ordinal() > ordinal() ? other : this;
    }
}
