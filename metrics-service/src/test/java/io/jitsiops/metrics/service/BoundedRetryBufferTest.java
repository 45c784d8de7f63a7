package io.jitsiops.metrics.service;

import io.jitsiops.readiness.BoundedRetryBuffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

class BoundedRetryBufferTest {
    @Test
    void dropsTheOldestPastItsCapacityCountsThemAndDeliversTheRestInOrderWhenTheDestinationReturns() {
        Vertx vertx = Vertx.vertx();
        try {
            AtomicBoolean away = new AtomicBoolean(true);
            List<Integer> got = new CopyOnWriteArrayList<>();
            BoundedRetryBuffer<Integer> buffer = new BoundedRetryBuffer<>("test", 100, 30, batch -> {
                if (away.get()) {
                    return Uni.createFrom().failure(new IllegalStateException("destination away"));
                }
                got.addAll(batch);
                return Uni.createFrom().voidItem();
            }, vertx);
            for (int i = 0; i < 1000; i++) {
                buffer.offer(i);
            }
            buffer.offerAll(List.of(1000, 1001));
            assertThat(buffer.backlog()).isEqualTo(100);
            assertThat(buffer.dropped()).isEqualTo(902);
            away.set(false);
            buffer.offer(1002);
            await().atMost(Duration.ofSeconds(30)).until(() -> buffer.backlog() == 0);
            assertThat(got).hasSize(100).startsWith(903, 904).endsWith(1001, 1002);
        } finally {
            vertx.close();
        }
    }
}
