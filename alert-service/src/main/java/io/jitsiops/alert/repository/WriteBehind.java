package io.jitsiops.alert.repository;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;

/**
 * Group commit for records whose loss on a crash costs nothing but a repeat (delivery records, notification-log
 * entries, alerts posted by Prometheus, which re-posts firing alerts every minute): up to {@code maxConcurrent}
 * writes are in flight (default one) and everything that arrived meanwhile goes in the next, as one batch. With
 * one write at a time an item waits on average for half the write before its own; a second concurrent write
 * (another pooled connection) lets a waiter that needs durability start at once — the writer must then not depend
 * on the order in which two batches commit. A failed write is retried with
 * back-off (PostgreSQL away), the items kept in order; beyond {@code capacity} waiting items the oldest are dropped
 * and counted, so an outage cannot exhaust the heap.
 * <p>
 * With a {@code linger}, a write that would start with fewer than {@code fullBatch} items waits that long for more
 * first (Kafka's {@code linger.ms}): items that trickle in — single-alert posts spread over several write-behinds —
 * otherwise go in small batches, each a transaction with its round trips. The slot is held while it lingers, so items
 * that arrive meanwhile join that write.
 */
public final class WriteBehind<T> {
    private static final Logger LOG = Logger.getLogger(WriteBehind.class);
    private final String name;
    private final int maxBatch;
    private final int capacity;
    private final Function<List<T>, Uni<Void>> writer;
    /** An item and, when its writer waits for it, the future completed once the item's batch is written. */
    private record Entry<T>(T item, CompletableFuture<Void> written) {
    }

    private final Deque<Entry<T>> pending = new ArrayDeque<>();
    private final int maxConcurrent;
    private final Duration linger;
    /** Whether writes linger at all: a positive {@code linger}. */
    private final boolean lingers;
    private final int fullBatch;
    private int writing;
    /** A write slot waits for its linger to end (at most one slot lingers), and which timer ends it. */
    private boolean lingering;
    private long lingerTimer;
    private long dropped;

    public WriteBehind(String name, int maxBatch, int capacity, Function<List<T>, Uni<Void>> writer) {
        this(name, maxBatch, capacity, 1, writer);
    }

    public WriteBehind(String name, int maxBatch, int capacity, int maxConcurrent, Function<List<T>, Uni<Void>> writer) {
        this(name, maxBatch, capacity, maxConcurrent, Duration.ZERO, maxBatch, writer);
    }

    public WriteBehind(String name, int maxBatch, int capacity, int maxConcurrent, Duration linger, int fullBatch,
                       Function<List<T>, Uni<Void>> writer) {
        this.linger = linger;
        this.lingers = linger.toNanos() > 0;
        this.fullBatch = Math.min(fullBatch, maxBatch);
        this.name = name;
        this.maxBatch = maxBatch;
        this.capacity = capacity;
        this.maxConcurrent = Math.max(1, maxConcurrent);
        this.writer = writer;
    }

    public void add(T item) {
        enqueue(new Entry<>(item, null));
    }

    /**
     * Adds an item and completes when the batch holding it is written (group commit: the caller waits for
     * durability, the statement is shared with whatever else arrived meanwhile); fails if it is dropped or given up.
     */
    public Uni<Void> addAndAwait(T item) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        enqueue(new Entry<>(item, written));
        return Uni.createFrom().completionStage(written);
    }

    private void enqueue(Entry<T> entry) {
        boolean start;
        boolean flush = false;
        Entry<T> droppedEntry = null;
        synchronized (this) {
            if (pending.size() >= capacity) {
                droppedEntry = pending.poll();
                dropped++;
            }
            pending.add(entry);
            start = writing < maxConcurrent;
            if (start) {
                writing++;
            } else if (lingering && pending.size() >= fullBatch) {
                lingering = false; // full before its linger ended: the lingering slot writes now
                flush = true;
            }
        }
        if (droppedEntry != null && droppedEntry.written() != null) {
            droppedEntry.written().completeExceptionally(new IllegalStateException(name + " backlog full: dropped"));
        }
        if (start) {
            writeNext(false);
        } else if (flush) {
            writeNext(true);
        }
    }

    public synchronized int backlog() {
        return pending.size();
    }

    public synchronized long dropped() {
        return dropped;
    }

    private void endLinger(long timer) {
        synchronized (this) {
            if (!lingering || timer != lingerTimer) {
                return; // a full batch ended it first
            }
            lingering = false;
        }
        writeNext(true);
    }

    private void writeNext(boolean lingered) {
        List<Entry<T>> entries = new ArrayList<>();
        synchronized (this) {
            if (pending.isEmpty()) {
                writing--;
                return;
            }
            if (lingers && !lingered && !lingering && pending.size() < fullBatch) {
                // the slot stays taken: what arrives meanwhile joins this write
                lingering = true;
                long timer = ++lingerTimer;
                Uni.createFrom().voidItem().onItem().delayIt().by(linger)
                        .subscribe().with(x -> endLinger(timer));
                return;
            }
            while (entries.size() < maxBatch && !pending.isEmpty()) {
                entries.add(pending.poll());
            }
        }
        List<T> batch = entries.stream().map(Entry::item).toList();
        Uni.createFrom().deferred(() -> writer.apply(batch))
                .onFailure().invoke(e -> LOG.warnf("Writing %d %s failed, retrying: %s", batch.size(), name, e.getMessage()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).atMost(1000)
                .subscribe().with(x -> {
                    entries.forEach(e -> {
                        if (e.written() != null) {
                            e.written().complete(null);
                        }
                    });
                    writeNext(false);
                }, e -> {
                    LOG.errorf("Gave up writing %d %s: %s", batch.size(), name, e.getMessage());
                    entries.forEach(en -> {
                        if (en.written() != null) {
                            en.written().completeExceptionally(e);
                        }
                    });
                    writeNext(false);
                });
    }
}
