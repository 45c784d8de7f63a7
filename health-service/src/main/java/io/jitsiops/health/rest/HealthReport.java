package io.jitsiops.health.rest;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

import io.jitsiops.health.probe.CheckStatus;
import io.jitsiops.health.service.CheckState;

/**
 * The whole deployment at a glance: the worst status of all checks, when the latest check ran, and every
 * check. A check pending its first run is UNKNOWN, which ranks below DEGRADED, so the whole is never UP while
 * a configured check has not yet reported (and UNKNOWN when nothing is configured).
 */
public record HealthReport(String status, Instant checkedAt, List<CheckView> checks) {

    static HealthReport of(Collection<CheckState> states) {
        CheckStatus worst = null;
        Instant latest = null;
        for (CheckState s : states) {
            worst = worst == null ? s.status() : worst.worst(s.status());
            if (s.lastCheckedAt() != null && (latest == null || s.lastCheckedAt().isAfter(latest))) {
                latest = s.lastCheckedAt();
            }
        }
        List<CheckView> checks = states.stream().map(CheckView::of)
                .sorted(Comparator.comparing(CheckView::component).thenComparing(CheckView::target).thenComparing(CheckView::check))
                .toList();
        return new HealthReport(worst == null ? "UNKNOWN" : worst.name(), latest, checks);
    }
}
