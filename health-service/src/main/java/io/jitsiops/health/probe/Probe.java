package io.jitsiops.health.probe;

import java.time.Duration;

import io.smallrye.mutiny.Uni;

/**
 * One check of one target. {@link #run()} must not block the calling thread, must honour {@link #timeout()},
 * and may fail: the scheduler turns any failure into a DOWN outcome with the error described.
 */
public interface Probe {
    CheckKey key();

    Duration interval();

    Duration timeout();

    /** Extra attempts within one run when an attempt fails. */
    default int retries() {
        return 0;
    }

    Uni<ProbeOutcome> run();
}
