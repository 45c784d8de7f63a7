package io.jitsiops.sim.contract;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;

/**
 * jicofo's {@code /stats} held to the whole document of docker-jitsi-meet stable-7439 (jicofo 1.0-9xx, July 2022;
 * recorded/jicofo, a test fixture judged "probably real", see the README there): every top-level key of it is served
 * with the same JSON type, and the nested blocks current jicofo still has keep the recorded keys and types.
 */
@QuarkusTest
class JicofoStatsStable7439ContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RECORDED = "recorded/jicofo/stats-stable-7439-prometheus-jicofo-exporter-3a73b8ff.json";
    /**
     * bridge_selector's per-strategy counters of 2022 ({@code total_least_loaded*}, {@code total_not_loaded*},
     * {@code total_split_due_to_*}): current jicofo's {@code BridgeSelector.stats} (7ebb13d) no longer has them.
     */
    private static final String REMOVED_SELECTOR_COUNTERS = "total_";

    @Test
    void servesEveryTopLevelKeyOfTheStable7439DocumentWithItsJsonType() throws IOException {
        JsonNode recorded = JSON.readTree(Recordings.text(RECORDED));
        JsonNode served = stats();
        assertThat(Recordings.fieldNames(recorded)).hasSize(18);
        for (String key : Recordings.fieldNames(recorded)) {
            assertThat(served.has(key)).as(key).isTrue();
            assertThat(served.get(key).getNodeType()).as(key).isEqualTo(recorded.get(key).getNodeType());
        }
    }

    @Test
    void theNestedBlocksKeepTheRecordedKeysAndTypes() throws IOException {
        JsonNode recorded = JSON.readTree(Recordings.text(RECORDED));
        JsonNode served = stats();
        for (String block : List.of("jibri_detector", "participant_notifications", "bridge_failures", "jibri")) {
            for (String key : Recordings.fieldNames(recorded.get(block))) {
                assertThat(served.get(block).has(key)).as(block + "." + key).isTrue();
                assertThat(served.get(block).get(key).getNodeType()).as(block + "." + key)
                        .isEqualTo(recorded.get(block).get(key).getNodeType());
            }
        }
        JsonNode selector = recorded.get("bridge_selector");
        for (String key : Recordings.fieldNames(selector)) {
            if (key.startsWith(REMOVED_SELECTOR_COUNTERS)) {
                continue;
            }
            assertThat(served.get("bridge_selector").has(key)).as("bridge_selector." + key).isTrue();
            assertThat(served.get("bridge_selector").get(key).isIntegralNumber()).as("bridge_selector." + key).isTrue();
        }
        assertThat(Set.copyOf(Recordings.fieldNames(served.get("conference_sizes")))).isEqualTo(Set.copyOf(Recordings.fieldNames(recorded.get("conference_sizes"))));
        assertThat(Recordings.fieldNames(served.get("conference_sizes").get("buckets"))).containsExactlyElementsOf(
                Recordings.fieldNames(recorded.get("conference_sizes").get("buckets")));
    }

    private static JsonNode stats() throws IOException {
        return JSON.readTree(given().get("/jicofo/stats").then().statusCode(200).extract().asString());
    }
}
