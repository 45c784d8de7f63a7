package io.jitsiops.alert.rest;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import io.vertx.core.Vertx;

/**
 * Holds a post that arrives while this replica is more than {@code max-unwritten} changes ahead of PostgreSQL, its
 * body unread (the request stays paused, so TCP pushes back on the sender), until the writers catch up or
 * {@code jitsiops.alert.intake.max-wait} has passed; only then is it refused.
 * <p>
 * Why wait rather than refuse at once: Prometheus's notifier does not post a refused batch again (its alerts are
 * dropped, counted in {@code prometheus_notifications_dropped_total}, until a later evaluation sends them again),
 * and it sends its next batch at once. A flood refused at once became a loop of refusals: in bench/alerts (new
 * alerts in batches of 1000, session 30) 4,628 posts were refused against 338 accepted, each body sent and drained on
 * the cores PostgreSQL and the writers needed. But Prometheus posts one batch at a time to each Alertmanager and waits
 * for the answer up to the Alertmanager config's {@code timeout}, 10 s by default (prometheus/prometheus
 * {@code notifier/sendloop.go}: {@code loop}, {@code sendOneBatch}, {@code sendAll}), so a post that waits slows its
 * sender down to what is written, and its alerts are not dropped.
 * <p>
 * The wait polls on the request's event loop every {@link #POLL_MS} ms: a check is a few reads of the writers'
 * backlogs, and polling needs no wake-up from the writers' threads into every event loop. Releasing a post up to
 * 20 ms late costs no throughput: when the backlog falls under the bound, the writers still have that much queued
 * (100,000 changes by default, seconds of writing); and a thousand waiting posts cost 50,000 checks a second.
 */
final class CatchUpWait {
    static final long POLL_MS = 20;
    static final String KEY = "jitsiops.alert.intake.max-wait";

    private final BooleanSupplier behind;
    private final long maxWaitNanos;
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicLong waited = new AtomicLong();

    CatchUpWait(BooleanSupplier behind, Duration maxWait) {
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException(KEY + " must not be negative, was " + maxWait);
        }
        this.behind = behind;
        this.maxWaitNanos = maxWait.toNanos();
    }

    /**
     * Runs {@code proceed} as soon as this replica is not behind (at once when it is not now), or {@code refuse} once
     * the wait is over and it still is; neither when {@code gone} says the client left meanwhile. Call it on the
     * request's event loop: both run there.
     */
    void whenCaughtUp(Vertx vertx, BooleanSupplier gone, Runnable proceed, Runnable refuse) {
        if (!behind.getAsBoolean()) {
            proceed.run();
            return;
        }
        if (maxWaitNanos == 0) {
            refuse.run();
            return;
        }
        waited.incrementAndGet();
        waiting.incrementAndGet();
        long deadline = System.nanoTime() + maxWaitNanos;
        vertx.setPeriodic(POLL_MS, timer -> {
            Runnable next;
            if (gone.getAsBoolean()) {
                next = null;
            } else if (!behind.getAsBoolean()) {
                next = proceed;
            } else if (System.nanoTime() - deadline >= 0) {
                next = refuse;
            } else {
                return;
            }
            vertx.cancelTimer(timer);
            waiting.decrementAndGet();
            if (next != null) {
                next.run();
            }
        });
    }

    /** Posts waiting now (gauge {@code jitsiops_alert_intake_posts_waiting}). */
    int waiting() {
        return waiting.get();
    }

    /** Posts that had to wait so far, taken or refused after (counter {@code jitsiops_alert_intake_posts_waited_total}). */
    AtomicLong waited() {
        return waited;
    }
}
