package io.jitsiops.alert;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.jitsiops.alert.pack.Covers;
import io.jitsiops.events.payload.BackupLifecycle;
import io.jitsiops.events.payload.BackupPhase;
import io.jitsiops.events.payload.ComponentMetricSample;
import io.jitsiops.events.payload.HealthCheckResult;
import io.jitsiops.events.payload.HealthStatus;
import io.jitsiops.testkit.JitsiOpsTestResource;
import io.jitsiops.testkit.KafkaRecords;
import io.jitsiops.testkit.SmtpTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * One scenario per family of the shipped Jitsi rule pack through the real stack: the events the health- and
 * metrics-services publish go onto the real Kafka broker, the pack's rule fires, and the alert with its runbook
 * text and dashboard link reaches the operators by email (GreenMail, read back over IMAP) and Slack (WireMock); the
 * lower severities of the same family are muted by inhibition. The application is the one every alert-service test
 * shares (AlertTestResource adds the pack to the test rules, scoped to subjects named {@code pack-…}, without
 * {@code for}: the pack's durations are proved with a moved clock in RulePackScenariosTest).
 */
@QuarkusTest
@QuarkusTestResource(JitsiOpsTestResource.class)
@QuarkusTestResource(SmtpTestResource.class)
@QuarkusTestResource(AlertTestResource.class)
class RulePackDeliveryTest {
    private static final Duration DELIVERY = Duration.ofSeconds(30);

    /**
     * Every family's events go onto Kafka at once, before the scenarios: each scenario then awaits its own
     * deliveries, which arrive side by side instead of one scenario after the other.
     */
    @BeforeAll
    static void everyFamilysEventsOnKafka() {
        AlertTestResource.wireMock.stubFor(post(urlEqualTo(AlertTestResource.SLACK_PATH)).willReturn(aResponse().withStatus(200).withBody("ok")));
        AlertTestResource.wireMock.stubFor(post(urlEqualTo(AlertTestResource.WEBHOOK_PATH)).willReturn(aResponse().withStatus(200)));
        NotificationFlowTest.producer = KafkaRecords.producer();
        // JVB
        NotificationFlowTest.send(sample("jvb", "pack-jvb-1", "jitsi_jvb_healthy", 0, "jitsi_jvb_stress", 1.3));
        // jicofo and bridges
        NotificationFlowTest.send(sample("jicofo", "pack-jicofo-1", "jitsi_jicofo_bridge_selector_bridge_count_operational", 0,
                "jitsi_jicofo_bridge_selector_bridge_count", 2));
        // probes
        NotificationFlowTest.send(result("conference", "pack-prosody-1", "synthetic-conference", HealthStatus.DOWN,
                "bridge-allocated: no session-initiate from focus", Map.of("failed_step", 7.0)));
        NotificationFlowTest.send(result("web", "pack-web-1", "site", HealthStatus.DOWN, "connection refused", Map.of()));
        // media
        NotificationFlowTest.send(sample("jvb", "pack-jvb-2", "jitsi_ops_jvb_rtp_delayed_over_50ms_ratio", 0.3,
                "jitsi_ops_jvb_rtp_delay_packets", 50000));
        // hosts
        NotificationFlowTest.send(result("host", "pack-host-1", "resources", HealthStatus.DEGRADED, "cpu 97%",
                Map.of("cpu.usage_percent", 97.0, "cpu.steal_percent", 31.0)));
        // certificates, backups, configuration
        NotificationFlowTest.send(result("web", "pack-web-2", "site", HealthStatus.DEGRADED, "certificate expires in 2 days",
                Map.of("tls.cert_days_to_expiry", 2.0)));
        NotificationFlowTest.send(new BackupLifecycle("pack-b1", BackupPhase.FAILED, "pack-nightly", List.of("prosody"), null,
                null, null, "upload", "bucket does not exist", Instant.now()));
        NotificationFlowTest.send(sample("jvb", "pack-jvb-3", "jitsi_ops_metrics_config_findings", 1,
                "jitsi_ops_metrics_scrape_up", 1));
    }

    @AfterAll
    static void close() {
        NotificationFlowTest.producer.close();
    }

    @BeforeEach
    void sinksAnswer200() {
        // other test classes reset WireMock; these stubs stay whatever ran before
        AlertTestResource.wireMock.stubFor(post(urlEqualTo(AlertTestResource.SLACK_PATH)).willReturn(aResponse().withStatus(200).withBody("ok")));
        AlertTestResource.wireMock.stubFor(post(urlEqualTo(AlertTestResource.WEBHOOK_PATH)).willReturn(aResponse().withStatus(200)));
    }

    private static ComponentMetricSample sample(String component, String target, Object... kv) {
        Map<String, Double> values = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            values.put((String) kv[i], ((Number) kv[i + 1]).doubleValue());
        }
        return new ComponentMetricSample(component, target, Instant.now(), values);
    }

    private static HealthCheckResult result(String component, String target, String check, HealthStatus status,
                                            String error, Map<String, Double> measurements) {
        return new HealthCheckResult(component, target, check, status, 40L, error, measurements, Instant.now());
    }

    /**
     * Awaits the rule's notification about {@code subject} in the operators' mailbox and on Slack, and checks that
     * both carry the runbook ({@code runbookMentions}) and the dashboard link.
     */
    private static void deliveredWithRunbook(String rule, String subject, String... runbookMentions) {
        await().atMost(DELIVERY).until(() -> !slack(rule, subject).isEmpty());
        String body = slack(rule, subject).get(0).getBodyAsString();
        assertThat(body).contains("Runbook:").contains(runbookMentions).contains("/d/jitsi-ops-");
        await().atMost(DELIVERY).pollInterval(Duration.ofMillis(250)).until(() -> !mails(rule, subject).isEmpty());
        Mailbox.Mail mail = mails(rule, subject).get(0);
        assertThat(mail.subject()).startsWith("[jitsi-ops] FIRING");
        assertThat(mail.text()).contains("runbook: What it means").contains(runbookMentions)
                .contains("dashboard: http://127.0.0.1:3000/d/jitsi-ops-");
    }

    private static List<Mailbox.Mail> mails(String rule, String subject) {
        return Mailbox.find("ops@example.org", subject).stream()
                .filter(m -> m.subject().contains(rule) && m.subject().contains(subject)).toList();
    }

    private static List<LoggedRequest> slack(String rule, String subject) {
        return NotificationFlowTest.requests(AlertTestResource.SLACK_PATH, subject).stream()
                .filter(r -> r.getBodyAsString().contains(rule)).toList();
    }

    /** The alert fired but was never notified: a higher severity of its family mutes it. */
    private static void mutedWhileFiring(String rule, String target) {
        await().atMost(DELIVERY).until(() -> NotificationFlowTest.fingerprintOf(rule, target) != null);
        String fp = NotificationFlowTest.fingerprintOf(rule, target);
        given().get("/api/alerts/" + fp).then().statusCode(200).body("alert.state", equalTo("FIRING"))
                .body("notifications.size()", equalTo(0))
                // muted by the higher severity's firing alert, which the answer names (the status page says "inhibited")
                .body("muted", equalTo(true)).body("silencedBy.size()", equalTo(0)).body("inhibitedBy.size()", equalTo(1));
    }

    @Test
    @Covers({"jvb-unhealthy", "jvb-stress-critical", "jvb-stress-high"})
    void anUnhealthyOverloadedBridgeReachesEmailAndSlackWithItsRunbookAndTheStressWarningIsMuted() {
        deliveredWithRunbook("jvb-unhealthy", "pack-jvb-1", "Health check failed in", "sticky-failures");
        deliveredWithRunbook("jvb-stress-critical", "pack-jvb-1", "/colibri/drain");
        mutedWhileFiring("jvb-stress-high", "pack-jvb-1");
    }

    @Test
    @Covers("jicofo-no-operational-bridge")
    void jicofoWithoutAnOperationalBridgePagesWithItsRunbook() {
        deliveredWithRunbook("jicofo-no-operational-bridge", "pack-jicofo-1", "Lost a bridge:", "jicofo.bridge.brewery-jid");
        Mailbox.Mail mail = mails("jicofo-no-operational-bridge", "pack-jicofo-1").get(0);
        assertThat(mail.text()).contains("[critical, page]");
    }

    @Test
    @Covers({"conference-probe-failed-bridge-allocated", "site-probe-failing-critical", "site-probe-failing-warning"})
    void aSyntheticConferenceWithoutABridgeAndAFailingSiteReachTheOperators() {
        deliveredWithRunbook("conference-probe-failed-bridge-allocated", "pack-prosody-1", "session-initiate");
        deliveredWithRunbook("site-probe-failing-critical", "pack-web-1", "nginx");
        mutedWhileFiring("site-probe-failing-warning", "pack-web-1");
    }

    @Test
    @Covers("jvb-rtp-delay-high")
    void rtpDelayedInTheBridgeReachesTheOperators() {
        deliveredWithRunbook("jvb-rtp-delay-high", "pack-jvb-2", "videobridge.stats.transit-time.enable-prometheus");
    }

    @Test
    @Covers({"cpu-usage-critical", "cpu-usage-warning", "cpu-usage-info"})
    void aSaturatedHostPagesOnceAndItsWarningAndInfoLevelsAreMuted() {
        deliveredWithRunbook("cpu-usage-critical", "pack-host-1", "/colibri/drain");
        mutedWhileFiring("cpu-usage-warning", "pack-host-1");
        mutedWhileFiring("cpu-usage-info", "pack-host-1");
    }

    @Test
    @Covers({"host-cpu-steal"})
    void aHostWhoseCpuIsStolenReachesTheOperatorsAlthoughItsCpuUseAlertPages() {
        // a family of its own: the critical CPU-use alert of the same host does not mute it
        deliveredWithRunbook("host-cpu-steal", "pack-host-1", "detect-cpu-steal");
    }

    @Test
    @Covers({"certificate-expiry-critical", "backup-failed", "configuration-finding-open"})
    void anExpiringCertificateAFailedBackupAndAnOpenConfigurationFindingReachTheOperators() {
        deliveredWithRunbook("certificate-expiry-critical", "pack-web-2", "certbot renew");
        await().atMost(DELIVERY).until(() -> !slack("backup-failed", "pack-nightly").isEmpty());
        assertThat(slack("backup-failed", "pack-nightly").get(0).getBodyAsString()).contains("Runbook:")
                .contains("POST /api/backups").contains("/d/jitsi-ops-backups");
        await().atMost(DELIVERY).pollInterval(Duration.ofMillis(250)).until(() -> Mailbox.find("ops@example.org", "backup-failed").stream()
                .anyMatch(m -> m.text() != null && m.text().contains("POST /api/backups")));
        deliveredWithRunbook("configuration-finding-open", "pack-jvb-3", "/api/metrics/findings");
        mutedWhileFiring("certificate-expiry-warning", "pack-web-2");
    }
}
