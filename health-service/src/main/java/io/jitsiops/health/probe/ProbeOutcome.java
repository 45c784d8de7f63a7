package io.jitsiops.health.probe;

import java.util.Map;

import io.jitsiops.health.probe.CheckStatus;

/**
 * What one run of a probe found, before flap damping.
 *
 * @param retryable for a failure: whether another attempt may find otherwise (connection refused, timed out,
 *                  502/503/504), as Alertmanager's notifiers say of theirs; a permanent failure (401, TLS, a
 *                  garbage body, a wrong answer) is not retried within the run
 */
public record ProbeOutcome(CheckStatus status, Long latencyMs, String error, Map<String, Double> measurements,
                           boolean retryable) {

    public ProbeOutcome {
        measurements = measurements == null ? Map.of() : Map.copyOf(measurements);
    }

    public ProbeOutcome(CheckStatus status, Long latencyMs, String error, Map<String, Double> measurements) {
        this(status, latencyMs, error, measurements, false);
    }

    /** A failure that another attempt may not repeat: the target was unreachable, slow or briefly unavailable. */
    public static ProbeOutcome transientDown(Long latencyMs, String why, Map<String, Double> measurements) {
        return new ProbeOutcome(CheckStatus.DOWN, latencyMs, why, measurements, true);
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

    /** Worth another attempt within the same run. */
    public boolean worthRetrying() {
        return failed() && retryable;
    }
}
