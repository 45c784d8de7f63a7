package io.jitsiops.health;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import java.time.Duration;
import java.time.Instant;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.jitsiops.health.service.ProbeScheduler;
import io.jitsiops.health.service.ResultPipeline;
import io.jitsiops.testkit.JitsiOpsTestResource;
import io.jitsiops.testkit.LocalServers;
import io.jitsiops.testkit.server.KafkaServer;
import io.jitsiops.testkit.server.PostgresServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Kafka or PostgreSQL away: checks go on, results wait (bounded), readiness says what is missing, nothing is lost. */
@QuarkusTest
@QuarkusTestResource(JitsiOpsTestResource.class)
class OutageTest {
    @Inject
    ProbeScheduler scheduler;
    @Inject
    ResultPipeline pipeline;

    @Test
    void resultsWaitWhilePostgresqlIsAwayAndReachTheHistoryWhenItReturns() {
        PostgresServer postgres = LocalServers.postgres();
        Instant outageStart = Instant.now();
        postgres.stop();
        try {
            run();
            await().atMost(Duration.ofSeconds(20)).until(() -> pipeline.databaseBuffer().lastError() != null);
            assertThat(pipeline.databaseBuffer().backlog()).isPositive();
            given().get("/q/health/ready").then().statusCode(503)
                    .body(containsString("Reactive PostgreSQL connections health check"))
                    .body(containsString("postgresql.backlog"));
            given().get("/api/health").then().statusCode(200); // the live view does not need the database
            given().get("/api/health/history").then().statusCode(503).header("Retry-After", "10")
                    .contentType(io.restassured.http.ContentType.JSON)
                    .body("unavailable", org.hamcrest.Matchers.equalTo("PostgreSQL"));
        } finally {
            postgres.start();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> pipeline.databaseBuffer().backlog() == 0);
        given().queryParam("since", outageStart.toString()).queryParam("component", "jicofo").get("/api/health/history")
                .then().statusCode(200).body("size()", org.hamcrest.Matchers.greaterThanOrEqualTo(1));
    }

    @Test
    void resultsWaitWhileKafkaIsAwayAndArePublishedWhenItReturns() {
        KafkaServer kafka = LocalServers.kafka();
        long deliveredBefore = pipeline.kafkaBuffer().delivered();
        kafka.stop();
        try {
            run();
            await().atMost(Duration.ofSeconds(30)).until(() -> pipeline.kafkaBuffer().lastError() != null);
            assertThat(pipeline.kafkaBuffer().backlog()).isPositive();
            run(); // checks keep running meanwhile
        } finally {
            kafka.start();
        }
        await().atMost(Duration.ofSeconds(90)).until(() -> pipeline.kafkaBuffer().backlog() == 0);
        assertThat(pipeline.kafkaBuffer().delivered() - deliveredBefore).isGreaterThanOrEqualTo(2L * 10);
        assertThat(pipeline.kafkaBuffer().dropped()).isZero();
    }

    private void run() {
        scheduler.runAll().await().atMost(Duration.ofSeconds(30));
    }
}
