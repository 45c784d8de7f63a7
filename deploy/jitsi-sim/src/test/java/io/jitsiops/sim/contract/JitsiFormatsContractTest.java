package io.jitsiops.sim.contract;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Holds the simulator to real payloads recorded from public sources (src/test/resources/recorded, sources in the
 * README there): the same keys with the same JSON types, and the reverse (every key the simulator serves is in a
 * recording, or is one of the documented exceptions with the upstream source that has it).
 */
@QuarkusTest
class JitsiFormatsContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern STAT = Pattern.compile("<stat name='([a-z0-9_]+)' value='([^']*)'/>");
    private static final List<String> JVB_RECORDINGS = List.of(
            "recorded/jvb/presence-stats-2.3-2025-01-docker-jitsi-meet-2008.txt",
            "recorded/jvb/presence-stats-2.3-stable-9823-docker-jitsi-meet-1965.txt",
            "recorded/jvb/presence-stats-2.3.215-gbee626bf-docker-jitsi-meet-795.txt");
    /**
     * Keys of VideobridgeStatisticsShim.kt (a29d97d) that no recording shows: the archived threads cut the payload
     * between total_data_channel_messages_received and preemptive_kfr_sent, and tcc_unmatched_feedback was added
     * in 2026-08 (#2440), after the recordings.
     */
    static final Set<String> NOT_IN_RECORDINGS = Set.of("tcc_unmatched_feedback", "total_data_channel_messages_sent",
            "total_colibri_web_socket_messages_received", "total_colibri_web_socket_messages_sent",
            "total_bytes_received", "endpoints_ice_failed", "dtls_failed_endpoints", "relays_ice_failed",
            "dtls_failed_relays", "total_bytes_sent", "total_packets_received", "total_packets_sent",
            "total_bytes_received_octo", "total_bytes_sent_octo", "total_packets_received_octo",
            "total_packets_sent_octo", "total_dominant_speaker_changes");

    @AfterEach
    void reset() {
        given().post("/admin/reset").then().statusCode(204);
    }

    @Test
    void colibriStatsHaveTheRecordedKeysWithTheRecordedTypesAndNothingElse() throws IOException {
        Map<String, String> recorded = new LinkedHashMap<>();
        for (String r : JVB_RECORDINGS) {
            // The archive wraps long lines; joining them restores the stanza.
            Matcher m = STAT.matcher(Recordings.text(r).replace("\n", ""));
            while (m.find()) {
                recorded.put(m.group(1), m.group(2));
            }
        }
        assertThat(recorded).hasSizeGreaterThan(60);
        JsonNode stats = JSON.readTree(given().get("/jvb/jvb-1/colibri/stats").then().statusCode(200)
                .contentType(ContentType.JSON).extract().asString());
        recorded.forEach((key, value) -> {
            assertThat(stats.has(key)).as("recorded key %s", key).isTrue();
            JsonNode served = stats.get(key);
            if (value.equals("true") || value.equals("false")) {
                assertThat(served.isBoolean()).as("%s is a boolean", key).isTrue();
            } else if (value.matches("-?\\d+")) {
                assertThat(served.isIntegralNumber()).as("%s is an integer (recorded %s), served %s", key, value, served).isTrue();
            } else if (value.matches("-?\\d+\\.\\d+(E-?\\d+)?")) {
                assertThat(served.isFloatingPointNumber()).as("%s is a decimal (recorded %s), served %s", key, value, served).isTrue();
            } else {
                assertThat(served.isTextual()).as("%s is text", key).isTrue();
            }
        });
        Set<String> extra = new TreeSet<>();
        stats.fieldNames().forEachRemaining(k -> {
            if (!recorded.containsKey(k) && !NOT_IN_RECORDINGS.contains(k)) {
                extra.add(k);
            }
        });
        assertThat(extra).as("served keys in no recording and not documented").isEmpty();
        assertThat(stats.get("current_timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}");
        assertThat(stats.has("relay_id")).isFalse();
        assertThat(stats.has("region")).isFalse();
    }

    @Test
    void theRestStatsApiIsOffUnlessEnabledAndAnOlderGenerationIsServedOnRequest() throws IOException {
        given().get("/jvb/jvb-2/colibri/stats").then().statusCode(404);
        given().put("/admin/bridges/jvb-2/rest-api?enabled=true").then().statusCode(204);
        given().put("/admin/bridges/jvb-2/generation?statsGeneration=PRE_2024_04&jvbVersion=2.3.92-g1234567").then()
                .statusCode(204);
        // VideobridgeStatistics.java at e80e868: decimal bit rates, jitter, size arrays of 22 buckets.
        JsonNode old = JSON.readTree(given().get("/jvb/jvb-2/colibri/stats").then().statusCode(200).extract().asString());
        assertThat(old.get("bit_rate_download").isFloatingPointNumber()).isTrue();
        assertThat(old.get("jitter_aggregate").isFloatingPointNumber()).isTrue();
        assertThat(old.get("conference_sizes").size()).isEqualTo(22);
        assertThat(old.get("total_failed_conferences").isIntegralNumber()).isTrue();
        assertThat(old.get("version").asText()).isEqualTo("2.3.92-g1234567");
        assertThat(old.has("shutting_down")).isFalse();
        assertThat(old.has("tcc_unmatched_feedback")).isFalse();
        given().post("/admin/reset").then().statusCode(204);
        given().get("/jvb/jvb-2/colibri/stats").then().statusCode(404);
    }

    @Test
    void metricsAreRenderedByJicocosMetricsContainerWithTheBridgesNamesAndNegotiation() {
        String text = given().accept("text/plain; version=0.0.4").get("/jvb/jvb-1/metrics").then().statusCode(200)
                .contentType(containsString("text/plain; version=0.0.4")).extract().asString();
        for (String name : List.of("jitsi_jvb_stress ", "jitsi_jvb_current_endpoints ", "jitsi_jvb_incoming_bitrate ",
                "jitsi_jvb_average_rtt ", "jitsi_jvb_incoming_loss_fraction ", "jitsi_jvb_thread_count ",
                "jitsi_jvb_drain_mode ", "jitsi_jvb_conferences_by_size_bucket{le=\"20.0\",}",
                "jitsi_jvb_rtp_transit_time_bucket{le=\"5.0\",}", "jitsi_jvb_healthy 1.0",
                "jitsi_jvb_conferences_created_total ")) {
            assertThat(text).contains("\n" + name);
        }
        assertThat(text).doesNotContain("_created{").doesNotContain("# EOF");
        String open = given().accept("application/openmetrics-text").get("/jvb/jvb-1/metrics").then().statusCode(200)
                .contentType(containsString("application/openmetrics-text; version=1.0.0")).extract().asString();
        assertThat(open).endsWith("# EOF\n").contains("jitsi_jvb_conferences_created_created ");
        given().accept("application/json").get("/jvb/jvb-1/metrics").then().statusCode(200)
                .contentType(ContentType.JSON).body("healthy", equalTo(true)).body("conferences", equalTo(2));
        given().accept("image/png").get("/jvb/jvb-1/metrics").then().statusCode(500);

        String jicofo = given().accept("text/plain").get("/jicofo/metrics").then().statusCode(200).extract().asString();
        assertThat(jicofo).contains("# TYPE jitsi_jicofo_participants_current gauge")
                .contains("# TYPE jitsi_jicofo_participants_total counter")
                .contains("\njitsi_jicofo_bridge_selector_bridge_count_operational 2.0")
                .contains("\njitsi_jicofo_bridge_selector_bridge_count_in_shutdown 0.0")
                .contains("\njitsi_jicofo_bridge_selector_lost_bridges_total 0.0");
    }

    @Test
    void anUnhealthyBridgeFailsItsHealthCheckButStillServesStatsAndMetrics() {
        fault("jvb-1", "{\"kind\":\"DOWN\",\"message\":\"Address discovery through STUN failed\"}");
        given().get("/jvb/jvb-1/about/health").then().statusCode(500).body(equalTo("Address discovery through STUN failed"));
        given().get("/jvb/jvb-1/colibri/stats").then().statusCode(200).body("healthy", equalTo(false));
        assertThat(given().accept("text/plain").get("/jvb/jvb-1/metrics").then().statusCode(200).extract().asString())
                .contains("\njitsi_jvb_healthy 0.0");
        given().get("/jvb/jvb-1/debug").then().statusCode(200).body("health.success", equalTo(false))
                .body("health.hardFailure", equalTo(true)).body("health.message", equalTo("Address discovery through STUN failed"));
        given().get("/jicofo/about/health").then().statusCode(200).body(equalTo("OK"));
        given().get("/jicofo/stats").then().body("bridge_selector.operational_bridge_count", equalTo(1));
    }

    @Test
    void jicofoFailsHardWithoutOperationalBridgesAndSoftOnATimeout() {
        fault("jvb-1", "{\"kind\":\"DOWN\"}");
        fault("jvb-2", "{\"kind\":\"DOWN\"}");
        given().get("/jicofo/about/health").then().statusCode(500)
                .body(equalTo("No operational bridges available (total bridge count: 2)"));
        given().get("/jicofo/stats").then().body("healthy", equalTo(false)).body("health.hardFailure", equalTo(true))
                .body("bridge_selector.operational_bridge_count", equalTo(0)).body("bridge_selector.bridge_count", equalTo(2));
        assertThat(given().accept("text/plain").get("/jicofo/metrics").then().statusCode(200).extract().asString())
                .contains("\njitsi_jicofo_bridge_selector_bridge_count_operational 0.0");
        given().delete("/admin/faults").then().statusCode(204);
        fault("jicofo", "{\"kind\":\"SOFT\"}");
        given().get("/jicofo/about/health").then().statusCode(503)
                .body(equalTo("Test conference failed to start due to timeout."));
    }

    @Test
    void aCrashedBridgeRefusesConnectionsOnItsOwnPortAndLeavesJicofosBridgeCount() throws Exception {
        Map<String, String> ports = given().get("/admin/jitsi/ports").then().statusCode(200).extract().as(Map.class);
        URI own = URI.create(ports.get("jvb-2"));
        int lostBefore = given().get("/jicofo/stats").then().extract().path("bridge_selector.lost_bridges");
        given().baseUri(own.toString()).get("/about/health").then().statusCode(200);
        fault("jvb-2", "{\"kind\":\"REFUSED\"}");
        assertRefuses(own);
        given().get("/jicofo/stats").then().body("bridge_selector.bridge_count", equalTo(1))
                .body("bridge_selector.lost_bridges", equalTo(lostBefore + 1)); // cumulative, like jicofo's
        given().delete("/admin/faults/jvb-2").then().statusCode(204);
        given().baseUri(own.toString()).get("/about/health").then().statusCode(200);
    }

    @Test
    void aCrashedWebFrontRefusesConnectionsOnItsOwnPortAndServesAgainWhenCleared() throws Exception {
        Map<String, String> ports = given().get("/admin/jitsi/ports").then().statusCode(200).extract().as(Map.class);
        URI own = URI.create(ports.get("web"));
        given().baseUri(own.toString()).get("/nginx_status").then().statusCode(200).body(containsString("Active connections: "));
        fault("web", "{\"kind\":\"REFUSED\"}");
        try {
            assertRefuses(own);
        } finally {
            given().delete("/admin/faults/web").then().statusCode(204);
        }
        given().baseUri(own.toString()).get("/nginx_status").then().statusCode(200);
    }

    @Test
    void debugHasTheBridgesShapeAndQualityLivesInTheEndpointsTransceiverStatistics() throws IOException {
        String id = given().contentType(ContentType.JSON).body("{\"bridge\":\"jvb-1\",\"room\":\"quality\",\"participants\":3}")
                .post("/admin/conferences").then().statusCode(201).extract().path("id");
        given().contentType(ContentType.JSON).body("{\"packetLossPercent\":20.0,\"jitterMs\":90.0,\"frameHeight\":360}")
                .post("/admin/conferences/" + id + "/degrade").then().statusCode(200);
        JsonNode shortDebug = JSON.readTree(given().get("/jvb/jvb-1/debug").then().statusCode(200).extract().asString());
        // Videobridge.getDebugState: overall_bridge_jitter follows load_management once PacketTransitStats has one
        assertThat(fieldNames(shortDebug)).containsExactly("shutdown_state", "drain", "time", "load_management",
                "overall_bridge_jitter", "conferences", "health");
        assertThat(shortDebug.get("overall_bridge_jitter").isDouble()).isTrue();
        assertThat(fieldNames(shortDebug.get("load_management"))).containsExactly("state", "stress", "reducer_enabled");
        JsonNode conf = shortDebug.get("conferences").get(id);
        assertThat(fieldNames(conf)).containsExactly("id", "rtcstatsEnabled", "name", "meeting_id", "endpoints", "relays");
        assertThat(conf.get("endpoints").elements().next().isTextual()).isTrue(); // SHORT: id -> stats_id
        assertThat(conf.has("quality")).isFalse();

        JsonNode full = JSON.readTree(given().get("/jvb/jvb-1/debug?full=true").then().statusCode(200).extract().asString());
        JsonNode endpoint = full.get("conferences").get(id).get("endpoints").elements().next();
        JsonNode transceiver = endpoint.get("transceiver");
        JsonNode loss = transceiver.get("endpoint_connection_stats").get("incoming_loss_stats");
        assertThat(loss.has("packets_lost")).isTrue();
        JsonNode incoming = transceiver.get("receiver").get("Incoming statistics tracker");
        JsonNode video = null;
        for (JsonNode ssrc : incoming) {
            if (ssrc.isObject() && "VIDEO".equals(ssrc.path("media_type").asText())) {
                video = ssrc;
            }
        }
        assertThat(video).isNotNull();
        assertThat(video.get("jitter").asDouble()).isEqualTo(90.0);
        JsonNode camera = transceiver.get("media_sources").elements().next();
        JsonNode encoding = null;
        for (var it = camera.fields(); it.hasNext();) {
            var f = it.next();
            if (f.getKey().startsWith("rtp_encoding_")) {
                encoding = f.getValue();
            }
        }
        // 360p: the 720p layer carries nothing, the 360p one does.
        assertThat(encoding.get("E0S2T2").get("bitrate_bps").asLong()).isZero();
        assertThat(encoding.get("E0S1T2").get("bitrate_bps").asLong()).isPositive();
        String endpointId = full.get("conferences").get(id).get("endpoints").fieldNames().next();
        given().get("/jvb/jvb-1/debug/" + id + "/" + endpointId).then().statusCode(200)
                .body("conferences." + id + ".endpoints.size()", equalTo(1))
                .body("conferences." + id + ".endpoints." + endpointId + ".stats_id", org.hamcrest.Matchers.notNullValue());
        given().get("/jvb/jvb-1/debug/no-such-conference").then().statusCode(200)
                .body("conferences.no-such-conference", equalTo("null"));
        given().get("/jvb/jvb-1/colibri/stats").then().body("incoming_loss", org.hamcrest.Matchers.greaterThan(0.05f));
        given().delete("/admin/conferences/" + id).then().statusCode(204);
    }

    /**
     * A participant with the camera off, as jitsi-videobridge a29d97d shows it. Joined with it off (the 6th to join):
     * no video source was signaled, so {@code Colibri2ConferenceHandler} leaves the endpoint without one
     * ({@code MediaSources.debugState}: an empty object) and {@code IncomingStatisticsTracker} never saw a video SSRC;
     * its audio flows. Turned off after joining (the 3rd): the source stays, with the {@code NONE} that lib-jitsi-meet's
     * {@code SourceVideoTypeMessage} sets ({@code AbstractEndpoint.setVideoType}), every layer at 0 bps, the video SSRC's
     * counters frozen. The bridge counts neither as a video sender ({@code Endpoint.isSendingVideo}). Endpoints are
     * found by what they show, not by position: the simulator's churn may replace a participant meanwhile.
     */
    @Test
    void aCameraOffParticipantSendsOnlyAudioAndHasNoVideoSourceOrANoneOneWithoutBits() throws IOException {
        String id = given().contentType(ContentType.JSON).body("{\"bridge\":\"jvb-1\",\"room\":\"cameras\",\"participants\":6}")
                .post("/admin/conferences").then().statusCode(201).extract().path("id");
        try {
            // the 3rd turns its camera off 10 s after joining (SimEndpoint.CAMERA_ON_BEFORE_TURNED_OFF)
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(40)).pollInterval(java.time.Duration.ofSeconds(1))
                    .until(() -> endpoints(id).values().stream().anyMatch(e -> "NONE".equals(videoType(e))));
            given().contentType(ContentType.JSON).body("{}").post("/admin/conferences/" + id + "/degrade").then().statusCode(200);
            Map<String, JsonNode> first = endpoints(id);
            given().contentType(ContentType.JSON).body("{}").post("/admin/conferences/" + id + "/degrade").then().statusCode(200);
            Map<String, JsonNode> later = endpoints(id);

            JsonNode joinedWithout = later.values().stream().filter(e -> e.get("transceiver").get("media_sources").size() == 0)
                    .findFirst().orElseThrow(() -> new AssertionError("no endpoint without a video source: " + later));
            assertThat(joinedWithout.get("transceiver").get("media_sources").isObject()).isTrue();
            assertThat(ssrcs(joinedWithout)).extracting(n -> n.get("media_type").asText()).containsExactly("AUDIO");
            assertThat(ssrcs(joinedWithout).get(0).get("num_received_packets").asLong()).isPositive();
            assertThat(joinedWithout.get("transceiver").get("endpoint_connection_stats").get("incoming_loss_stats")
                    .get("packets_received").asLong()).isPositive();
            assertThat(joinedWithout.get("accept_video").asBoolean()).isTrue(); // it still receives the others' video

            String turnedOffId = later.entrySet().stream().filter(e -> "NONE".equals(videoType(e.getValue()))).findFirst()
                    .orElseThrow().getKey();
            JsonNode turnedOff = later.get(turnedOffId);
            assertThat(layers(turnedOff)).hasSize(3).allSatisfy(l -> {
                assertThat(l.get("bitrate_bps").asLong()).isZero();
                assertThat(l.get("height").asInt()).isPositive();
            });
            assertThat(ssrc(turnedOff, "VIDEO").get("num_received_packets").asLong()).isPositive()
                    .isEqualTo(ssrc(first.get(turnedOffId), "VIDEO").get("num_received_packets").asLong());
            assertThat(ssrc(turnedOff, "AUDIO").get("num_received_packets").asLong())
                    .isGreaterThanOrEqualTo(ssrc(first.get(turnedOffId), "AUDIO").get("num_received_packets").asLong()).isPositive();

            // the participants with their camera on, there in both reads (one who joined since has no rate yet)
            assertThat(later.entrySet()).filteredOn(e -> first.containsKey(e.getKey()) && "CAMERA".equals(videoType(e.getValue())))
                    .hasSizeGreaterThanOrEqualTo(3)
                    .allSatisfy(e -> assertThat(layers(e.getValue())).as(e.getKey()).anyMatch(l -> l.get("bitrate_bps").asLong() > 0));
            Map<String, Object> view = given().get("/admin/conferences").then().statusCode(200).extract().jsonPath()
                    .<Map<String, Object>>getList("$").stream().filter(c -> id.equals(c.get("id"))).findFirst().orElseThrow();
            assertThat(view).containsEntry("participants", 6).containsEntry("audioOnly", false);
            assertThat((Integer) view.get("videoSenders")).isBetween(1, 5);
        } finally {
            given().delete("/admin/conferences/" + id).then().statusCode(204);
        }
    }

    /** The endpoints of a conference on jvb-1 by id, from {@code /debug/{conf}} (full). */
    private static Map<String, JsonNode> endpoints(String conferenceId) throws IOException {
        JsonNode conf = JSON.readTree(given().get("/jvb/jvb-1/debug/" + conferenceId).then().statusCode(200).extract().asString())
                .get("conferences").get(conferenceId);
        Map<String, JsonNode> map = new LinkedHashMap<>();
        conf.get("endpoints").fields().forEachRemaining(f -> map.put(f.getKey(), f.getValue()));
        return map;
    }

    /** The endpoint's camera source's video_type; null without a source. */
    private static String videoType(JsonNode endpoint) {
        JsonNode sources = endpoint.get("transceiver").get("media_sources");
        return sources.size() == 0 ? null : sources.elements().next().get("video_type").asText();
    }

    private static List<JsonNode> ssrcs(JsonNode endpoint) {
        List<JsonNode> list = new java.util.ArrayList<>();
        endpoint.get("transceiver").get("receiver").get("Incoming statistics tracker").elements().forEachRemaining(n -> {
            if (n.isObject()) {
                list.add(n);
            }
        });
        return list;
    }

    private static JsonNode ssrc(JsonNode endpoint, String mediaType) {
        return ssrcs(endpoint).stream().filter(n -> mediaType.equals(n.get("media_type").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + mediaType + " SSRC: " + endpoint));
    }

    /** The layers of the endpoint's camera source. */
    private static List<JsonNode> layers(JsonNode endpoint) {
        List<JsonNode> list = new java.util.ArrayList<>();
        endpoint.get("transceiver").get("media_sources").elements().next().fields().forEachRemaining(f -> {
            if (f.getKey().startsWith("rtp_encoding_")) {
                f.getValue().elements().forEachRemaining(l -> {
                    if (l.isObject()) {
                        list.add(l);
                    }
                });
            }
        });
        return list;
    }

    @Test
    void jicofoStatsKeepTheKeysOfTheRecordedOlderJicofoThatCurrentJicofoStillHas() throws IOException {
        String fragment = Recordings.text("recorded/jicofo/stats-1.0-832-jicofo-861.json.fragment");
        JsonNode stats = JSON.readTree(given().get("/jicofo/stats").then().statusCode(200).extract().asString());
        // Keys current jicofo (FocusManager.kt, JicofoServices.kt, 7ebb13d) still has, with their recorded types.
        for (String key : List.of("jibri_detector", "largest_conference", "total_conferences_created", "threads",
                "jingle", "bridge_failures", "total_participants", "participant_notifications", "queues", "jigasi",
                "bridge_selector")) {
            assertThat(fragment).contains("\"" + key + "\":");
            assertThat(stats.has(key)).as(key).isTrue();
        }
        assertThat(fieldNames(stats.get("jibri_detector"))).containsExactly("count", "available");
        assertThat(fieldNames(stats.get("bridge_failures"))).containsExactly("participants_moved", "bridges_removed");
        assertThat(fieldNames(stats.get("participant_notifications"))).containsExactly("ice_failed", "request_restart");
        assertThat(stats.get("bridge_selector").get("lost_bridges").isIntegralNumber()).isTrue();
        // Changed since 1.0-832 (documented in FORMATS.md): conference_sizes is a BucketStats object, not an array.
        assertThat(fragment).contains("\"conference_sizes\":[");
        assertThat(stats.get("conference_sizes").isObject()).isTrue();
        for (String key : List.of("participants", "conferences", "version", "healthy", "visitors", "endpoint_pairs",
                "jibri", "sip_jibri_detector", "slow_health_check", "health")) {
            assertThat(stats.has(key)).as(key).isTrue();
        }
        assertThat(fieldNames(stats.get("bridge_selector"))).containsExactly("bridge_count", "operational_bridge_count",
                "in_shutdown_bridge_count", "lost_bridges", "bridge_version_count");
    }

    @Test
    void jicofoConferenceSizesHaveTheBucketStatsShapeOfTheRecordedJicofoOf2022() throws IOException {
        // jicofo 1.0-940-1 (jicofo issue #998) and 1.0 of 2022-10 (#995): conference_sizes as jitsi-utils BucketStats
        JsonNode served = JSON.readTree(given().get("/jicofo/stats").then().statusCode(200).extract().asString()).get("conference_sizes");
        for (String file : List.of("recorded/jicofo/stats-1.0-940-1-jicofo-998.json.fragment",
                "recorded/jicofo/stats-1.0-2022-10-jicofo-995.json.fragment")) {
            String fragment = Recordings.text(file);
            int start = fragment.indexOf("\"conference_sizes\":") + "\"conference_sizes\":".length();
            JsonNode recorded = JSON.readTree(fragment.substring(start, matchingBrace(fragment, start) + 1));
            assertThat(fieldNames(served)).as(file).containsExactlyElementsOf(fieldNames(recorded));
            assertThat(fieldNames(served.get("buckets"))).as(file).containsExactlyElementsOf(fieldNames(recorded.get("buckets")));
            assertThat(served.get("buckets").get("3_to_5").isIntegralNumber()).isTrue();
            assertThat(served.get("average").isNumber()).isTrue();
        }
    }

    @Test
    void theMetricsJsonFormUsesTheBareNamesOfTheRecordedBridge() throws IOException {
        // JVB 2.3 answering /metrics as JSON (jitsi-videobridge issue #2234): keys without the jitsi_jvb_ namespace
        String fragment = Recordings.text("recorded/jvb/metrics-json-no-accept-2.3-2024-10-jitsi-videobridge-2234.txt.fragment");
        assertThat(fragment).contains("{\"endpoints_with_suspended_sources\":0,");
        JsonNode json = JSON.readTree(given().accept("application/json").get("/jvb/jvb-1/metrics").then().statusCode(200)
                .extract().asString());
        assertThat(json.has("endpoints_with_suspended_sources")).isTrue();
        assertThat(json.get("endpoints_with_suspended_sources").isIntegralNumber()).isTrue();
        json.fieldNames().forEachRemaining(k -> assertThat(k).doesNotStartWith("jitsi_jvb_"));
    }

    private static int matchingBrace(String text, int open) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalStateException("no closing brace after " + open);
    }

    @Test
    void jitsiLogLinesHaveTheShapeOfTheRecordedRealLines() throws IOException {
        Pattern line = Pattern.compile("^(JVB|Jicofo) \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} "
                + "(SEVERE|WARNING|INFO|CONFIG|FINE|FINER|FINEST): \\[\\d+] (\\[[^]]*] )?[A-Za-z]+\\.[\\w$<>]+#\\d+: .*");
        String recorded = Recordings.text("recorded/jvb/presence-stats-2.3-2025-01-docker-jitsi-meet-2008.txt");
        String realLine = recorded.substring(recorded.indexOf("Jicofo "), recorded.indexOf("Presence received") + 17);
        assertThat(realLine).matches(line);
        given().post("/admin/logs/jvb/errors?count=2").then().statusCode(204);
        given().post("/admin/logs/jicofo/errors?count=2").then().statusCode(204);
        List<String> jvb = Files.readAllLines(Path.of("target/jitsi-sim-logs/jitsi/jvb.log"), StandardCharsets.UTF_8);
        assertThat(jvb).anyMatch(l -> line.matcher(l).matches() && l.contains("[confId=") && l.contains(" epId=")
                && l.contains(" stats_id=") && l.contains("Endpoint.<init>#"));
        assertThat(jvb).anyMatch(l -> line.matcher(l).matches() && l.contains("Conference.lambda$new$"));
        assertThat(jvb).anyMatch(l -> l.startsWith("Caused by: ")).anyMatch(l -> l.matches("\t\\.\\.\\. \\d+ more"));
        // HealthChecker logs a success at FINE (off at INFO), except the first one after a failure, at INFO.
        assertThat(jvb.stream().filter(l -> l.contains("Performed a successful health check")).count())
                .isLessThanOrEqualTo(jvb.stream().filter(l -> l.contains("HealthChecker.run#") && l.contains("Health check failed"))
                        .count());
        List<String> jicofo = Files.readAllLines(Path.of("target/jitsi-sim-logs/jitsi/jicofo.log"), StandardCharsets.UTF_8);
        assertThat(jicofo).anyMatch(l -> line.matcher(l).matches() && l.contains("[room=") && l.contains(" meeting_id="));
        assertThat(jicofo).anyMatch(l -> l.contains(" SEVERE: ") && l.contains("ParticipantInviteRunnable.doRun#"));
        fault("jvb-2", "{\"kind\":\"REFUSED\"}");
        List<String> after = Files.readAllLines(Path.of("target/jitsi-sim-logs/jitsi/jicofo.log"), StandardCharsets.UTF_8);
        assertThat(after).anyMatch(l -> line.matcher(l).matches() && l.contains(" WARNING: ")
                && l.contains("BridgeSelector.removeJvbAddress#") && l.endsWith("Lost a bridge: jvbbrewery@internal-muc.meet.jitsi/jvb-2"));
    }

    @Test
    void prosodyTracebacksAreIndentedLikeTheRecordedOnes() throws IOException {
        String recorded = Recordings.text("recorded/prosody/prosodyctl-0.12-traceback-docker-jitsi-meet-1487.txt");
        given().post("/admin/logs/prosody/errors?count=1").then().statusCode(204);
        List<String> lines = Files.readAllLines(Path.of("target/jitsi-sim-logs/prosody/prosody.log"), StandardCharsets.UTF_8);
        assertThat(recorded).contains("\n\tstack traceback:\n\t");
        assertThat(lines).anyMatch(l -> l.matches("[A-Z][a-z]{2} \\d\\d \\d\\d:\\d\\d:\\d\\d modulemanager\terror\t.*"))
                .contains("\tstack traceback:");
        assertThat(lines).anyMatch(l -> l.matches("[A-Z][a-z]{2} \\d\\d \\d\\d:\\d\\d:\\d\\d bosh[0-9a-f]+\tinfo\t"
                + "New BOSH session, assigned it sid '[0-9a-f-]{36}'"));
    }

    @Test
    void theWebFrontAnswersTheIndexForAnyPathAndServesConfigAndExternalApi() {
        given().get("/web/some-room").then().statusCode(200).body(containsString("app.bundle.min.js"));
        given().get("/web/about/health").then().statusCode(200).body(containsString("<title>Jitsi Meet</title>"));
        given().get("/web/config.js").then().statusCode(200).contentType(containsString("javascript"))
                .body(containsString("domain: 'meet.jitsi'"));
        given().get("/web/external_api.js").then().statusCode(200).body(containsString("JitsiMeetExternalAPI"));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /**
     * Waits up to 5 s for {@code uri}'s port to refuse connections, and otherwise fails saying what answered (CI once
     * saw a connection succeed right after the listener was closed, in the run of stop 31). A socket whose own port is the
     * target's is the kernel connecting the client to itself (TCP simultaneous open on a free loopback port), not a
     * listener, so it counts as refused.
     */
    private static void assertRefuses(URI uri) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        String answered;
        do {
            try (Socket s = new Socket(uri.getHost(), uri.getPort())) {
                if (s.getLocalPort() == uri.getPort()) {
                    return;
                }
                answered = "connected from port " + s.getLocalPort() + " to " + uri;
            } catch (ConnectException e) {
                return;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("still accepting connections 5 s after the REFUSED fault: " + answered);
    }

    private static void fault(String target, String body) {
        given().contentType(ContentType.JSON).body(body).put("/admin/faults/" + target).then().statusCode(204);
    }
}
