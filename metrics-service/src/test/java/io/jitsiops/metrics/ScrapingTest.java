package io.jitsiops.metrics;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.jitsiops.events.Topics;
import io.jitsiops.metrics.model.Finding;
import io.jitsiops.metrics.scrape.Findings;
import io.jitsiops.metrics.scrape.Readings;
import io.jitsiops.metrics.scrape.ScrapeTarget;
import io.jitsiops.metrics.scrape.StatsScraper;
import io.jitsiops.metrics.service.ScrapeScheduler;
import io.jitsiops.testkit.JitsiOpsTestResource;
import io.jitsiops.testkit.KafkaRecords;
import io.jitsiops.testkit.LocalServers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Scraping the simulator's bridges, jicofo and prosody as a real deployment, with its faults. */
@QuarkusTest
@QuarkusTestResource(JitsiOpsTestResource.class)
class ScrapingTest {
    @Inject
    ScrapeScheduler scheduler;
    @Inject
    StatsScraper scraper;
    @Inject
    Findings findings;

    @AfterEach
    void clear() {
        Simulator.clearFaults();
    }

    private void runAll() {
        scheduler.runAll().await().atMost(Duration.ofSeconds(30));
    }

    @Test
    void scrapesBridgesAndJicofoIntoLatestSeriesPostgresqlAndKafkaWithCounterRates() throws Exception {
        runAll();
        Thread.sleep(1100);
        runAll();
        List<String> jvb = given().queryParam("component", "jvb").queryParam("target", "jvb-1").get("/api/metrics/latest")
                .then().statusCode(200).extract().jsonPath().getList("[0].series.name");
        assertThat(jvb).anyMatch(n -> n.startsWith("jitsi_jvb_"));
        assertThat(jvb).anyMatch(n -> n.endsWith("_per_second")); // counters became rates on the second scrape
        List<String> jicofo = given().queryParam("component", "jicofo").get("/api/metrics/latest")
                .then().statusCode(200).extract().jsonPath().getList("[0].series.name");
        assertThat(jicofo).anyMatch(n -> n.startsWith("jitsi_jicofo_"));
        await().atMost(Duration.ofSeconds(20)).until(() -> Integer.parseInt(LocalServers.postgres().psql("jitsiops",
                "SELECT count(*) FROM metrics.metric_sample WHERE target = 'jvb-2' AND name LIKE 'jitsi_jvb_%'").trim()) > 0);
        ConsumerRecord<String, byte[]> r = KafkaRecords.first(Topics.METRICS, rec -> "jvb/jvb-1".equals(rec.key()));
        assertThat(new String(r.value())).contains("io.jitsiops.metrics.component-sample.v1").contains("jitsi_jvb_");
    }

    @Test
    void aGarbageOrSlowBridgeIsAScrapeErrorThatNeverDelaysTheOthers() {
        Simulator.fault("jvb-2", "GARBAGE", 0);
        runAll();
        Map<String, Object> jvb2 = target("jvb-2");
        assertThat(String.valueOf(jvb2)).contains("up=false");
        assertThat(String.valueOf(target("jvb-1"))).contains("/metrics={up=true");

        Simulator.fault("jvb-2", "SLOW", 10_000);
        long t0 = System.nanoTime();
        runAll(); // bounded by the 2 s test timeout, not by the 10 s answer
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(8_000);
        assertThat(String.valueOf(target("jvb-2"))).contains("no complete answer within 2000 ms");
        assertThat(String.valueOf(target("jvb-1"))).contains("/metrics={up=true");
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).containsPattern("jitsi_ops_metrics_scrape_errors_total\\{component=\"jvb\",target=\"jvb-2\",endpoint=\"/metrics\"\\} [1-9]");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> target(String name) {
        List<Map<String, Object>> all = given().get("/api/metrics/targets").then().statusCode(200).extract().jsonPath().getList("$");
        return (Map<String, Object>) all.stream().filter(t -> name.equals(t.get("target"))).findFirst().orElseThrow().get("endpoints");
    }

    @Test
    void readsTheWebFrontsNginxStubStatusAndRaisesAFindingWhenNginxDropsConnections() {
        Duration t = Duration.ofSeconds(2);
        ScrapeTarget web = new ScrapeTarget("web", "web-nginx", Simulator.url() + "/web", t, t, t);
        Readings first = scraper.scrape(web).await().atMost(Duration.ofSeconds(10));
        assertThat(first.value("nginx_connections_active")).isGreaterThanOrEqualTo(1.0);
        assertThat(first.value("nginx_connections_writing")).isGreaterThanOrEqualTo(1.0);
        assertThat(first.has("nginx_connections_accepted_total")).isTrue();
        assertThat(findings.all()).noneMatch(f -> f.target().equals("web-nginx"));

        given().baseUri(Simulator.url()).post("/admin/web/dropped-connections?count=5").then().statusCode(204);
        Readings second = scraper.scrape(web).await().atMost(Duration.ofSeconds(10));
        assertThat(second.value("nginx_connections_dropped_total")).isGreaterThanOrEqualTo(5.0);
        assertThat(second.has("nginx_http_requests_per_second")).isTrue();
        assertThat(findings.all()).filteredOn(f -> f.target().equals("web-nginx")).singleElement().satisfies(f -> {
            assertThat(f.endpoint()).isEqualTo("stub_status#dropped");
            assertThat(f.problem()).contains("dropped 5 accepted connections");
            assertThat(f.setting()).contains("worker_connections");
        });
        scraper.scrape(web).await().atMost(Duration.ofSeconds(10)); // no further drops: the finding clears
        assertThat(findings.all()).noneMatch(f -> f.target().equals("web-nginx"));

        given().baseUri(Simulator.url()).put("/admin/web/stub-status?enabled=false").then().statusCode(204);
        try {
            assertThat(scraper.scrape(web).await().atMost(Duration.ofSeconds(10))).isNull();
            assertThat(findings.all()).filteredOn(f -> f.target().equals("web-nginx")).singleElement()
                    .satisfies(f -> assertThat(f.setting()).contains("stub_status;"));
            // jitsi-meet's room fallback: the site's index page where the status page should be
            scraper.scrape(new ScrapeTarget("web", "web-room-page", Simulator.url() + "/web/a-room", t, t, t))
                    .await().atMost(Duration.ofSeconds(10));
            assertThat(findings.all()).filteredOn(f -> f.target().equals("web-room-page")).singleElement()
                    .satisfies(f -> assertThat(f.problem()).contains("not stub_status"));
        } finally {
            given().baseUri(Simulator.url()).put("/admin/web/stub-status?enabled=true").then().statusCode(204);
        }
    }

    @Test
    void sendsAnExplicitAcceptAndReadsTheJsonA2316xBridgeAnswersAnyway() throws Exception {
        // A bridge of the 2.3.16x era could answer /metrics with its JSON map (jitsi-videobridge #2234); this one
        // always does, rendered by jicoco's own MetricsContainer, whatever the Accept header says.
        String json = io.jitsiops.metrics.exposition.JicocoRenderedExpositionTest.jvbLike().getJsonString();
        java.util.List<String> accepts = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/metrics", exchange -> {
            accepts.add(String.valueOf(exchange.getRequestHeaders().getFirst("Accept")));
            byte[] body = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            Duration t = Duration.ofSeconds(2);
            ScrapeTarget jvb = new ScrapeTarget("jvb", "jvb-json", "http://127.0.0.1:" + server.getAddress().getPort(), t, t, t);
            Readings r = scraper.scrape(jvb).await().atMost(Duration.ofSeconds(10));
            assertThat(accepts).containsExactly(StatsScraper.ACCEPT_EXPOSITION);
            assertThat(r.value("jitsi_jvb_stress")).isEqualTo(0.31);
            assertThat(r.value("jitsi_jvb_current_endpoints")).isEqualTo(12.0);
            assertThat(r.value("jitsi_jvb_conferences_created_total")).isEqualTo(42.0);
            assertThat(r.has("jitsi_jvb_rtp_transit_time_bucket")).isTrue();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void namesTheSettingToEnableWhenAnEndpointIsSwitchedOff() {
        String nowhere = Simulator.url() + "/switched-off";
        Duration t = Duration.ofSeconds(2);
        scraper.scrape(new ScrapeTarget("jvb", "jvb-off", nowhere, t, t, t)).await().atMost(Duration.ofSeconds(10));
        scraper.scrape(new ScrapeTarget("jicofo", "jicofo-off", nowhere, t, t, t)).await().atMost(Duration.ofSeconds(10));
        scraper.scrape(new ScrapeTarget("prosody", "prosody-off", nowhere, t, t, t)).await().atMost(Duration.ofSeconds(10));
        assertThat(findings.all()).extracting(Finding::target, Finding::endpoint, Finding::setting).contains(
                org.assertj.core.groups.Tuple.tuple("jvb-off", "/metrics", "videobridge.rest.prometheus.enabled = true (jvb.conf)"),
                org.assertj.core.groups.Tuple.tuple("jvb-off", "/colibri/stats", "videobridge.apis.rest.enabled = true (jvb.conf)"),
                org.assertj.core.groups.Tuple.tuple("jicofo-off", "/metrics", "jicofo.rest.prometheus.enabled = true (jicofo.conf)"));
        assertThat(findings.all()).anyMatch(f -> f.target().equals("prosody-off") && f.setting().contains("http_openmetrics"));
        given().get("/api/metrics/findings").then().statusCode(200).body("setting", org.hamcrest.Matchers.hasItem(
                "videobridge.apis.rest.enabled = true (jvb.conf)"));
    }

    @Test
    void namesTheListenAddressWhenNothingListensAtABridgeOrJicofoAndStillPublishesTheTargetUnmeasured() {
        String nothing = "http://127.0.0.1:" + io.jitsiops.testkit.server.Ports.free();
        Duration t = Duration.ofSeconds(2);
        ScrapeTarget jvb = new ScrapeTarget("jvb", "jvb-refused", nothing, t, t, t);
        scheduler.statsOnce(jvb).await().atMost(Duration.ofSeconds(10));
        scraper.scrape(new ScrapeTarget("jicofo", "jicofo-refused", nothing, t, t, t)).await().atMost(Duration.ofSeconds(10));
        assertThat(findings.all()).filteredOn(f -> f.target().equals("jvb-refused")).singleElement().satisfies(f -> {
            assertThat(f.endpoint()).isEqualTo("connection");
            assertThat(f.problem()).startsWith("connection refused");
            assertThat(f.setting()).contains("videobridge.http-servers.private.host");
        });
        assertThat(findings.all()).filteredOn(f -> f.target().equals("jicofo-refused")).singleElement()
                .satisfies(f -> assertThat(f.setting()).contains("jicofo.rest.enabled = true").contains("jicofo.rest.host"));
        ConsumerRecord<String, byte[]> r = KafkaRecords.first(Topics.METRICS, rec -> "jvb/jvb-refused".equals(rec.key()));
        assertThat(new String(r.value())).contains("\"jitsi_ops_metrics_scrape_up\":0.0").contains("\"jitsi_ops_metrics_config_findings\":1.0");
    }

    @Test
    void publishesTheDerivedSignalsOfTheRulePackWithEachScrape() throws Exception {
        ScrapeTarget jicofo = scheduler.targets().stream().filter(x -> x.component().equals("jicofo")).findFirst().orElseThrow();
        ScrapeTarget jvb = scheduler.targets().stream().filter(x -> x.name().equals("jvb-1")).findFirst().orElseThrow();
        for (int i = 0; i < 2; i++) {
            scheduler.statsOnce(jicofo).await().atMost(Duration.ofSeconds(10));
            scheduler.statsOnce(jvb).await().atMost(Duration.ofSeconds(10));
            Thread.sleep(200);
        }
        String jicofoEvent = new String(KafkaRecords.first(Topics.METRICS, rec -> rec.key().equals("jicofo/" + jicofo.name())
                && new String(rec.value()).contains("jitsi_ops_jicofo_lost_bridges_per_minute")).value());
        assertThat(jicofoEvent).contains("jitsi_ops_jicofo_mixed_bridge_versions").contains("jitsi_ops_jicofo_ice_restarts_per_participant")
                .contains("\"jitsi_ops_metrics_scrape_up\":1.0");
        String jvbEvent = new String(KafkaRecords.first(Topics.METRICS, rec -> rec.key().equals("jvb/jvb-1")
                && new String(rec.value()).contains("jitsi_ops_jvb_ice_failure_ratio")).value());
        assertThat(jvbEvent).contains("jitsi_ops_jvb_xmpp_disconnects_per_minute").contains("jitsi_ops_jvb_muc_clients_disconnected");
        String exported = given().header("Accept", "text/plain; version=0.0.4").get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(exported).contains("# TYPE jitsi_ops_jicofo_lost_bridges_per_minute gauge")
                .contains("jitsi_ops_jvb_ice_failure_ratio{component=\"jvb\",target=\"jvb-1\"");
    }

    @Test
    void readsBothDebugGenerationsOfTheSimulatedBridgeWithTheirQuality() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        try {
            for (String generation : List.of("CURRENT", "JVB_2022")) {
                given().baseUri(Simulator.url()).put("/admin/bridges/jvb-1/generation?debugGeneration=" + generation)
                        .then().statusCode(204);
                String body = given().baseUri(Simulator.url()).get("/jvb/jvb-1/debug?full=true").then().statusCode(200)
                        .extract().asString();
                io.jitsiops.metrics.quality.BridgeDebugQuality.Result r = io.jitsiops.metrics.quality.BridgeDebugQuality
                        .read(json.readTree(body), "jvb-1", java.time.Instant.now());
                assertThat(r.bridge().generation()).as(generation).isEqualTo(generation.equals("CURRENT") ? "current" : "2022");
                assertThat(r.bridge().healthy()).as(generation).isTrue();
                assertThat(r.bridge().bridgeJitterMs()).as(generation).isNotNaN();
                assertThat(r.streams()).as(generation).isNotEmpty()
                        .allSatisfy(s -> assertThat(s.rttMs()).as(generation + " rtt from the connection statistics").isPositive());
            }
        } finally {
            given().baseUri(Simulator.url()).put("/admin/bridges/jvb-1/generation?debugGeneration=CURRENT").then().statusCode(204);
        }
    }

    /**
     * An audio-only call on the simulator (every participant joined with the camera off, no video source on the bridge):
     * published with no bitrate or frame-rate figure, not degraded, and in its conference-quality event with
     * {@code videoSent: false}, so that no bitrate rule takes it for starved video.
     */
    @Test
    void anAudioOnlyConferenceOfTheSimulatorIsPublishedWithVideoSentFalseAndNoBitrateFigure() throws Exception {
        Map<String, Object> audioOnly = given().baseUri(Simulator.url()).contentType("application/json")
                .body(Map.of("bridge", "jvb-1", "room", "webinar-" + System.nanoTime(), "participants", 4, "audioOnly", true))
                .post("/admin/conferences").then().statusCode(201).extract().jsonPath().getMap("$");
        String room = String.valueOf(audioOnly.get("room"));
        assertThat(audioOnly).containsEntry("audioOnly", true).containsEntry("videoSenders", 0);
        try {
            checkAudioOnly(room, audioOnly);
        } finally {
            given().baseUri(Simulator.url()).delete("/admin/conferences/" + audioOnly.get("id")).then().statusCode(204);
        }
    }

    private void checkAudioOnly(String room, Map<String, Object> audioOnly) throws Exception {
        Simulator.degrade(String.valueOf(audioOnly.get("id")), Map.of()); // the bridge's counters, as after a stats round
        runAll();
        Map<String, Object> q = bridgeSample(room);
        assertThat(q).containsEntry("bitrateKbps", null).containsEntry("framesPerSecond", null).containsEntry("degraded", false)
                .containsEntry("participants", audioOnly.get("participants"));
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        ConsumerRecord<String, byte[]> r = KafkaRecords.first(Topics.METRICS, rec -> rec.key().startsWith("conference/")
                && room.equals(dataOf(json, rec).path("roomName").asText()) && "bridge".equals(dataOf(json, rec).path("source").asText()));
        com.fasterxml.jackson.databind.JsonNode data = dataOf(json, r);
        assertThat(data.path("videoSent").isBoolean()).as(data.toString()).isTrue();
        assertThat(data.path("videoSent").asBoolean()).as(data.toString()).isFalse();
        assertThat(data.path("bitrateKbps").asDouble()).isEqualTo(0.0);
        assertThat(data.path("degraded").asBoolean()).isFalse();
    }

    /**
     * A participant whose camera is off does not lower its conference's bitrate mean: in a conference of the simulator
     * where the 6th joined with the camera off (no video source, SimEndpoint.Camera.NEVER_ON), the published bitrate is
     * what each video sender sends, above the mean over every participant that counting the camera-off one would give.
     */
    @Test
    void aCameraOffParticipantDoesNotLowerItsConferencesBitrateMean() throws Exception {
        String room = "camera-off-" + System.nanoTime();
        String id = given().baseUri(Simulator.url()).contentType("application/json")
                .body(Map.of("bridge", "jvb-1", "room", room, "participants", 6)).post("/admin/conferences").then().statusCode(201)
                .extract().path("id");
        try {
            Simulator.degrade(id, Map.of()); // the bridge's counters and rates of the new participants, as after a stats round
            runAll();
            String jid = room + "@conference.meet.jitsi";
            Map<String, Object> q = bridgeSample(jid);
            double published = ((Number) q.get("bitrateKbps")).doubleValue();

            // the same bridge's view of the conference, read here: every video sender sends the same (one conference quality)
            String body = given().baseUri(Simulator.url()).get("/jvb/jvb-1/debug/" + id).then().statusCode(200).extract().asString();
            List<io.jitsiops.metrics.quality.VideoSample> streams = io.jitsiops.metrics.quality.BridgeDebugQuality
                    .read(new com.fasterxml.jackson.databind.ObjectMapper().readTree(body), "jvb-1", java.time.Instant.now()).streams();
            assertThat(streams).hasSize(6).anyMatch(s -> !s.sendsVideo());
            double perSender = streams.stream().filter(io.jitsiops.metrics.quality.VideoSample::sendsVideo)
                    .mapToDouble(io.jitsiops.metrics.quality.VideoSample::bitrateKbps).max().orElseThrow();
            double overEveryone = streams.stream().mapToDouble(io.jitsiops.metrics.quality.VideoSample::bitrateKbps).average().orElseThrow();
            assertThat(published).isCloseTo(perSender, org.assertj.core.data.Offset.offset(1.0)).isGreaterThan(overEveryone + 100);
            assertThat(q.get("degraded")).isEqualTo(false);
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            com.fasterxml.jackson.databind.JsonNode data = dataOf(json, KafkaRecords.first(Topics.METRICS,
                    rec -> rec.key().startsWith("conference/") && jid.equals(dataOf(json, rec).path("roomName").asText())));
            assertThat(data.path("videoSent").asBoolean()).as(data.toString()).isTrue();
            assertThat(data.path("bitrateKbps").asDouble()).isCloseTo(perSender, org.assertj.core.data.Offset.offset(1.0));
        } finally {
            given().baseUri(Simulator.url()).delete("/admin/conferences/" + id).then().statusCode(204);
        }
    }

    /** The latest conference sample the bridge read gave for a room (the MUC JID), from /api/video-quality. */
    private static Map<String, Object> bridgeSample(String room) {
        List<Map<String, Object>> quality = given().get("/api/video-quality").then().statusCode(200).extract().jsonPath().getList("$");
        return quality.stream().filter(x -> room.equals(x.get("room")) && "bridge".equals(x.get("source"))).findFirst()
                .orElseThrow(() -> new AssertionError("no bridge sample of " + room + " in " + quality));
    }

    private static com.fasterxml.jackson.databind.JsonNode dataOf(com.fasterxml.jackson.databind.ObjectMapper json, ConsumerRecord<String, byte[]> r) {
        try {
            return json.readTree(r.value()).path("data");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void readsConferenceQualityFromTheBridgesDebugStatisticsAndPublishesADegradedOne() {
        Map<String, Object> conf = Simulator.conferences().stream().filter(c -> "jvb-1".equals(c.get("bridge"))).findFirst().orElseThrow();
        Simulator.degrade(String.valueOf(conf.get("id")), Map.of("jitterMs", 80.0));
        runAll();
        String room = String.valueOf(conf.get("room"));
        List<Map<String, Object>> quality = given().get("/api/video-quality").then().statusCode(200).extract().jsonPath().getList("$");
        Map<String, Object> q = quality.stream().filter(x -> room.equals(x.get("room")) && "bridge".equals(x.get("source")))
                .findFirst().orElseThrow(() -> new AssertionError("no bridge sample of " + room + " in " + quality));
        assertThat(((Number) q.get("participants")).intValue()).isPositive();
        assertThat(((Number) q.get("jitterMs")).doubleValue()).isGreaterThan(30.0);
        assertThat(q.get("degraded")).isEqualTo(true);
        assertThat(String.valueOf(q.get("reasons"))).contains("jitter_ms");
        ConsumerRecord<String, byte[]> r = KafkaRecords.first(Topics.METRICS, rec -> new String(rec.value()).contains("\"degraded\":true")
                && rec.key().startsWith("conference/"));
        assertThat(new String(r.value())).contains("io.jitsiops.metrics.conference-quality.v1").contains(room.replace("\"", ""));
    }
}
