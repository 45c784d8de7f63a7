package io.jitsiops.health.service;

import java.time.Instant;

import io.jitsiops.health.probe.CheckStatus;
import io.jitsiops.health.probe.CheckKey;
import io.jitsiops.health.probe.ProbeOutcome;

/**
 * A check's damped status and since when, with the latest raw outcome.
 *
 * @param status      the status after flap damping: what the API and the status-change events report
 * @param since       when that status began: for a damped change, the first outcome of the streak that caused it
 * @param streakSince when the current run of failures (or of successes) began
 * @param lastOutcome   the latest raw outcome; null while the check is pending its first run (status UNKNOWN)
 * @param lastCheckedAt when that outcome was found; null while pending
 */
public record CheckState(CheckKey key, CheckStatus status, Instant since, ProbeOutcome lastOutcome,
                         Instant lastCheckedAt, int consecutiveFailures, int consecutiveSuccesses, Instant streakSince) {
}
