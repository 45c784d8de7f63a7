package io.jitsiops.sim.contract;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * A bridge's {@code /debug} in both generations the simulator plays: the current one held to jitsi-videobridge's
 * {@code Videobridge.getDebugState} (a29d97d: keys, order, types), the 2022 one held to the recorded document of
 * jitsi-videobridge issue #1819 (same keys in the same order with the same JSON types).
 */
@QuarkusTest
class JvbDebugGenerationsContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RECORDED_2022 = "recorded/jvb/debug-full-2022-02-jitsi-videobridge-1819.json";

    @AfterEach
    void reset() {
        given().post("/admin/reset").then().statusCode(204);
    }

    @Test
    void currentGenerationHasTheSourcesKeysWithTheBridgeJitterRightAfterLoadManagement() throws IOException {
        JsonNode debug = debug("/jvb/jvb-1/debug");
        assertThat(Recordings.fieldNames(debug)).containsExactly("shutdown_state", "drain", "time", "load_management",
                "overall_bridge_jitter", "conferences", "health");
        assertThat(debug.get("shutdown_state").isTextual()).isTrue();
        assertThat(debug.get("drain").isBoolean()).isTrue();
        assertThat(debug.get("time").isIntegralNumber()).isTrue();
        assertThat(debug.get("overall_bridge_jitter").isDouble()).isTrue();
        JsonNode health = debug.get("health");
        assertThat(Recordings.fieldNames(health)).containsExactly("success", "hardFailure", "responseCode", "message");
        assertThat(health.get("success").isBoolean()).isTrue();
        JsonNode conference = debug("/jvb/jvb-1/debug/" + anyConference("jvb-1"));
        assertThat(Recordings.fieldNames(conference)).containsExactly("shutdown_state", "drain", "time", "load_management",
                "overall_bridge_jitter", "conferences");
    }

    @Test
    void the2022GenerationHasTheRecordedKeysInTheRecordedOrderWithTheRecordedTypes() throws IOException {
        JsonNode recorded = JSON.readTree(Recordings.text(RECORDED_2022));
        given().put("/admin/bridges/jvb-1/generation?debugGeneration=JVB_2022").then().statusCode(204);
        JsonNode served = debug("/jvb/jvb-1/debug");
        assertThat(Recordings.fieldNames(served)).containsExactlyElementsOf(Recordings.fieldNames(recorded));
        for (String key : Recordings.fieldNames(recorded)) {
            if (key.equals("overall_bridge_jitter")) {
                // null in the recording (no media had passed); a number once the bridge forwarded media
                assertThat(served.get(key).isNull() || served.get(key).isNumber()).as(key).isTrue();
            } else {
                assertThat(served.get(key).getNodeType()).as(key).isEqualTo(recorded.get(key).getNodeType());
            }
        }
        JsonNode load = served.get("load-management");
        JsonNode recordedLoad = recorded.get("load-management");
        assertThat(Recordings.fieldNames(load)).containsExactlyElementsOf(Recordings.fieldNames(recordedLoad));
        for (String key : Recordings.fieldNames(recordedLoad)) {
            assertThat(load.get(key).getNodeType()).as(key).isEqualTo(recordedLoad.get(key).getNodeType());
        }
        assertThat(load.get("reducer")).isEqualTo(recordedLoad.get("reducer"));
        assertThat(served.get("health").asText()).isEqualTo("OK");
        // /colibri/stats is not switched by the /debug generation
        given().get("/jvb/jvb-1/colibri/stats").then().statusCode(200).contentType(ContentType.JSON)
                .body("containsKey('incoming_loss')", org.hamcrest.Matchers.is(true));
    }

    @Test
    void the2022GenerationNamesTheEndpointsConnectionStatisticsInCamelCase() throws IOException {
        given().put("/admin/bridges/jvb-1/generation?debugGeneration=JVB_2022").then().statusCode(204);
        JsonNode full = debug("/jvb/jvb-1/debug?full=true");
        JsonNode transceiver = full.get("conferences").elements().next().get("endpoints").elements().next().get("transceiver");
        assertThat(transceiver.has("endpoint_connection_stats")).isFalse();
        assertThat(Recordings.fieldNames(transceiver.get("endpointConnectionStats"))).containsExactly("rtt", "incoming_loss_stats",
                "outgoing_loss_stats");
        given().put("/admin/bridges/jvb-1/generation?debugGeneration=PLEISTOCENE").then().statusCode(400);
    }

    private static String anyConference(String bridge) {
        List<String> ids = given().get("/admin/conferences").then().statusCode(200).extract().jsonPath()
                .getList("findAll { it.bridge == '" + bridge + "' && it.participants > 0 }.id");
        assertThat(ids).isNotEmpty();
        return ids.get(0);
    }

    private static JsonNode debug(String path) throws IOException {
        return JSON.readTree(given().get(path).then().statusCode(200).extract().asString());
    }
}
