package io.jitsiops.health;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

/**
 * Kafka or PostgreSQL away: checks go on, results wait (bounded), readiness and /q/metrics say what is waiting, nothing
 * is lost.
 */
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
            assertThat(buffer("items", "postgresql")).as("jitsiops_health_buffer_items{buffer=\"postgresql\"}").isPositive();
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
        assertThat(buffer("items", "postgresql")).isZero();
        given().queryParam("since", outageStart.toString()).queryParam("component", "jicofo").get("/api/health/history")
                .then().statusCode(200).body("size()", org.hamcrest.Matchers.greaterThanOrEqualTo(1));
    }

    @Test
    void resultsWaitWhileKafkaIsAwayAndArePublishedWhenItReturns() {
        KafkaServer kafka = LocalServers.kafka();
        long deliveredBefore = pipeline.kafkaBuffer().delivered();
        double deliveredSeriesBefore = buffer("delivered_total", "kafka");
        kafka.stop();
        try {
            run();
            await().atMost(Duration.ofSeconds(30)).until(() -> pipeline.kafkaBuffer().lastError() != null);
            assertThat(pipeline.kafkaBuffer().backlog()).isPositive();
            run(); // checks keep running meanwhile
            assertThat(buffer("items", "kafka")).as("jitsiops_health_buffer_items{buffer=\"kafka\"} while Kafka is away")
                    .isPositive();
        } finally {
            kafka.start();
        }
        await().atMost(Duration.ofSeconds(90)).until(() -> pipeline.kafkaBuffer().backlog() == 0);
        assertThat(pipeline.kafkaBuffer().delivered() - deliveredBefore).isGreaterThanOrEqualTo(2L * 10);
        assertThat(pipeline.kafkaBuffer().dropped()).isZero();
        // what an SRE's alert sees: drained, delivered grew, nothing dropped, against the configured capacity
        assertThat(buffer("items", "kafka")).isZero();
        assertThat(buffer("delivered_total", "kafka") - deliveredSeriesBefore).isGreaterThanOrEqualTo(2.0 * 10);
        assertThat(buffer("dropped_total", "kafka")).isZero();
        assertThat(buffer("capacity", "kafka")).isEqualTo(20000);
    }

    /** One of the buffers' series on /q/metrics, e.g. {@code jitsiops_health_buffer_items{buffer="kafka"}}. */
    private static double buffer(String series, String buffer) {
        String metrics = given().accept("text/plain; version=0.0.4").get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^jitsiops_health_buffer_" + series + "\\{[^}]*buffer=\"" + buffer + "\"[^}]*} (\\S+)$")
                .matcher(metrics);
        assertThat(m.find()).as("jitsiops_health_buffer_%s{buffer=\"%s\"} on /q/metrics", series, buffer).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private void run() {
        scheduler.runAll().await().atMost(Duration.ofSeconds(30));
    }
}
