package io.jitsiops.metrics.quality;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jitsiops.events.Topics;
import io.jitsiops.metrics.exposition.ExpositionParser;
import io.jitsiops.metrics.service.QualityPipeline;
import io.jitsiops.testkit.JitsiOpsTestResource;
import io.jitsiops.testkit.KafkaRecords;
import io.jitsiops.testkit.LocalServers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A bridge read where every camera of one conference is off and no endpoint of another has a jitter figure, through
 * the whole pipeline: PostgreSQL, the API, the Prometheus re-export and the conference-quality event. The documents are
 * copies of the recorded 2022 /debug?full=true with conferences edited in (see {@link BridgeDebugQualityTest#recorded2022With}).
 */
@QuarkusTest
@QuarkusTestResource(JitsiOpsTestResource.class)
class CameraOffPipelineTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    QualityPipeline pipeline;

    @Test
    void noVideoSenderAndNoJitterFigureAreStoredAsNullLeftOutOfTheReExportAndPublishedAsZero() throws Exception {
        String run = Long.toString(System.nanoTime());
        String darkRoom = "dark-" + run;
        String quietRoom = "quiet-" + run;
        Instant at = Instant.now();
        ObjectNode dark = BridgeDebugQualityTest.recorded2022With("dark-" + run, darkRoom, BridgeDebugQualityTest.cameraOff("Dave", 2),
                BridgeDebugQualityTest.cameraOff("Erin", 4));
        ObjectNode quiet = BridgeDebugQualityTest.recorded2022With("quiet-" + run, quietRoom, BridgeDebugQualityTest.withoutJitterFigure(
                BridgeDebugQualityTest.endpoint2022("Fay", 0, 500, 40, 0, new long[] { 100_000, 300_000, 1_200_000 })));
        pipeline.acceptBridge(BridgeDebugQuality.read(dark, "jvb-cameraoff", at));
        pipeline.acceptBridge(BridgeDebugQuality.read(quiet, "jvb-cameraoff", at));

        // PostgreSQL: NULL where there is no figure; a stream's own 0 bps is what it sent and stays
        await().atMost(Duration.ofSeconds(30)).until(() -> "2".equals(LocalServers.postgres().psql("jitsiops",
                "SELECT count(*) FROM metrics.conference_quality WHERE room_name IN ('" + darkRoom + "', '" + quietRoom + "')").trim()));
        assertThat(LocalServers.postgres().psql("jitsiops", "SELECT room_name || '=' || coalesce(bitrate_kbps::text, 'NULL') || '/' || coalesce(frames_per_second::text, 'NULL') || '/'"
                + " || coalesce(jitter_ms::text, 'NULL') || '/' || degraded FROM metrics.conference_quality"
                + " WHERE room_name IN ('" + darkRoom + "', '" + quietRoom + "') ORDER BY room_name").trim().split("\\s+"))
                .containsExactly(darkRoom + "=NULL/NULL/3/false", quietRoom + "=1600/30/NULL/false");
        await().atMost(Duration.ofSeconds(30)).until(() -> "3".equals(LocalServers.postgres().psql("jitsiops",
                "SELECT count(*) FROM metrics.video_sample WHERE room IN ('" + darkRoom + "', '" + quietRoom + "')").trim()));
        assertThat(LocalServers.postgres().psql("jitsiops", "SELECT participant || '=' || bitrate_kbps || '/' || coalesce(jitter_ms::text, 'NULL')"
                + " FROM metrics.video_sample WHERE room IN ('" + darkRoom + "', '" + quietRoom + "') ORDER BY participant").trim()
                .split("\\s+")).containsExactly("Dave=0/2", "Erin=0/4", "Fay=1600/NULL");

        // the API: null, as packetLossPercent and rttMs; read back from PostgreSQL too
        List<Map<String, Object>> latest = given().get("/api/video-quality").then().statusCode(200).extract().jsonPath().getList("$");
        assertThat(latest).filteredOn(q -> darkRoom.equals(q.get("room"))).singleElement()
                .satisfies(q -> assertThat(q).containsEntry("bitrateKbps", null).containsEntry("framesPerSecond", null)
                        .containsEntry("degraded", false));
        assertThat(latest).filteredOn(q -> quietRoom.equals(q.get("room"))).singleElement()
                .satisfies(q -> assertThat(q).containsEntry("jitterMs", null));
        assertThat(given().queryParam("room", darkRoom).get("/api/video-quality").then().statusCode(200).extract().jsonPath()
                .<Map<String, Object>>getList("$")).singleElement().satisfies(q -> assertThat(q).containsEntry("bitrateKbps", null));
        assertThat(given().queryParam("room", quietRoom).get("/api/video-quality").then().statusCode(200).extract().jsonPath()
                .<Map<String, Object>>getList("$")).singleElement().satisfies(q -> assertThat(q).containsEntry("jitterMs", null));

        // the re-export: no bitrate sample for the dark conference, no jitter sample for the quiet one, never NaN
        String text = given().accept("text/plain; version=0.0.4").get("/q/metrics").then().statusCode(200).extract().asString();
        ExpositionParser.parse(text, ExpositionParser.Format.PROMETHEUS_0_0_4);
        assertThat(text).containsPattern("jitsi_ops_conference_participants\\{[^}]*room=\"" + darkRoom + "\"")
                .doesNotContainPattern("jitsi_ops_conference_bitrate\\{[^}]*room=\"" + darkRoom + "\"")
                .doesNotContainPattern("jitsi_ops_conference_frame_rate\\{[^}]*room=\"" + darkRoom + "\"")
                .containsPattern("jitsi_ops_conference_jitter\\{[^}]*room=\"" + darkRoom + "\"[^}]*\\} 3\\.0\n")
                .doesNotContainPattern("jitsi_ops_conference_jitter\\{[^}]*room=\"" + quietRoom + "\"")
                .containsPattern("jitsi_ops_conference_bitrate\\{[^}]*room=\"" + quietRoom + "\"[^}]*\\} 1600000\\.0\n");
        assertThat(text.lines().filter(l -> l.startsWith("jitsi_ops_conference_") && (l.contains(darkRoom) || l.contains(quietRoom))))
                .isNotEmpty().noneMatch(l -> l.endsWith("NaN"));

        // the event: bitrateKbps and jitterMs are required doubles; no video sender / no jitter figure reads 0, not degraded
        ConsumerRecord<String, byte[]> r = KafkaRecords.first(Topics.METRICS, rec -> ("conference/dark-" + run).equals(rec.key()));
        JsonNode data = JSON.readTree(r.value()).path("data");
        assertThat(data.path("bitrateKbps").isNumber()).as(data.toString()).isTrue();
        assertThat(data.path("bitrateKbps").asDouble()).isEqualTo(0.0);
        assertThat(data.path("framesPerSecond").asDouble()).isEqualTo(0.0);
        assertThat(data.path("degraded").asBoolean()).as(data.toString()).isFalse();
        JsonNode quietData = JSON.readTree(KafkaRecords.first(Topics.METRICS, rec -> ("conference/quiet-" + run).equals(rec.key()))
                .value()).path("data");
        assertThat(quietData.path("jitterMs").isNumber()).as(quietData.toString()).isTrue();
        assertThat(quietData.path("jitterMs").asDouble()).isEqualTo(0.0);
    }
}
