package io.jitsiops.health.rest;

import java.time.Instant;
import java.util.Map;

import io.jitsiops.health.service.CheckState;

/** One check as the API shows it: status after damping, since when, and what the latest run found. */
public record CheckView(String component, String target, String check, String status, Long latencyMs, String error,
                        Instant since, Instant checkedAt, Map<String, Double> measurements) {

    static CheckView of(CheckState s) {
        if (s.lastOutcome() == null) { // pending its first run
            return new CheckView(s.key().component(), s.key().target(), s.key().check(), s.status().name(), null,
                    "pending its first run", s.since(), null, Map.of());
        }
        return new CheckView(s.key().component(), s.key().target(), s.key().check(), s.status().name(),
                s.lastOutcome().latencyMs(), s.lastOutcome().error(), s.since(), s.lastCheckedAt(),
                s.lastOutcome().measurements());
    }
}
