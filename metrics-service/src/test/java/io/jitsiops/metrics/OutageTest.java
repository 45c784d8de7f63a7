package io.jitsiops.metrics;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.jitsiops.metrics.service.MetricsPipeline;
import io.jitsiops.metrics.service.QualityPipeline;
import io.jitsiops.metrics.service.ScrapeScheduler;
import io.jitsiops.testkit.JitsiOpsTestResource;
import io.jitsiops.testkit.LocalServers;
import io.jitsiops.testkit.OidcTokens;
import io.jitsiops.testkit.server.KafkaServer;
import io.jitsiops.testkit.server.PostgresServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Kafka or PostgreSQL away: scraping and ingest go on, items wait (bounded), nothing is lost once they return. */
@QuarkusTest
@QuarkusTestResource(JitsiOpsTestResource.class)
class OutageTest {
    @Inject
    ScrapeScheduler scheduler;
    @Inject
    MetricsPipeline metrics;
    @Inject
    QualityPipeline quality;

    @Test
    void samplesWaitWhilePostgresqlIsAwayAndAreStoredWhenItReturns() throws Exception {
        PostgresServer postgres = LocalServers.postgres();
        String token = OidcTokens.withRoles(OidcTokens.OPERATOR);
        postgres.stop();
        try {
            run();
            given().auth().oauth2(token).contentType("application/json").body("{\"samples\":[{\"room\":\"outage-room\",\"participant\":\"a\","
                    + "\"direction\":\"send\",\"bitrateKbps\":800,\"packetLossPercent\":1,\"jitterMs\":3}]}")
                    .post("/api/video-metrics").then().statusCode(202);
            await().atMost(Duration.ofSeconds(20)).until(() -> metrics.databaseBuffer().lastError() != null);
            assertThat(metrics.databaseBuffer().backlog()).isPositive();
            // past the backlog limit (500 in tests) a batch is refused whole, so that nothing waiting has to be dropped
            given().auth().oauth2(token).contentType("application/json").body(batch("outage-room", 600))
                    .post("/api/video-metrics").then().statusCode(202);
            given().auth().oauth2(token).contentType("application/json").body(batch("outage-refused", 10))
                    .post("/api/video-metrics").then().statusCode(503).header("Retry-After", "1")
                    .body("error", org.hamcrest.Matchers.matchesPattern("PostgreSQL is behind: [0-9]+ samples are waiting to be stored; send this batch again later"));
            given().get("/api/metrics/latest").then().statusCode(200); // the live view needs no database
        } finally {
            postgres.start();
        }
        await().atMost(Duration.ofSeconds(90)).until(() -> metrics.databaseBuffer().backlog() == 0 && quality.streamBuffer().backlog() == 0);
        assertThat(LocalServers.postgres().psql("jitsiops", "SELECT count(*) FROM metrics.video_sample WHERE room = 'outage-room'").trim())
                .isEqualTo("601");
        assertThat(LocalServers.postgres().psql("jitsiops", "SELECT count(*) FROM metrics.video_sample WHERE room = 'outage-refused'").trim())
                .isEqualTo("0");
        assertThat(metrics.databaseBuffer().dropped()).isZero();
        assertThat(quality.streamBuffer().dropped()).isZero();
        assertThat(quality.throttledBatches()).isPositive();
    }

    private static String batch(String room, int n) {
        StringBuilder b = new StringBuilder("{\"samples\":[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append("{\"room\":\"").append(room).append("\",\"participant\":\"p").append(i)
                    .append("\",\"direction\":\"receive\",\"bitrateKbps\":900,\"packetLossPercent\":0.5,\"jitterMs\":4}");
        }
        return b.append("]}").toString();
    }

    @Test
    void eventsWaitWhileKafkaIsAwayAndArePublishedWhenItReturns() {
        KafkaServer kafka = LocalServers.kafka();
        long before = metrics.kafkaBuffer().delivered();
        kafka.stop();
        try {
            run();
            await().atMost(Duration.ofSeconds(40)).until(() -> metrics.kafkaBuffer().lastError() != null);
            assertThat(metrics.kafkaBuffer().backlog()).isPositive();
            run();
        } finally {
            kafka.start();
        }
        await().atMost(Duration.ofSeconds(90)).until(() -> metrics.kafkaBuffer().backlog() == 0);
        assertThat(metrics.kafkaBuffer().delivered() - before).isGreaterThanOrEqualTo(2L * scheduler.targets().size() - 2);
        assertThat(metrics.kafkaBuffer().dropped()).isZero();
    }

    private void run() {
        scheduler.runAll().await().atMost(Duration.ofSeconds(30));
    }
}
