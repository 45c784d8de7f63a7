package io.jitsiops.metrics;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.jitsiops.metrics.exposition.ExpositionParser;
import io.jitsiops.metrics.exposition.MetricFamily;
import io.jitsiops.metrics.scrape.StatsScraper;
import io.jitsiops.metrics.service.ScrapeScheduler;
import io.jitsiops.testkit.JitsiOpsTestResource;
import io.jitsiops.testkit.SelfMonitoringRules;
import io.jitsiops.testkit.server.DebianPackages;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Everything collected is on /q/metrics under stable names, and Prometheus' own linter accepts it. promtool reads
 * only this service's series (the jitsi_* families): Quarkus' built-in process_cpu_time_ns has a HELP text with
 * {@code \"}, which promtool 2.42 refuses, and that is not ours to change.
 */
@QuarkusTest
@QuarkusTestResource(JitsiOpsTestResource.class)
class ReExportTest {
    @Inject
    ScrapeScheduler scheduler;

    @Test
    void reExportsTheBridgesOwnFamiliesConferencesAndScrapeHealthAndPromtoolAcceptsThem() throws Exception {
        scheduler.runAll().await().atMost(Duration.ofSeconds(30));
        scheduler.runAll().await().atMost(Duration.ofSeconds(30)); // a second scrape: the derived signals too
        String text = given().accept("text/plain; version=0.0.4").get("/q/metrics").then().statusCode(200).extract().asString();
        List<MetricFamily> families = ExpositionParser.parse(text, ExpositionParser.Format.PROMETHEUS_0_0_4);
        List<String> names = families.stream().map(MetricFamily::name).toList();
        assertThat(names).contains("jitsi_jvb_stress", "jitsi_jvb_current_endpoints", "jitsi_ops_conference_bitrate",
                "jitsi_ops_jvb_ice_failure_ratio", "jitsi_ops_jicofo_lost_bridges_per_minute",
                "jitsi_ops_metrics_scrape_up", "jitsi_ops_metrics_buffer_dropped_total", "jitsi_ops_metrics_export_overflow_total");
        assertThat(text).containsPattern("jitsi_jvb_stress\\{component=\"jvb\",target=\"jvb-1\"[,}]");
        assertThat(text).contains("jitsi_jvb_conferences_by_size_bucket{component=\"jvb\",target=\"jvb-1\",le=\"+Inf\"");

        DebianPackages.require("prometheus", "/usr/bin/promtool");
        String ours = only(text, "jitsi_");
        Process p = new ProcessBuilder("/usr/bin/promtool", "check", "metrics").redirectErrorStream(true).start();
        p.getOutputStream().write(ours.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        // Exit 1 would be a format error; 3 means lint remarks. Our own series (jitsi_ops_*) must have none. Remarks on
        // the Jitsi servers' own names are expected and kept as they are (the re-export follows the native names):
        // "_count" on jitsi_jvb_thread_count / jitsi_jicofo_bridge_selector_bridge_count, "milliseconds" in
        // jitsi_jvb_video_milliseconds_received_total.
        assertThat(p.exitValue()).as("promtool check metrics said:\n%s", out).isIn(0, 3);
        for (String remark : out.split("\n")) {
            assertThat(remark).as("promtool remark on our own series").doesNotStartWith("jitsi_ops_").doesNotContain("camelCase");
        }
        Process own = new ProcessBuilder("/usr/bin/promtool", "check", "metrics").redirectErrorStream(true).start();
        own.getOutputStream().write(only(text, "jitsi_ops_").getBytes(StandardCharsets.UTF_8));
        own.getOutputStream().close();
        String ownOut = new String(own.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(own.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(own.exitValue()).as("promtool check metrics on jitsi_ops_* said:\n%s", ownOut).isZero();
    }

    @Test
    void answersOpenMetricsToPrometheusOwnAcceptHeaderAndTheStrictParserAcceptsIt() {
        scheduler.runAll().await().atMost(Duration.ofSeconds(30));
        for (String accept : List.of(StatsScraper.ACCEPT_EXPOSITION, "application/openmetrics-text; version=1.0.0; charset=utf-8", "*/*")) {
            var answer = given().header("Accept", accept).get("/q/metrics").then().statusCode(200).extract();
            assertThat(answer.contentType()).as(accept).startsWith("application/openmetrics-text");
            String text = answer.asString();
            assertThat(text).endsWith("# EOF\n");
            List<String> names = ExpositionParser.parse(text, ExpositionParser.Format.OPENMETRICS_1_0_0).stream().map(MetricFamily::name).toList();
            assertThat(names).contains("jitsi_jvb_stress", "jitsi_ops_metrics_scrape_up", "jitsi_ops_metrics_buffer_dropped");
        }
        // and the 0.0.4 text format to a client that prefers it, and to a browser
        for (String accept : List.of("text/plain; version=0.0.4", "application/openmetrics-text;q=0.2,text/plain;q=0.9",
                "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")) {
            var answer = given().header("Accept", accept).get("/q/metrics").then().statusCode(200).extract();
            assertThat(answer.contentType()).as(accept).startsWith("text/plain");
            ExpositionParser.parse(answer.asString(), ExpositionParser.Format.PROMETHEUS_0_0_4);
        }
    }

    /** The lines of the families whose name starts with {@code prefix}, HELP and TYPE included. */
    static String only(String text, String prefix) throws IOException {
        List<String> keep = new ArrayList<>();
        for (String line : text.split("\n")) {
            String name = line.startsWith("# HELP ") || line.startsWith("# TYPE ") ? line.substring(7) : line;
            if (name.startsWith(prefix)) {
                keep.add(line);
            }
        }
        return String.join("\n", keep) + "\n";
    }

    @Test
    void everySeriesTheShippedSelfMonitoringAlertsReadIsExposed() {
        // k8s/base/metrics-service-rules.yaml: an alert on a series this service does not expose would never fire
        scheduler.runAll().await().atMost(Duration.ofSeconds(30));
        var read = SelfMonitoringRules.seriesRead("metrics-service");
        assertThat(read).contains("jitsi_ops_metrics_scrapes_total", "jitsi_ops_metrics_buffer_dropped_total",
                "kafka_producer_record_error_total");
        assertThat(SelfMonitoringRules.exposed(given().get("/q/metrics").asString())).containsAll(read);
    }
}
