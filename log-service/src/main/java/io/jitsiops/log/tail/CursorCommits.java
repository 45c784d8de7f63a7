package io.jitsiops.log.tail;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.jitsiops.log.analysis.MinuteCounts;
import io.jitsiops.log.repository.LogStore;
import io.jitsiops.log.repository.TailCursor;

/**
 * One file's cursor commits, stored in PostgreSQL off the tailer's thread: the tailer hands over a step's cursor, minute
 * counts and error rows once Kafka acknowledged the step, and sends its next step at once instead of waiting for the
 * transaction (a probe of stop 19 had the tailer's thread waiting 519 of 1,306 ms on these commits).
 * <p>
 * Guarantees kept: a commit is handed over only after Kafka acknowledged everything its cursor covers; commits are
 * stored in the order handed over (one drain at a time per file), several waiting ones together in one transaction
 * (their counts summed by the store, their rows inserted, the last cursor stored); after a failed commit nothing
 * handed over later is stored (it would count steps the tailer does again from the stored cursor) until the tailer, told at its next
 * {@link #collect}, went back to the stored cursor ({@link #reset}). What the tailer does once a step is stored
 * (its committed position, counters) runs on the tailer's thread, in {@link #collect}.
 */
final class CursorCommits {
    /** Steps waiting for their commit before the tailer waits too: bounds what a slow PostgreSQL makes it hold. */
    static final int MAX_WAITING = 16;
    /** Steps stored together in one transaction at most. */
    static final int MAX_BATCH = 32;

    /** The stores' threads: shared by every file, as few as the pool has connections for the tailers. */
    private static final ExecutorService COMMITTERS;

    static {
        AtomicInteger n = new AtomicInteger();
        COMMITTERS = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "log-cursor-commits-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** A step Kafka acknowledged: what is stored, and what the tailer does once it is. */
    record Commit(TailCursor cursor, Collection<MinuteCounts> minutes, List<LogStore.StoredError> errors, Runnable stored) {
    }

    private final CursorStore store;
    private final ArrayDeque<Commit> waiting = new ArrayDeque<>();
    private final ArrayDeque<Commit> stored = new ArrayDeque<>();
    private boolean draining;
    private RuntimeException failure;

    CursorCommits(CursorStore store) {
        this.store = store;
    }

    /**
     * Hands a commit over (waits, on the caller's thread, while {@link #MAX_WAITING} wait already). Dropped after a
     * failure not yet reset: the tailer goes back to the stored cursor at its next {@link #collect}.
     */
    synchronized void submit(Commit c) throws InterruptedException {
        while (waiting.size() >= MAX_WAITING && failure == null) {
            wait(100);
        }
        if (failure != null) {
            return;
        }
        waiting.add(c);
        if (!draining) {
            draining = true;
            COMMITTERS.execute(this::drain);
        }
    }

    private void drain() {
        while (true) {
            List<Commit> batch = new ArrayList<>();
            synchronized (this) {
                if (waiting.isEmpty() || failure != null) {
                    draining = false;
                    notifyAll();
                    return;
                }
                // one transaction per file generation: the error rows carry the cursor's file key
                String fileKey = waiting.peek().cursor().fileKey();
                while (!waiting.isEmpty() && batch.size() < MAX_BATCH && waiting.peek().cursor().fileKey().equals(fileKey)) {
                    batch.add(waiting.poll());
                }
                notifyAll();
            }
            try {
                store.commitStep(batch.get(batch.size() - 1).cursor(), all(batch, Commit::minutes), all(batch, Commit::errors));
                synchronized (this) {
                    stored.addAll(batch);
                }
            } catch (RuntimeException | Error e) { // an Error too (pgjdbc's AssertionError on a dead connection)
                synchronized (this) {
                    failure = e instanceof RuntimeException r ? r : new LogStore.StoreException("storing a cursor", e);
                    waiting.clear();
                    draining = false;
                    notifyAll();
                }
                return;
            }
        }
    }

    /**
     * One part of every commit of the batch, in order, as the steps made them (the store sums minute counts of one
     * component and minute itself).
     */
    private static <T> List<T> all(List<Commit> batch, Function<Commit, ? extends Collection<T>> part) {
        List<T> all = new ArrayList<>();
        for (Commit c : batch) {
            all.addAll(part.apply(c));
        }
        return all;
    }

    /**
     * Runs, on the caller's (the tailer's) thread, what the steps stored since the last call want done once stored, in
     * their order; then throws the failure of a commit, if one failed (until {@link #reset}).
     */
    void collect() {
        List<Commit> done;
        RuntimeException failed;
        synchronized (this) {
            done = new ArrayList<>(stored);
            stored.clear();
            failed = failure;
        }
        for (Commit c : done) {
            c.stored().run();
        }
        if (failed != null) {
            throw failed;
        }
    }

    /** Waits until every commit handed over is stored or failed, at most {@code max}; whether it is so. */
    synchronized boolean await(Duration max) throws InterruptedException {
        long until = System.nanoTime() + max.toNanos();
        while (draining) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /** Every commit handed over stored (waited for), and what it wants done done: the state a synchronous commit left. */
    void awaitStored(Duration max) throws InterruptedException {
        if (!await(max)) {
            throw new LogStore.StoreException("storing a cursor", new java.util.concurrent.TimeoutException("not stored within " + max));
        }
        collect();
    }

    /**
     * After a failed step: waits for the commit being stored (at most {@code max}), runs what the stored ones want done
     * and forgets the failure, so that the tailer goes back to the position really stored.
     */
    void reset(Duration max) throws InterruptedException {
        await(max);
        synchronized (this) {
            failure = null;
        }
        collect();
    }

    /** Whether a commit handed over is not stored yet, or stored and not collected. */
    synchronized boolean busy() {
        return draining || !waiting.isEmpty() || !stored.isEmpty();
    }
}
