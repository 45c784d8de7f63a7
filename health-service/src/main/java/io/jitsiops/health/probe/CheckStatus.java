package io.jitsiops.health.probe;

import io.jitsiops.events.payload.HealthStatus;

/**
 * A check's status inside the health-service, ordered from best to worst so that the overall status of several
 * checks is the worst of them. {@link #UNKNOWN} is a check that has not run yet: it is listed from the start but
 * never published, and it keeps the overall status from claiming UP while checks are pending. The wire enum
 * {@link HealthStatus} is what events carry; {@link #toWire()} is the one place they meet.
 */
public enum CheckStatus {
    UP, DEGRADED, UNKNOWN, DOWN;

    public CheckStatus worst(CheckStatus other) {
        return other != null && other.ordinal() > ordinal() ? other : this;
    }

    /** The status on the wire; an UNKNOWN check has no result to publish. */
    public HealthStatus toWire() {
        return switch (this) {
            case UP -> HealthStatus.UP;
            case DEGRADED -> HealthStatus.DEGRADED;
            case DOWN -> HealthStatus.DOWN;
            case UNKNOWN -> throw new IllegalStateException("a pending check has no status to publish");
        };
    }
}
