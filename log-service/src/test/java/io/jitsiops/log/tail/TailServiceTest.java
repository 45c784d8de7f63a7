package io.jitsiops.log.tail;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.jitsiops.events.EventCodec;
import io.jitsiops.events.Topics;
import io.jitsiops.events.payload.LogErrorEntry;
import io.jitsiops.testkit.JitsiOpsTestResource;
import io.jitsiops.testkit.KafkaRecords;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The service follows the simulator's log files named in the deployment description: entries reach the
 * entries topic, an nginx 5xx burst becomes a category with its recommendation in the analysis, stored
 * errors, and LogErrorEntry events on jitsi-ops.logs.
 */
@QuarkusTest
@QuarkusTestResource(JitsiOpsTestResource.class)
class TailServiceTest {
    @ConfigProperty(name = "jitsiops.simulator.url")
    String simulator;

    @Test
    void anNginx5xxBurstIsShippedCategorisedAnalysedAndPublished() {
        given().baseUri(simulator).post("/admin/logs/nginx/errors?count=15").then().statusCode(org.hamcrest.Matchers.lessThan(300));
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            JsonPath a = given().get("/api/logs/analysis?window=1h").then().statusCode(200).extract().jsonPath();
            assertThat(a.getLong("byCategory.http-5xx")).isGreaterThanOrEqualTo(15);
            assertThat(a.getList("recommendations.category", String.class)).contains("http-5xx");
            assertThat(a.getLong("byComponent.nginx")).isGreaterThanOrEqualTo(15);
        });
        List<?> stored = given().get("/api/logs/errors?component=nginx&category=http-5xx").then().statusCode(200)
                .extract().jsonPath().getList("$");
        assertThat(stored).hasSizeGreaterThanOrEqualTo(15);
        EventCodec codec = new EventCodec();
        var record = KafkaRecords.first(Topics.LOGS, r -> new String(r.value()).contains("http-5xx"));
        LogErrorEntry e = (LogErrorEntry) codec.decode(record.value()).data();
        assertThat(e.component()).isEqualTo("nginx");
        assertThat(e.category()).isEqualTo("http-5xx");
        assertThat(e.file()).endsWith("nginx/access.log");
    }

    @Test
    void everyConfiguredSourceHasItsTailingMetersTaggedByComponentFormatAndConfiguredPath() {
        // the test kit's deployment description: prosody, jicofo, jvb and nginx (access) in the simulator's log folder
        List<String> names = List.of("jitsiops_log_lines_read_total", "jitsiops_log_entries_shipped_total",
                "jitsiops_log_entries_unparsed_total", "jitsiops_log_rotations_total", "jitsiops_log_truncations_total",
                "jitsiops_log_bytes_behind", "jitsiops_log_last_line_timestamp_seconds", "jitsiops_log_files_open",
                "jitsiops_log_files_retired_total");
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            List<String> samples = given().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                    .filter(l -> l.startsWith("jitsiops_log_")).toList();
            for (String[] source : new String[][] { { "prosody", "prosody", "prosody/prosody.log" },
                    { "jicofo", "jicofo", "jitsi/jicofo.log" }, { "jvb", "jvb", "jitsi/jvb.log" },
                    { "nginx", "nginx_access", "nginx/access.log" } }) {
                for (String name : names) {
                    assertThat(samples).as(name + " of " + source[0]).anyMatch(l -> l.startsWith(name + "{")
                            && l.contains("component=\"" + source[0] + "\"") && l.contains("format=\"" + source[1] + "\"")
                            && l.matches(".*source=\"[^\"]*/" + source[2] + "\".*"));
                }
            }
            // the simulator writes its JVB log: read, shipped, one file open
            assertThat(samples).anyMatch(l -> l.startsWith("jitsiops_log_lines_read_total{") && l.contains("component=\"jvb\"")
                    && value(l) > 0);
            assertThat(samples).anyMatch(l -> l.startsWith("jitsiops_log_files_open{") && l.contains("component=\"jvb\"")
                    && value(l) == 1);
        });
    }

    private static double value(String sample) {
        return Double.parseDouble(sample.substring(sample.lastIndexOf(' ') + 1));
    }

    @Test
    void theSimulatorsJvbLogReachesTheEntriesTopic() {
        var record = KafkaRecords.first(TailFiles.TOPIC, r -> r.key() != null && r.key().endsWith("jitsi/jvb.log"));
        assertThat(new String(record.value())).contains("\"component\":\"jvb\"").contains("\"parsed\":true");
    }
}
