package io.jitsiops.readiness;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Delivers items in order, in batches, to a destination that may be away for a while (Kafka, PostgreSQL).
 * Items wait in memory meanwhile; past {@code capacity} the oldest are dropped and counted, so an outage
 * costs bounded memory. A failed batch is retried with exponential back-off; delivery is at-least-once.
 * <p>
 * Why not the Kafka producer's own buffering plus a PostgreSQL outbox: the producer blocks senders for
 * {@code max.block.ms} and then loses records after {@code delivery.timeout.ms}, and an outbox cannot hold
 * results while PostgreSQL itself is the one away. One bounded buffer per destination rides out either outage.
 * <p>
 * {@link #bindTo} shows it on a service's {@code /q/metrics}; without a registry it works the same (unit tests).
 */
public final class BoundedRetryBuffer<T> {
    private static final Logger LOG = Logger.getLogger(BoundedRetryBuffer.class);
    private final String name;
    private final int capacity;
    private final int batchSize;
    private final Function<List<T>, Uni<Void>> deliver;
    private final Vertx vertx;
    private final Deque<T> queue = new ArrayDeque<>();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private boolean draining;
    private long backoffMillis;
    private volatile String lastError;

    public BoundedRetryBuffer(String name, int capacity, int batchSize, Function<List<T>, Uni<Void>> deliver, Vertx vertx) {
        this.name = name;
        this.capacity = capacity;
        this.batchSize = batchSize;
        this.deliver = deliver;
        this.vertx = vertx;
    }

    /**
     * Registers this buffer's series, tagged {@code buffer=<name>}, under {@code prefix} (e.g. {@code jitsiops.health.buffer}
     * gives {@code jitsiops_health_buffer_items}): items waiting and the capacity (gauges, so that a rule can say "half
     * full" without repeating the configuration), items dropped and delivered (counters). They read the buffer's own
     * counts when scraped, so they exist with 0 from the moment of binding, not only after the first drop.
     */
    public BoundedRetryBuffer<T> bindTo(MeterRegistry registry, String prefix) {
        Gauge.builder(prefix + ".items", this, BoundedRetryBuffer::backlog).tag("buffer", name).strongReference(true)
                .description("Items waiting in memory to be delivered (past the capacity the oldest are dropped)")
                .register(registry);
        Gauge.builder(prefix + ".capacity", this, BoundedRetryBuffer::capacity).tag("buffer", name).strongReference(true)
                .description("Items the buffer holds before it drops the oldest").register(registry);
        FunctionCounter.builder(prefix + ".dropped", dropped, AtomicLong::get).tag("buffer", name)
                .description("Items dropped, oldest first, because the buffer was full: never delivered").register(registry);
        FunctionCounter.builder(prefix + ".delivered", delivered, AtomicLong::get).tag("buffer", name)
                .description("Items the destination accepted").register(registry);
        return this;
    }

    public void offer(T item) {
        offerAll(List.of(item));
    }

    /** Queues items in order; past capacity the oldest waiting ones are dropped and counted. */
    public void offerAll(Collection<? extends T> items) {
        if (items.isEmpty()) {
            return;
        }
        synchronized (this) {
            queue.addAll(items);
            while (queue.size() > capacity) {
                queue.pollFirst();
                if (dropped.incrementAndGet() % 1000 == 1) {
                    LOG.warnf("%s buffer full (%d): dropping the oldest items (%d so far)", name, capacity, dropped.get());
                }
            }
            if (draining) {
                return;
            }
            draining = true;
        }
        drain();
    }

    private void drain() {
        List<T> batch;
        synchronized (this) {
            if (queue.isEmpty()) {
                draining = false;
                return;
            }
            batch = new ArrayList<>(Math.min(batchSize, queue.size()));
            var it = queue.iterator();
            while (it.hasNext() && batch.size() < batchSize) {
                batch.add(it.next());
            }
        }
        Uni<Void> attempt;
        try {
            attempt = deliver.apply(batch);
        } catch (RuntimeException e) {
            attempt = Uni.createFrom().failure(e);
        }
        attempt.subscribe().with(ok -> {
            synchronized (this) {
                // Only this drainer removes from the head; items dropped meanwhile for capacity were the same head items.
                for (T item : batch) {
                    if (!queue.isEmpty() && queue.peekFirst() == item) {
                        queue.pollFirst();
                    }
                }
                backoffMillis = 0;
                lastError = null;
            }
            delivered.addAndGet(batch.size());
            drain();
        }, failure -> {
            long wait;
            synchronized (this) {
                backoffMillis = backoffMillis == 0 ? 200 : Math.min(backoffMillis * 2, Duration.ofSeconds(30).toMillis());
                wait = backoffMillis;
                lastError = failure.getMessage();
            }
            LOG.debugf("%s delivery failed, retrying in %d ms: %s", name, wait, failure.getMessage());
            vertx.setTimer(wait, id -> drain());
        });
    }

    public synchronized int backlog() {
        return queue.size();
    }

    public long dropped() {
        return dropped.get();
    }

    public long delivered() {
        return delivered.get();
    }

    public String lastError() {
        return lastError;
    }

    public String name() {
        return name;
    }

    public int capacity() {
        return capacity;
    }
}
