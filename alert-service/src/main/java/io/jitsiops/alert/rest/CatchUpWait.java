package io.jitsiops.alert.rest;

import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Holds a post that arrives while this replica is more than {@code max-unwritten} changes ahead of PostgreSQL, its
 * body unread (the request stays paused, so TCP pushes back on the sender), until the writers catch up or
 * {@code jitsiops.alert.intake.max-wait} has passed; only then is it refused. Since session 38 it also waits while the
 * intake thread's queue is half full ({@code ExternalAlertIntake.threadBehind}).
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
 * <p>
 * Posts are taken in the order they arrived (since session 35): a post that arrives while others wait joins the end
 * of the line even if the writers have just caught up, and a waiting post's check takes every post ahead of it first
 * (each on its own event loop). Before, each post's own timer decided, so a newcomer, or a post whose timer happened
 * to fire first, could take the room the writers had made while a post that had waited longer went on waiting, and
 * was refused at max-wait: its alerts dropped by Prometheus while later ones were taken.
 */
final class CatchUpWait {
    static final long POLL_MS = 20;
    static final String KEY = "jitsiops.alert.intake.max-wait";

    private final BooleanSupplier behind;
    private final long maxWaitNanos;
    /** The waiting posts in arrival order; one that left or was refused stays until it reaches the head. */
    private final ConcurrentLinkedQueue<Waiter> line = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicLong waited = new AtomicLong();

    /** One waiting post: settled exactly once (taken, refused or gone), on its request's event loop. */
    private final class Waiter {
        final Vertx vertx;
        final Context context;
        final BooleanSupplier gone;
        final Runnable proceed;
        final Runnable refuse;
        final long deadline = System.nanoTime() + maxWaitNanos;
        final AtomicBoolean settled = new AtomicBoolean();
        volatile long timer;

        Waiter(Vertx vertx, BooleanSupplier gone, Runnable proceed, Runnable refuse) {
            this.vertx = vertx;
            this.context = vertx.getOrCreateContext();
            this.gone = gone;
            this.proceed = proceed;
            this.refuse = refuse;
        }

        /** Settles this post with {@code then} (null: nothing to run), unless it was settled already. */
        void settle(Runnable then) {
            if (!settled.compareAndSet(false, true)) {
                return;
            }
            vertx.cancelTimer(timer);
            waiting.decrementAndGet();
            if (then != null) {
                if (Vertx.currentContext() == context) {
                    then.run();
                } else {
                    context.runOnContext(v -> then.run()); // its own event loop, where its request lives
                }
            }
        }
    }

    CatchUpWait(BooleanSupplier behind, Duration maxWait) {
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException(KEY + " must not be negative, was " + maxWait);
        }
        this.behind = behind;
        this.maxWaitNanos = maxWait.toNanos();
    }

    /**
     * Runs {@code proceed} as soon as this replica is not behind and every post that arrived before this one was
     * taken (at once when none waits and it is not behind now), or {@code refuse} once the wait is over and it is
     * still behind; neither when {@code gone} says the client left meanwhile. Call it on the request's event loop:
     * both run there.
     */
    void whenCaughtUp(Vertx vertx, BooleanSupplier gone, Runnable proceed, Runnable refuse) {
        if (waiting.get() == 0 && !behind.getAsBoolean()) {
            proceed.run();
            return;
        }
        if (maxWaitNanos == 0) {
            refuse.run();
            return;
        }
        waited.incrementAndGet();
        waiting.incrementAndGet();
        Waiter w = new Waiter(vertx, gone, proceed, refuse);
        w.timer = vertx.setPeriodic(POLL_MS, timer -> check(w));
        line.add(w);
        takeInOrder(); // not behind, only others waiting: those first, then this one, now
    }

    /** A waiting post's periodic check: takes the posts ahead of it in the line, then it, while not behind. */
    private void check(Waiter w) {
        if (w.settled.get()) {
            return; // a tick queued before another's check settled it and cancelled its timer
        }
        if (w.gone.getAsBoolean()) {
            w.settle(null);
        }
        takeInOrder();
        if (!w.settled.get() && System.nanoTime() - w.deadline >= 0) {
            w.settle(w.refuse); // still behind (or behind posts that are) past max-wait
        }
    }

    /** Takes waiting posts from the head of the line for as long as this replica is not behind. */
    private void takeInOrder() {
        for (Waiter head = line.peek(); head != null; head = line.peek()) {
            if (head.settled.get()) {
                line.remove(head); // left, refused, or taken by a concurrent check
            } else if (head.gone.getAsBoolean()) {
                head.settle(null);
            } else if (behind.getAsBoolean()) {
                return;
            } else {
                head.settle(head.proceed);
            }
        }
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
