package io.jitsiops.health.probe;

import java.util.Map;

import io.jitsiops.health.probe.CheckStatus;

/** What one run of a probe found, before flap damping. */
public record ProbeOutcome(CheckStatus status, Long latencyMs, String error, Map<String, Double> measurements) {

    public ProbeOutcome {
        measurements = measurements == null ? Map.of() : Map.copyOf(measurements);
    }

    public static ProbeOutcome up(long latencyMs, Map<String, Double> measurements) {
        return new ProbeOutcome(CheckStatus.UP, latencyMs, null, measurements);
    }

    public static ProbeOutcome degraded(long latencyMs, String why, Map<String, Double> measurements) {
        return new ProbeOutcome(CheckStatus.DEGRADED, latencyMs, why, measurements);
    }

    public static ProbeOutcome down(Long latencyMs, String why) {
        return new ProbeOutcome(CheckStatus.DOWN, latencyMs, why, Map.of());
    }

    public static ProbeOutcome down(Long latencyMs, String why, Map<String, Double> measurements) {
        return new ProbeOutcome(CheckStatus.DOWN, latencyMs, why, measurements);
    }

    public boolean failed() {
        return status == CheckStatus.DOWN;
    }
}
