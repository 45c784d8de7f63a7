package io.jitsiops.health.readiness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.jitsiops.readiness.BoundedRetryBuffer;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

class ResultBacklogCheckTest {
    private final Vertx vertx = Vertx.vertx();
    private volatile boolean kafkaDown;

    @AfterEach
    void close() {
        vertx.close();
    }

    @Test
    void staysUpWhileResultsOnlyWaitAndGoesDownOnceResultsHadToBeDropped() {
        BoundedRetryBuffer<String> kafka = new BoundedRetryBuffer<>("kafka", 2, 10,
                batch -> kafkaDown ? Uni.createFrom().failure(new IllegalStateException("broker unreachable"))
                        : Uni.createFrom().voidItem(), vertx);
        BoundedRetryBuffer<String> database = new BoundedRetryBuffer<>("postgresql", 10, 10,
                batch -> Uni.createFrom().voidItem(), vertx);
        kafkaDown = true;
        kafka.offer("a");
        await().atMost(Duration.ofSeconds(5)).until(() -> kafka.lastError() != null);

        HealthCheckResponse waiting = ResultBacklogCheck.response(kafka, database);
        assertThat(waiting.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(waiting.getData().orElseThrow()).containsEntry("kafka.backlog", 1L).containsEntry("kafka.lastError",
                "broker unreachable");

        kafka.offer("b");
        kafka.offer("c"); // beyond capacity 2: the oldest is dropped, history is being lost
        HealthCheckResponse dropping = ResultBacklogCheck.response(kafka, database);
        assertThat(dropping.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(dropping.getData().orElseThrow()).containsEntry("kafka.dropped", 1L);
    }
}
