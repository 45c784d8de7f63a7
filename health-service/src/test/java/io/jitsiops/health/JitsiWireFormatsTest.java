package io.jitsiops.health;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;

import io.jitsiops.health.config.HealthConfig;
import io.jitsiops.health.probe.AboutHealthProbe;
import io.jitsiops.health.probe.CheckKey;
import io.jitsiops.health.probe.CheckStatus;
import io.jitsiops.health.probe.HttpProber;
import io.jitsiops.health.probe.JitsiMeetSiteProbe;
import io.jitsiops.health.probe.JvbStatsProbe;
import io.jitsiops.health.probe.Probe;
import io.jitsiops.health.probe.ProbeOutcome;
import io.jitsiops.health.probe.ProbeSettings;
import io.jitsiops.testkit.JitsiOpsTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The jicofo, bridge and web checks against the simulator's real-format answers: health status codes and messages
 * (500 hard, 503 soft), both /colibri/stats generations and the disabled REST API, the unhealthy bridge that still
 * answers stats, the web front's single-page fallback.
 */
@QuarkusTest
@QuarkusTestResource(JitsiOpsTestResource.class)
class JitsiWireFormatsTest {
    @Inject
    HttpProber http;
    @Inject
    HealthConfig config;

    @AfterEach
    void heal() {
        SimulatorFaults.reset();
    }

    @Test
    void aHardHealthFailureIsDownAtOnceWithTheComponentsStatusAndMessage() {
        SimulatorFaults.inject("jvb-1", "DOWN", 0);
        ProbeOutcome jvb = run(aboutHealth("jvb", "jvb-1", "/jvb/jvb-1/about/health"));
        assertThat(jvb.status()).isEqualTo(CheckStatus.DOWN);
        assertThat(jvb.error()).isEqualTo("hard failure (HTTP 500): No valid IP addresses available for harvesting.");
        assertThat(jvb.measurements()).containsEntry("http.status", 500.0);
    }

    @Test
    void jicofoWithoutAnOperationalBridgeIsDownNamingTheBridgeCount() {
        SimulatorFaults.inject("jvb-1", "DOWN", 0);
        SimulatorFaults.inject("jvb-2", "DOWN", 0);
        ProbeOutcome jicofo = run(aboutHealth("jicofo", "jicofo", "/jicofo/about/health"));
        assertThat(jicofo.status()).isEqualTo(CheckStatus.DOWN);
        assertThat(jicofo.error()).isEqualTo(
                "hard failure (HTTP 500): No operational bridges available (total bridge count: 2)");
    }

    @Test
    void aSoftHealthFailureIsDegradedUntilItPersistsThenDown() {
        SimulatorFaults.inject("jicofo", "SOFT", 0);
        AboutHealthProbe probe = aboutHealth("jicofo", "jicofo", "/jicofo/about/health");
        ProbeOutcome first = run(probe);
        assertThat(first.status()).isEqualTo(CheckStatus.DEGRADED);
        assertThat(first.error()).isEqualTo("soft failure (HTTP 503): Test conference failed to start due to timeout.");
        assertThat(first.measurements()).containsEntry("http.status", 503.0);
        assertThat(run(probe).status()).isEqualTo(CheckStatus.DEGRADED);
        ProbeOutcome third = run(probe);
        assertThat(third.status()).isEqualTo(CheckStatus.DOWN);
        assertThat(third.error()).contains("Test conference failed to start due to timeout.").contains("3 checks in a row");
        SimulatorFaults.reset();
        assertThat(run(probe).status()).isEqualTo(CheckStatus.UP);
        SimulatorFaults.inject("jicofo", "SOFT", 0);
        assertThat(run(probe).status()).as("the count starts again after a success").isEqualTo(CheckStatus.DEGRADED);
    }

    @Test
    void anUnhealthyBridgeThatStillAnswersStatsIsDownFromItsStats() {
        SimulatorFaults.inject("jvb-1", "DOWN", 0);
        ProbeOutcome stats = run(stats("jvb-1"));
        assertThat(stats.status()).isEqualTo(CheckStatus.DOWN);
        assertThat(stats.error()).isEqualTo("bridge reports itself unhealthy (healthy: false)");
        assertThat(stats.measurements()).containsEntry("jvb.healthy", 0.0);
    }

    @Test
    void aDisabledRestStatsApiIsReportedAsSuchNotAsADeadBridge() {
        given().baseUri(SimulatorFaults.url()).put("/admin/bridges/jvb-2/rest-api?enabled=false").then().statusCode(204);
        ProbeOutcome stats = run(stats("jvb-2"));
        assertThat(stats.status()).isEqualTo(CheckStatus.DEGRADED);
        assertThat(stats.error()).startsWith("REST stats API disabled (videobridge.apis.rest.enabled)");
    }

    @Test
    void currentAndPre2024StatsAreBothRead() {
        ProbeOutcome current = run(stats("jvb-1"));
        assertThat(current.status()).as(current.error()).isEqualTo(CheckStatus.UP);
        assertThat(current.measurements()).containsKeys("jvb.stress_level", "jvb.participants", "jvb.incoming_loss",
                "jvb.bit_rate_download_kbps", "jvb.rtt_ms").containsEntry("jvb.healthy", 1.0);
        given().baseUri(SimulatorFaults.url()).put("/admin/bridges/jvb-1/generation?statsGeneration=PRE_2024_04")
                .then().statusCode(204);
        ProbeOutcome old = run(stats("jvb-1"));
        assertThat(old.status()).as(old.error()).isEqualTo(CheckStatus.UP);
        assertThat(old.measurements()).containsKeys("jvb.stress_level", "jvb.participants", "jvb.incoming_loss",
                "jvb.bit_rate_download_kbps");
    }

    @Test
    void theWebCheckProvesJitsiMeetIsServedNotJustAnyPage() {
        ProbeOutcome site = run(site("meet.jitsi"));
        assertThat(site.status()).as(site.error()).isEqualTo(CheckStatus.UP);
        assertThat(site.measurements()).containsKey("web.assets_ms");
        ProbeOutcome otherDomain = run(site("other.example"));
        assertThat(otherDomain.status()).isEqualTo(CheckStatus.DEGRADED);
        assertThat(otherDomain.error()).contains("hosts.domain 'meet.jitsi'").contains("'other.example'");
        SimulatorFaults.inject("web", "GARBAGE", 0); // a 200 page that is not Jitsi Meet
        ProbeOutcome garbage = run(site("meet.jitsi"));
        assertThat(garbage.status()).isEqualTo(CheckStatus.DOWN);
        assertThat(garbage.error()).startsWith("the page is not Jitsi Meet");
    }

    @Test
    void theStatsCheckReadsTheRecordedRealBridgeStats() throws Exception {
        // JVB presence <stats> recorded from public threads (deploy/jitsi-sim/src/test/resources/recorded/README.md):
        // the same map /colibri/stats renders; typed here the way the bridge's JSON types them.
        Path recorded = Path.of("../deploy/jitsi-sim/src/test/resources/recorded/jvb");
        ObjectNode stats = JsonNodeFactory.instance.objectNode();
        try (var files = Files.list(recorded)) {
            for (Path f : files.sorted().toList()) {
                Matcher m = Pattern.compile("<stat name='([a-z0-9_]+)' value='([^']*)'/>")
                        .matcher(Files.readString(f).replace("\n", ""));
                while (m.find()) {
                    String v = m.group(2);
                    if (v.equals("true") || v.equals("false")) {
                        stats.put(m.group(1), Boolean.parseBoolean(v));
                    } else if (v.matches("-?\\d+")) {
                        stats.put(m.group(1), Long.parseLong(v));
                    } else if (v.matches("-?\\d+\\.\\d+")) {
                        stats.put(m.group(1), Double.parseDouble(v));
                    } else {
                        stats.put(m.group(1), v);
                    }
                }
            }
        }
        assertThat(stats.size()).isGreaterThan(60);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] body = stats.toString().getBytes(StandardCharsets.UTF_8);
        server.createContext("/colibri/stats", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            ProbeOutcome outcome = run(new JvbStatsProbe(new CheckKey("jvb", "recorded", "colibri-stats"),
                    URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/colibri/stats"), settings(), http,
                    config));
            assertThat(outcome.status()).as(outcome.error()).isEqualTo(CheckStatus.UP);
            assertThat(outcome.measurements()).containsEntry("jvb.stress_level", 0.0).containsEntry("jvb.participants", 0.0)
                    .containsEntry("jvb.incoming_loss", 0.0).containsEntry("jvb.bit_rate_download_kbps", 0.0)
                    .containsEntry("jvb.rtt_ms", 0.0).containsEntry("jvb.healthy", 1.0).containsEntry("jvb.drain", 0.0);
        } finally {
            server.stop(0);
        }
    }

    private AboutHealthProbe aboutHealth(String component, String target, String path) {
        return new AboutHealthProbe(new CheckKey(component, target, "about-health"),
                URI.create(SimulatorFaults.url() + path), settings(), http, config);
    }

    private JvbStatsProbe stats(String bridge) {
        return new JvbStatsProbe(new CheckKey("jvb", bridge, "colibri-stats"),
                URI.create(SimulatorFaults.url() + "/jvb/" + bridge + "/colibri/stats"), settings(), http, config);
    }

    private JitsiMeetSiteProbe site(String xmppDomain) {
        return new JitsiMeetSiteProbe(new CheckKey("web", "web", "site"), URI.create(SimulatorFaults.url() + "/web"),
                xmppDomain, settings(), http, config);
    }

    private static ProbeSettings settings() {
        return new ProbeSettings(Duration.ofSeconds(60), Duration.ofSeconds(5), 0, 200);
    }

    private static ProbeOutcome run(Probe probe) {
        return probe.run().await().atMost(Duration.ofSeconds(10));
    }
}
