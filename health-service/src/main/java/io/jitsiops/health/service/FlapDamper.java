package io.jitsiops.health.service;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.jitsiops.health.probe.CheckStatus;
import io.jitsiops.health.probe.CheckKey;
import io.jitsiops.health.probe.ProbeOutcome;

/**
 * Turns raw outcomes into reported statuses. A check goes DOWN only after {@code downAfter} failures in a row
 * and comes back only after {@code upAfter} successes in a row, so a single lost packet does not page anyone;
 * between UP and DEGRADED it follows the outcome at once. A check's first outcome is taken as it is.
 */
public final class FlapDamper {
    private final int downAfter;
    private final int upAfter;
    private final Map<CheckKey, CheckState> states = new ConcurrentHashMap<>();

    public FlapDamper(int downAfter, int upAfter) {
        this.downAfter = Math.max(1, downAfter);
        this.upAfter = Math.max(1, upAfter);
    }

    /** The transition this outcome caused, if any, and the new state. */
    public record Step(CheckState state, Optional<CheckStatus> previous) {
        public boolean changed() {
            return previous.isPresent();
        }
    }

    /** Lists a check that has not run yet as UNKNOWN (pending), unless it already has a state. */
    public void pending(CheckKey key, Instant since) {
        states.putIfAbsent(key, new CheckState(key, CheckStatus.UNKNOWN, since, null, null, 0, 0, since));
    }

    public Step record(CheckKey key, ProbeOutcome outcome, Instant at) {
        Step[] step = new Step[1];
        states.compute(key, (k, old) -> {
            CheckState next = next(k, old, outcome, at);
            // A first result (from nothing or from pending) is no transition: nothing to announce.
            boolean first = old == null || old.lastOutcome() == null;
            step[0] = new Step(next, !first && old.status() != next.status() ? Optional.of(old.status()) : Optional.empty());
            return next;
        });
        return step[0];
    }

    private CheckState next(CheckKey key, CheckState old, ProbeOutcome o, Instant at) {
        if (old == null || old.lastOutcome() == null) {
            return new CheckState(key, o.status(), at, o, at, o.failed() ? 1 : 0, o.failed() ? 0 : 1, at);
        }
        boolean streakGoesOn = o.failed() == old.lastOutcome().failed();
        Instant streakSince = streakGoesOn ? old.streakSince() : at;
        int failures = o.failed() ? old.consecutiveFailures() + 1 : 0;
        int successes = o.failed() ? 0 : old.consecutiveSuccesses() + 1;
        CheckStatus status = old.status();
        if (o.failed()) {
            if (status != CheckStatus.DOWN && failures >= downAfter) {
                status = CheckStatus.DOWN;
            }
        } else if (status == CheckStatus.DOWN) {
            if (successes >= upAfter) {
                status = o.status();
            }
        } else {
            status = o.status();
        }
        Instant since = status == old.status() ? old.since()
                : (status == CheckStatus.DOWN || old.status() == CheckStatus.DOWN) ? streakSince : at;
        return new CheckState(key, status, since, o, at, failures, successes, streakSince);
    }

    public Collection<CheckState> states() {
        return states.values();
    }
}
