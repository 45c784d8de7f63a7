package io.jitsiops.metrics;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.jitsiops.events.Topics;
import io.jitsiops.metrics.service.QualityPipeline;
import io.jitsiops.metrics.service.RetentionJob;
import io.jitsiops.metrics.service.ScrapeScheduler;
import io.jitsiops.testkit.JitsiOpsTestResource;
import io.jitsiops.testkit.KafkaRecords;
import io.jitsiops.testkit.LocalServers;
import io.jitsiops.testkit.OidcTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Browser samples in, conference quality out; reports; who may post. */
@QuarkusTest
@QuarkusTestResource(JitsiOpsTestResource.class)
class VideoMetricsApiTest {
    @Inject
    QualityPipeline quality;
    @Inject
    ScrapeScheduler scheduler;
    @Inject
    RetentionJob retention;

    private static String sample(String room, String participant, double loss) {
        return "{\"room\":\"" + room + "\",\"participant\":\"" + participant + "\",\"direction\":\"receive\",\"bitrateKbps\":1200,"
                + "\"fps\":30,\"resolution\":\"1280x720\",\"packetLossPercent\":" + loss + ",\"jitterMs\":6,\"rttMs\":45}";
    }

    @Test
    void aResentSampleIsStoredOnceAndTheNewSamplesOfItsBatchAreKept() {
        String room = "resend-room-" + System.nanoTime();
        String at = Instant.now().minusSeconds(30).truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString();
        String a = sample(room, "a", 1).replace("}", ",\"timestamp\":\"" + at + "\"}");
        String b = sample(room, "b", 1).replace("}", ",\"timestamp\":\"" + at + "\"}");
        String c = sample(room, "c", 1).replace("}", ",\"timestamp\":\"" + at + "\"}");
        String token = OidcTokens.withRoles(OidcTokens.OPERATOR);
        given().auth().oauth2(token).contentType("application/json").body("{\"samples\":[" + a + "," + b + "]}")
                .post("/api/video-metrics").then().statusCode(202).body("accepted", equalTo(2));
        await().atMost(Duration.ofSeconds(30)).until(() -> "2".equals(LocalServers.postgres().psql("jitsiops",
                "SELECT count(*) FROM metrics.video_sample WHERE room = '" + room + "'").trim()));
        // the plain insert of this batch fails on a and b (unique key); it is inserted again skipping them
        given().auth().oauth2(token).contentType("application/json").body("{\"samples\":[" + a + "," + b + "," + c + "]}")
                .post("/api/video-metrics").then().statusCode(202).body("accepted", equalTo(3));
        await().atMost(Duration.ofSeconds(30)).until(() -> "3".equals(LocalServers.postgres().psql("jitsiops",
                "SELECT count(*) FROM metrics.video_sample WHERE room = '" + room + "'").trim()));
        assertThat(quality.streamBuffer().dropped()).isZero();
    }

    @Test
    void keepsTheGoodSamplesOfABatchAndListsTheRejectedWithFieldAndReason() {
        String room = "api-room-" + System.nanoTime();
        String body = "{\"samples\":[" + sample(room, "a", 0.5) + "," + sample(room, "b", 250) + "," + sample(room, "c", 9.5)
                + ",{\"room\":\"" + room + "\",\"participant\":\"d\",\"direction\":\"receive\",\"bitrateKbps\":\"fast\","
                + "\"packetLossPercent\":1,\"jitterMs\":1}]}";
        given().auth().oauth2(OidcTokens.withRoles(OidcTokens.OPERATOR)).contentType("application/json").body(body)
                .post("/api/video-metrics").then().statusCode(202)
                .body("accepted", equalTo(2))
                .body("rejected.index", equalTo(List.of(1, 3)))
                .body("rejected.field", equalTo(List.of("packetLossPercent", "bitrateKbps")))
                .body("rejected.reason", hasItem("must be within 0..100, got 250.0"));
        await().atMost(Duration.ofSeconds(20)).until(() -> "2".equals(LocalServers.postgres().psql("jitsiops",
                "SELECT count(*) FROM metrics.video_sample WHERE room = '" + room + "' AND source = 'client'").trim()));

        quality.flushClientWindows(Instant.now());
        List<Map<String, Object>> latest = given().get("/api/video-quality").then().statusCode(200).extract().jsonPath().getList("$");
        Map<String, Object> q = latest.stream().filter(x -> room.equals(x.get("room"))).findFirst().orElseThrow();
        assertThat(q.get("source")).isEqualTo("client");
        assertThat(((Number) q.get("participants")).intValue()).isEqualTo(2);
        assertThat(((Number) q.get("packetLossPercent")).doubleValue()).isEqualTo(5.0);
        assertThat(q.get("frameHeight")).isEqualTo(720);
        await().atMost(Duration.ofSeconds(20)).until(() -> given().queryParam("room", room).get("/api/video-quality")
                .then().statusCode(200).extract().jsonPath().getList("$").size() == 1);
        KafkaRecords.first(Topics.METRICS, r -> ("conference/" + room).equals(r.key()));
    }

    @Test
    void aBatchOfOnlyBadSamplesOrNotABatchIsA400() {
        String token = OidcTokens.withRoles(OidcTokens.OPERATOR);
        given().auth().oauth2(token).contentType("application/json").body("{\"samples\":[{\"room\":\"r\"}]}")
                .post("/api/video-metrics").then().statusCode(400).body("accepted", equalTo(0)).body("rejected[0].field", equalTo("participant"));
        given().auth().oauth2(token).contentType("application/json").body("{\"samples\": {}}")
                .post("/api/video-metrics").then().statusCode(400).body("error", equalTo("\"samples\" must be an array"));
    }

    @Test
    void postingNeedsABearerOfTheIssuerForThisAudienceWithTheOperatorRole() {
        String body = "{\"samples\":[" + sample("auth-room", "a", 1) + "]}";
        given().contentType("application/json").body(body).post("/api/video-metrics").then().statusCode(401);
        given().auth().oauth2(OidcTokens.forAudience("other", OidcTokens.OPERATOR)).contentType("application/json").body(body)
                .post("/api/video-metrics").then().statusCode(401);
        given().auth().oauth2(OidcTokens.withRoles()).contentType("application/json").body(body)
                .post("/api/video-metrics").then().statusCode(403);
        given().post("/api/reports/daily").then().statusCode(401);
    }

    @Test
    void reportsMinAvgPercentilesWorstConferencesAndTrendAndStoresADailyReport() {
        scheduler.runAll().await().atMost(Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(20)).until(() -> Integer.parseInt(LocalServers.postgres().psql("jitsiops",
                "SELECT count(*) FROM metrics.conference_quality WHERE source = 'bridge' AND streams > 0").trim()) > 0);
        given().queryParam("window", "1h").get("/api/reports/performance").then().statusCode(200)
                .body("conferenceQuality.bitrate_kbps.p95", org.hamcrest.Matchers.notNullValue())
                .body("conferenceQuality.jitter_ms.trend.direction", org.hamcrest.Matchers.notNullValue())
                .body("worstConferences.byPacketLoss.size()", org.hamcrest.Matchers.greaterThan(0))
                .body("bridges.jitsi_jvb_stress.max", org.hamcrest.Matchers.notNullValue());
        given().queryParam("window", "soon").get("/api/reports/performance").then().statusCode(400)
                .body("error", org.hamcrest.Matchers.containsString("window"));

        String today = LocalDate.now(ZoneOffset.UTC).toString();
        given().auth().oauth2(OidcTokens.withRoles(OidcTokens.OPERATOR)).queryParam("day", today).post("/api/reports/daily")
                .then().statusCode(201);
        given().queryParam("day", today).get("/api/reports/daily").then().statusCode(200).body("day", equalTo(today));
        given().queryParam("day", "1999-01-01").get("/api/reports/daily").then().statusCode(404);
    }

    @Test
    void rollsRawSamplesUpIntoMinutesAndServesSeriesFromEither() throws Exception {
        scheduler.runAll().await().atMost(Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(20)).until(() -> Integer.parseInt(LocalServers.postgres().psql("jitsiops",
                "SELECT count(*) FROM metrics.metric_sample WHERE name = 'jitsi_jvb_stress'").trim()) > 0);
        long[] done = retention.run(Instant.now().plusSeconds(120)).await().atMost(Duration.ofSeconds(30));
        assertThat(done[0]).isPositive();
        given().queryParam("name", "jitsi_jvb_stress").queryParam("step", "10s").get("/api/metrics/series").then().statusCode(200)
                .body("target", hasItem("jvb-1"));
        given().queryParam("name", "jitsi_jvb_stress").queryParam("step", "60s").queryParam("to", Instant.now().plusSeconds(120).toString())
                .get("/api/metrics/series").then().statusCode(200).body("target", hasItem("jvb-1"));
        given().get("/api/metrics/series").then().statusCode(400).body("error", org.hamcrest.Matchers.containsString("name"));
    }
}
