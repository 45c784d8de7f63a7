package io.jitsiops.readiness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

class BoundedRetryBufferTest {
    private final Vertx vertx = Vertx.vertx();
    private final Destination destination = new Destination();

    @AfterEach
    void close() {
        vertx.close();
    }

    @Test
    void deliversEverythingInOrderInBatchesOfAtMostTheBatchSize() {
        BoundedRetryBuffer<Integer> buffer = new BoundedRetryBuffer<>("test", 100, 3, destination::deliver, vertx);
        destination.down = true; // hold everything so that batching shows
        for (int i = 1; i <= 7; i++) {
            buffer.offer(i);
        }
        destination.down = false;
        await().atMost(Duration.ofSeconds(10)).until(() -> buffer.backlog() == 0);
        assertThat(destination.received()).containsExactly(1, 2, 3, 4, 5, 6, 7);
        assertThat(destination.batchSizes()).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(3));
        assertThat(buffer.delivered()).isEqualTo(7);
        assertThat(buffer.dropped()).isZero();
        assertThat(buffer.lastError()).isNull();
    }

    @Test
    void keepsOnlyTheNewestItemsBeyondCapacityAndCountsTheDropped() {
        BoundedRetryBuffer<Integer> buffer = new BoundedRetryBuffer<>("test", 5, 2, destination::deliver, vertx);
        destination.down = true;
        for (int i = 1; i <= 12; i++) {
            buffer.offer(i);
        }
        assertThat(buffer.backlog()).isEqualTo(5);
        assertThat(buffer.dropped()).isEqualTo(7);
        await().atMost(Duration.ofSeconds(5)).until(() -> buffer.lastError() != null);
        assertThat(buffer.lastError()).isEqualTo("destination away");

        destination.down = false;
        await().atMost(Duration.ofSeconds(10)).until(() -> buffer.backlog() == 0);
        assertThat(destination.received()).containsExactly(8, 9, 10, 11, 12);
        assertThat(buffer.lastError()).isNull();
    }

    @Test
    void retriesAFailedBatchUntilTheDestinationReturnsWithoutLosingIt() {
        BoundedRetryBuffer<Integer> buffer = new BoundedRetryBuffer<>("test", 10, 10, destination::deliver, vertx);
        destination.down = true;
        buffer.offer(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> destination.attempts >= 2);
        assertThat(buffer.backlog()).isEqualTo(1);
        destination.down = false;
        await().atMost(Duration.ofSeconds(10)).until(() -> buffer.backlog() == 0);
        assertThat(destination.received()).containsExactly(1);
    }

    @Test
    void showsWhatWaitsItsCapacityWhatWasDroppedAndWhatWasDeliveredOnTheRegistryItIsBoundTo() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        BoundedRetryBuffer<Integer> buffer = new BoundedRetryBuffer<>("kafka", 5, 2, destination::deliver, vertx)
                .bindTo(registry, "jitsiops.test.buffer");
        // from the binding on, before anything was offered: an alert can compare with 0
        assertThat(registry.get("jitsiops.test.buffer.items").tag("buffer", "kafka").gauge().value()).isZero();
        assertThat(registry.get("jitsiops.test.buffer.capacity").tag("buffer", "kafka").gauge().value()).isEqualTo(5);
        assertThat(registry.get("jitsiops.test.buffer.dropped").tag("buffer", "kafka").functionCounter().count()).isZero();
        assertThat(registry.get("jitsiops.test.buffer.delivered").tag("buffer", "kafka").functionCounter().count()).isZero();

        destination.down = true;
        for (int i = 1; i <= 7; i++) {
            buffer.offer(i);
        }
        assertThat(registry.get("jitsiops.test.buffer.items").gauge().value()).isEqualTo(5);
        assertThat(registry.get("jitsiops.test.buffer.dropped").functionCounter().count()).isEqualTo(2);

        destination.down = false;
        await().atMost(Duration.ofSeconds(10)).until(() -> buffer.backlog() == 0);
        assertThat(registry.get("jitsiops.test.buffer.items").gauge().value()).isZero();
        assertThat(registry.get("jitsiops.test.buffer.delivered").functionCounter().count()).isEqualTo(5);
        assertThat(registry.get("jitsiops.test.buffer.dropped").functionCounter().count()).isEqualTo(2);
    }

    /** A destination that can be taken away; it records what it accepted. */
    static final class Destination {
        volatile boolean down;
        volatile int attempts;
        private final List<Integer> received = new ArrayList<>();
        private final List<Integer> batchSizes = new ArrayList<>();

        Uni<Void> deliver(List<Integer> batch) {
            attempts++;
            if (down) {
                return Uni.createFrom().failure(new IllegalStateException("destination away"));
            }
            synchronized (this) {
                received.addAll(batch);
                batchSizes.add(batch.size());
            }
            return Uni.createFrom().voidItem();
        }

        synchronized List<Integer> received() {
            return List.copyOf(received);
        }

        synchronized List<Integer> batchSizes() {
            return List.copyOf(batchSizes);
        }
    }
}
