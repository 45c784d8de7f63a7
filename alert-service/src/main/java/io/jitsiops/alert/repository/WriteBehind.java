package io.jitsiops.alert.repository;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;

/**
 * Group commit for records whose loss on a crash costs nothing but a repeat (delivery records, notification-log
 * entries, alerts posted by Prometheus, which re-posts firing alerts every minute): one write is in flight at a
 * time and everything that arrived meanwhile goes in the next, as one batch. A failed write is retried with
 * back-off (PostgreSQL away), the items kept in order; beyond {@code capacity} waiting items the oldest are dropped
 * and counted, so an outage cannot exhaust the heap.
 */
public final class WriteBehind<T> {
    private static final Logger LOG = Logger.getLogger(WriteBehind.class);
    private final String name;
    private final int maxBatch;
    private final int capacity;
    private final Function<List<T>, Uni<Void>> writer;
    private final Deque<T> pending = new ArrayDeque<>();
    private boolean writing;
    private long dropped;

    public WriteBehind(String name, int maxBatch, int capacity, Function<List<T>, Uni<Void>> writer) {
        this.name = name;
        this.maxBatch = maxBatch;
        this.capacity = capacity;
        this.writer = writer;
    }

    public void add(T item) {
        boolean start;
        synchronized (this) {
            if (pending.size() >= capacity) {
                pending.poll();
                dropped++;
            }
            pending.add(item);
            start = !writing;
            writing = true;
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
        List<T> batch = new ArrayList<>();
        synchronized (this) {
            while (batch.size() < maxBatch && !pending.isEmpty()) {
                batch.add(pending.poll());
            }
            if (batch.isEmpty()) {
                writing = false;
                return;
            }
        }
        Uni.createFrom().deferred(() -> writer.apply(batch))
                .onFailure().invoke(e -> LOG.warnf("Writing %d %s failed, retrying: %s", batch.size(), name, e.getMessage()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).atMost(1000)
                .subscribe().with(x -> writeNext(), e -> {
                    LOG.errorf("Gave up writing %d %s: %s", batch.size(), name, e.getMessage());
                    writeNext();
                });
    }
}
