package io.jitsiops.metrics.service;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.jitsiops.readiness.BoundedRetryBuffer;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Several {@link BoundedRetryBuffer}s side by side in front of one destination, so that up to {@code lanes} batches
 * are in flight at once. One buffer delivers one batch at a time; in front of PostgreSQL that capped browser-sample
 * ingest at about 39,000 rows/s (each {@code INSERT … unnest} waited for the previous one), while PostgreSQL
 * inserts on several connections in parallel. Each {@code offerAll} goes whole to the next lane (round robin), so a
 * posted batch stays one insert. Order across lanes is not kept: the rows are keyed ({@code ON CONFLICT DO NOTHING}),
 * they need none. Memory stays bounded: each lane holds {@code capacity / lanes} items and drops its oldest past it.
 */
public final class ParallelRetryBuffer<T> implements BufferStatus {
    private final String name;
    private final List<BoundedRetryBuffer<T>> lanes;
    private final AtomicInteger next = new AtomicInteger();

    public ParallelRetryBuffer(String name, int lanes, int capacity, int batchSize, Function<List<T>, Uni<Void>> deliver, Vertx vertx) {
        if (lanes < 1) {
            throw new IllegalArgumentException("lanes must be at least 1, got " + lanes);
        }
        this.name = name;
        List<BoundedRetryBuffer<T>> list = new ArrayList<>(lanes);
        int perLane = Math.max(batchSize, capacity / lanes);
        for (int i = 0; i < lanes; i++) {
            list.add(new BoundedRetryBuffer<>(name + " lane " + i, perLane, batchSize, deliver, vertx));
        }
        this.lanes = List.copyOf(list);
    }

    public void offer(T item) {
        offerAll(List.of(item));
    }

    public void offerAll(Collection<? extends T> items) {
        if (!items.isEmpty()) {
            lanes.get(Math.floorMod(next.getAndIncrement(), lanes.size())).offerAll(items);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int backlog() {
        int sum = 0;
        for (BoundedRetryBuffer<T> lane : lanes) {
            sum += lane.backlog();
        }
        return sum;
    }

    @Override
    public long dropped() {
        long sum = 0;
        for (BoundedRetryBuffer<T> lane : lanes) {
            sum += lane.dropped();
        }
        return sum;
    }

    @Override
    public long delivered() {
        long sum = 0;
        for (BoundedRetryBuffer<T> lane : lanes) {
            sum += lane.delivered();
        }
        return sum;
    }

    /** The last delivery error of any lane (null when every lane delivered its last batch). */
    public String lastError() {
        for (BoundedRetryBuffer<T> lane : lanes) {
            String e = lane.lastError();
            if (e != null) {
                return e;
            }
        }
        return null;
    }
}
