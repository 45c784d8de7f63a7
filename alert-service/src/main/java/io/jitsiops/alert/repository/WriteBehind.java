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
    private int writing;
    private long dropped;

    public WriteBehind(String name, int maxBatch, int capacity, Function<List<T>, Uni<Void>> writer) {
        this(name, maxBatch, capacity, 1, writer);
    }

    public WriteBehind(String name, int maxBatch, int capacity, int maxConcurrent, Function<List<T>, Uni<Void>> writer) {
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
            }
        }
        if (droppedEntry != null && droppedEntry.written() != null) {
            droppedEntry.written().completeExceptionally(new IllegalStateException(name + " backlog full: dropped"));
        }
        if (start) {
            writeNext();
        }
    }

    public synchronized int backlog() {
        return pending.size();
    }

    public synchronized long dropped() {
        return dropped;
    }

    private void writeNext() {
        List<Entry<T>> entries = new ArrayList<>();
        synchronized (this) {
            while (entries.size() < maxBatch && !pending.isEmpty()) {
                entries.add(pending.poll());
            }
            if (entries.isEmpty()) {
                writing--;
                return;
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
                    writeNext();
                }, e -> {
                    LOG.errorf("Gave up writing %d %s: %s", batch.size(), name, e.getMessage());
                    entries.forEach(en -> {
                        if (en.written() != null) {
                            en.written().completeExceptionally(e);
                        }
                    });
                    writeNext();
                });
    }
}
