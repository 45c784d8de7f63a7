package io.jitsiops.sim.contract;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Holds the simulator's {@code /colibri/stats} to a WHOLE document a real JVB 2.3.168 served (docker-jitsi-meet
 * stable-9779, recorded/README.md): every key of it, with its JSON type as the bridge wrote it ({@code 0} an
 * integer, {@code 0.0} a decimal, {@code false} a boolean). The presence-stanza recordings give keys and values as
 * strings; only a real JSON answer shows which figures a parser must read as decimals even when they are zero.
 */
@QuarkusTest
class RecordedColibriStatsDocumentTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String RECORDING = "recorded/jvb/colibri-stats-2.3.168-g28674f78-stable-9779.json";
    /**
     * Keys the simulator serves (as the current VideobridgeStatisticsShim.kt at a29d97d does) that the 2.3.168 bridge
     * did not have yet, each checked against the presence recordings of newer bridges or the upstream source by
     * {@link JitsiFormatsContractTest}.
     */
    static final Set<String> NEWER_THAN_THE_RECORDING = Set.of("tcc_unmatched_feedback", "endpoints_ice_failed",
            "relays_ice_failed", "dtls_failed_relays");

    @AfterEach
    void reset() {
        given().post("/admin/reset").then().statusCode(204);
    }

    @Test
    void colibriStatsHaveEveryKeyOfTheRecordedDocumentWithItsJsonType() throws IOException {
        JsonNode recorded = recording();
        assertThat(recorded.size()).isEqualTo(76);
        JsonNode served = JSON.readTree(given().get("/jvb/jvb-1/colibri/stats").then().statusCode(200)
                .contentType(ContentType.JSON).extract().asString());
        Map<String, String> wrongType = new TreeMap<>();
        Set<String> missing = new TreeSet<>();
        recorded.fields().forEachRemaining(e -> {
            JsonNode s = served.get(e.getKey());
            if (s == null) {
                missing.add(e.getKey());
            } else if (!type(s).equals(type(e.getValue()))) {
                wrongType.put(e.getKey(), "recorded " + type(e.getValue()) + " " + e.getValue() + ", served " + type(s) + " " + s);
            }
        });
        assertThat(missing).as("keys of the real document the simulator does not serve").isEmpty();
        assertThat(wrongType).as("keys served with another JSON type than the real bridge's").isEmpty();
        Set<String> extra = new TreeSet<>();
        served.fieldNames().forEachRemaining(k -> {
            if (!recorded.has(k) && !NEWER_THAN_THE_RECORDING.contains(k)) {
                extra.add(k);
            }
        });
        assertThat(extra).as("served keys the real 2.3.168 document lacks and no newer source explains").isEmpty();
    }

    @Test
    void theDecimalFiguresStayDecimalWhenTheyAreZero() throws IOException {
        // An idle bridge: the loss and stress figures are 0.0 in the real document, never 0.
        JsonNode served = JSON.readTree(given().get("/jvb/jvb-1/colibri/stats").then().statusCode(200).extract().asString());
        recording().fields().forEachRemaining(e -> {
            if (e.getValue().isFloatingPointNumber()) {
                assertThat(served.get(e.getKey()).isFloatingPointNumber()).as(e.getKey()).isTrue();
            }
        });
    }

    private static String type(JsonNode n) {
        if (n.isBoolean()) {
            return "boolean";
        }
        if (n.isIntegralNumber()) {
            return "integer";
        }
        if (n.isFloatingPointNumber()) {
            return "decimal";
        }
        return n.isTextual() ? "text" : n.getNodeType().name().toLowerCase();
    }

    private static JsonNode recording() throws IOException {
        try (InputStream in = RecordedColibriStatsDocumentTest.class.getClassLoader().getResourceAsStream(RECORDING)) {
            assertThat(in).as(RECORDING).isNotNull();
            return JSON.readTree(in);
        }
    }
}
