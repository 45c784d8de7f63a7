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
 * A bridge read where endpoints had no packets in the JVB's 60 s loss window, through the whole pipeline: PostgreSQL,
 * the API, the Prometheus re-export and the conference-quality event. The documents are copies of the recorded 2022
 * /debug?full=true with conferences edited in (see {@link BridgeDebugQualityTest#recorded2022With}).
 */
@QuarkusTest
@QuarkusTestResource(JitsiOpsTestResource.class)
class LossWithoutPacketsPipelineTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    QualityPipeline pipeline;

    @Test
    void noPacketsIsStoredAsNullLeftOutOfTheReExportAndPublishedAsNothingLost() throws Exception {
        String run = Long.toString(System.nanoTime());
        String lossyRoom = "lossy-" + run;
        String silentRoom = "silent-" + run;
        Instant at = Instant.now();
        ObjectNode lossy = BridgeDebugQualityTest.recorded2022With("lossy-" + run, lossyRoom,
                BridgeDebugQualityTest.endpoint2022("Alice", 15, 85, 40, 3, new long[] { 100_000, 300_000, 1_200_000 }),
                BridgeDebugQualityTest.withoutPackets("Carol"));
        ObjectNode silent = BridgeDebugQualityTest.recorded2022With("silent-" + run, silentRoom,
                BridgeDebugQualityTest.withoutPackets("Dave"), BridgeDebugQualityTest.withoutPackets("Erin"));
        pipeline.acceptBridge(BridgeDebugQuality.read(lossy, "jvb-nopackets", at));
        pipeline.acceptBridge(BridgeDebugQuality.read(silent, "jvb-nopackets", at));

        // PostgreSQL: NULL where there is no figure, as rtt_ms
        await().atMost(Duration.ofSeconds(30)).until(() -> "2".equals(LocalServers.postgres().psql("jitsiops",
                "SELECT count(*) FROM metrics.conference_quality WHERE room_name IN ('" + lossyRoom + "', '" + silentRoom + "')").trim()));
        assertThat(LocalServers.postgres().psql("jitsiops", "SELECT coalesce(packet_loss_percent::text, 'NULL') FROM metrics.conference_quality"
                + " WHERE room_name IN ('" + lossyRoom + "', '" + silentRoom + "') ORDER BY room_name").trim().split("\\s+"))
                .containsExactly("15", "NULL");
        await().atMost(Duration.ofSeconds(30)).until(() -> "4".equals(LocalServers.postgres().psql("jitsiops",
                "SELECT count(*) FROM metrics.video_sample WHERE room IN ('" + lossyRoom + "', '" + silentRoom + "')").trim()));
        assertThat(LocalServers.postgres().psql("jitsiops", "SELECT participant || '=' || coalesce(packet_loss_percent::text, 'NULL')"
                + " FROM metrics.video_sample WHERE room IN ('" + lossyRoom + "', '" + silentRoom + "') ORDER BY participant").trim()
                .split("\\s+")).containsExactly("Alice=15", "Carol=NULL", "Dave=NULL", "Erin=NULL");

        // the API: null, as rttMs; read back from PostgreSQL too
        List<Map<String, Object>> latest = given().get("/api/video-quality").then().statusCode(200).extract().jsonPath().getList("$");
        assertThat(latest).filteredOn(q -> silentRoom.equals(q.get("room"))).singleElement()
                .satisfies(q -> assertThat(q).containsEntry("packetLossPercent", null));
        assertThat(latest).filteredOn(q -> lossyRoom.equals(q.get("room"))).singleElement()
                .satisfies(q -> assertThat(((Number) q.get("packetLossPercent")).doubleValue()).isEqualTo(15.0));
        List<Map<String, Object>> stored = given().queryParam("room", silentRoom).get("/api/video-quality").then().statusCode(200)
                .extract().jsonPath().getList("$");
        assertThat(stored).singleElement().satisfies(q -> assertThat(q).containsEntry("packetLossPercent", null));

        // the re-export: no loss_fraction sample for the silent conference (Prometheus has no "no figure"), 0.15 for the lossy one
        String text = given().accept("text/plain; version=0.0.4").get("/q/metrics").then().statusCode(200).extract().asString();
        ExpositionParser.parse(text, ExpositionParser.Format.PROMETHEUS_0_0_4);
        assertThat(text).containsPattern("jitsi_ops_conference_loss_fraction\\{[^}]*room=\"" + lossyRoom + "\"[^}]*\\} 0\\.15\n")
                .containsPattern("jitsi_ops_conference_participants\\{[^}]*room=\"" + silentRoom + "\"")
                .doesNotContainPattern("jitsi_ops_conference_loss_fraction\\{[^}]*room=\"" + silentRoom + "\"");
        assertThat(text.lines().filter(l -> l.startsWith("jitsi_ops_conference_") && l.contains(silentRoom)))
                .isNotEmpty().noneMatch(l -> l.endsWith("NaN"));

        // the event: packetLossPercent is a required double; nothing lost of nothing received is 0, and not degraded on loss
        ConsumerRecord<String, byte[]> r = KafkaRecords.first(Topics.METRICS, rec -> ("conference/silent-" + run).equals(rec.key()));
        JsonNode data = JSON.readTree(r.value()).path("data");
        assertThat(data.path("packetLossPercent").isNumber()).as(data.toString()).isTrue();
        assertThat(data.path("packetLossPercent").asDouble()).isEqualTo(0.0);
        assertThat(data.path("degradedReasons").toString()).doesNotContain("packet_loss_percent");
    }
}
