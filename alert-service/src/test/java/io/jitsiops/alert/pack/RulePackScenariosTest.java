package io.jitsiops.alert.pack;

import static io.jitsiops.alert.pack.PackHarness.m;
import static io.jitsiops.alert.pack.PackHarness.s;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.jitsiops.alert.evaluate.RuleEvaluator;
import io.jitsiops.alert.evaluate.Transition;
import io.jitsiops.alert.notify.Alert;
import io.jitsiops.alert.notify.Inhibitor;
import io.jitsiops.events.payload.AlertSeverity;
import io.jitsiops.events.payload.AlertState;
import io.jitsiops.events.payload.BackupLifecycle;
import io.jitsiops.events.payload.BackupPhase;
import io.jitsiops.events.payload.ComponentMetricSample;
import io.jitsiops.events.payload.ConferenceQualitySample;
import io.jitsiops.events.payload.HealthCheckResult;
import io.jitsiops.events.payload.HealthStatus;
import io.jitsiops.events.payload.HealthStatusChanged;
import io.jitsiops.events.payload.LogErrorEntry;
import io.jitsiops.events.payload.LogWindowAggregate;

/**
 * Every rule of the shipped pack, evaluated as shipped (durations, thresholds, clear levels, matchers) on the
 * events the health-, metrics-, log- and backup-services publish, with a clock the test moves: each rule is quiet
 * before its {@code for} elapses, fires after it, renders its runbook and dashboard link, and clears. The delivery
 * of one rule per family to email and Slack through the real stack is {@code RulePackDeliveryTest}.
 */
class RulePackScenariosTest {
    private static final AlertState PENDING = AlertState.PENDING;
    private static final AlertState FIRING = AlertState.FIRING;

    // --- events as the producers publish them ---

    private static ComponentMetricSample sample(PackHarness h, String component, String target, Object... kv) {
        Map<String, Double> values = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            values.put((String) kv[i], ((Number) kv[i + 1]).doubleValue());
        }
        return new ComponentMetricSample(component, target, h.now, values);
    }

    private static HealthCheckResult result(PackHarness h, String component, String target, String check,
                                            HealthStatus status, long latencyMs, Object... kv) {
        Map<String, Double> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], ((Number) kv[i + 1]).doubleValue());
        }
        return new HealthCheckResult(component, target, check, status, latencyMs, status == HealthStatus.UP ? null : "failed",
                m, h.now);
    }

    private static HealthStatusChanged status(PackHarness h, String component, String target, HealthStatus s) {
        return new HealthStatusChanged(component, target, null, s, s == HealthStatus.UP ? null : "probe failed", h.now);
    }

    private static ConferenceQualitySample quality(PackHarness h, double lossPercent, double bitrateKbps, double jitterMs) {
        return new ConferenceQualitySample("c-1", "standup", "jvb-1", 4, bitrateKbps, 30, 1280, 720, lossPercent, jitterMs, h.now);
    }

    private static BackupLifecycle backup(PackHarness h, BackupPhase phase, String error) {
        return new BackupLifecycle("b-" + h.now.getEpochSecond(), phase, "daily", null, null, null, null, null, error, h.now);
    }

    /** Sends the same metric sample every 15 s (the stats interval) from {@code from} to {@code to}, inclusive. */
    private static void scrapes(PackHarness h, Duration from, Duration to, String component, String target, Object... kv) {
        for (Duration t = from; t.compareTo(to) <= 0; t = t.plusSeconds(15)) {
            h.at(t).send(sample(h, component, target, kv));
        }
    }

    /** Sends a health result every minute (the default check interval) from {@code from} to {@code to}, inclusive. */
    private static void results(PackHarness h, Duration from, Duration to, String component, String target, String check,
                                HealthStatus status, long latencyMs, Object... kv) {
        for (Duration t = from; t.compareTo(to) <= 0; t = t.plusMinutes(1)) {
            h.at(t).send(result(h, component, target, check, status, latencyMs, kv));
        }
    }

    private static void assertRunbook(PackHarness h, String rule, String... mentions) {
        Transition t = h.fired(rule).orElseThrow(() -> new AssertionError(rule + " did not fire"));
        assertThat(t.summary()).isNotBlank();
        assertThat(t.description()).contains("What it means").contains(mentions);
        assertThat(t.dashboardUrl()).startsWith(PackHarness.GRAFANA + "/d/jitsi-ops-");
    }

    // ===== JVB =====

    @Test
    @Covers("jvb-down")
    void jvbDownPagesAtOnceBecauseTheHealthServiceAlreadyWaitedForThreeFailedChecks() {
        PackHarness h = new PackHarness();
        h.send(status(h, "jvb", "jvb-1", HealthStatus.DOWN));
        assertThat(h.state("jvb-down", "jvb-1")).isEqualTo(FIRING);
        assertThat(h.fired("jvb-down").orElseThrow().page()).isTrue();
        assertThat(h.state("component-down")).as("the generic rule leaves jvb to its own").isNull();
        assertRunbook(h, "jvb-down", "Health check failed in", "videobridge.health.interval");
        h.at(m(3)).send(status(h, "jvb", "jvb-1", HealthStatus.UP));
        assertThat(h.resolved("jvb-down")).isTrue();
    }

    @Test
    @Covers("jvb-unhealthy")
    void jvbUnhealthyFiresWhenThreeScrapesInARowSayHealthyZero() {
        PackHarness h = new PackHarness();
        scrapes(h, s(0), s(30), "jvb", "jvb-1", "jitsi_jvb_healthy", 0);
        assertThat(h.state("jvb-unhealthy")).isEqualTo(PENDING);
        scrapes(h, s(45), s(45), "jvb", "jvb-1", "jitsi_jvb_healthy", 0);
        assertThat(h.state("jvb-unhealthy")).isEqualTo(FIRING);
        assertRunbook(h, "jvb-unhealthy", "sticky-failures");
        scrapes(h, s(60), s(60), "jvb", "jvb-1", "jitsi_jvb_healthy", 1);
        assertThat(h.resolved("jvb-unhealthy")).isTrue();
    }

    @Test
    @Covers({"jvb-xmpp-disconnects", "jvb-muc-disconnected"})
    void jvbXmppDisconnectsWarnAtOnceAndAConnectionStillDownAfterTwoMinutesIsCritical() {
        PackHarness h = new PackHarness();
        h.send(sample(h, "jvb", "jvb-1", "jitsi_ops_jvb_xmpp_disconnects_per_minute", 2,
                "jitsi_ops_jvb_muc_clients_disconnected", 1));
        assertThat(h.state("jvb-xmpp-disconnects")).isEqualTo(FIRING);
        assertThat(h.state("jvb-muc-disconnected")).isEqualTo(PENDING);
        h.at(m(2));
        assertThat(h.state("jvb-muc-disconnected")).isEqualTo(FIRING);
        assertRunbook(h, "jvb-muc-disconnected", "muc_jids");
        assertRunbook(h, "jvb-xmpp-disconnects", "prosody.log");
        h.send(sample(h, "jvb", "jvb-1", "jitsi_ops_jvb_xmpp_disconnects_per_minute", 0,
                "jitsi_ops_jvb_muc_clients_disconnected", 0));
        assertThat(h.state("jvb-xmpp-disconnects")).isNull();
        assertThat(h.state("jvb-muc-disconnected")).isNull();
    }

    @Test
    @Covers({"jvb-stress-high", "jvb-stress-critical"})
    void bridgeStressAboveJicofosThresholdForFiveMinutesWarnsAndOverloadPages() {
        PackHarness h = new PackHarness();
        scrapes(h, s(0), m(4), "jvb", "jvb-1", "jitsi_jvb_stress", 0.85);
        assertThat(h.state("jvb-stress-high")).isEqualTo(PENDING);
        scrapes(h, m(5), m(5), "jvb", "jvb-1", "jitsi_jvb_stress", 0.85);
        assertThat(h.state("jvb-stress-high")).isEqualTo(FIRING);
        assertThat(h.state("jvb-stress-critical")).isNull();
        scrapes(h, m(6), m(8), "jvb", "jvb-1", "jitsi_jvb_stress", 1.2);
        assertThat(h.state("jvb-stress-critical")).isEqualTo(FIRING);
        assertRunbook(h, "jvb-stress-high", "jicofo.bridge.stress-threshold");
        assertRunbook(h, "jvb-stress-critical", "/colibri/drain");
        scrapes(h, m(9), m(9), "jvb", "jvb-1", "jitsi_jvb_stress", 0.75);
        assertThat(h.state("jvb-stress-critical")).isNull();
        assertThat(h.state("jvb-stress-high")).as("hysteresis: 0.75 is above the clear level 0.7").isEqualTo(FIRING);
    }

    // ===== jicofo and bridges =====

    @Test
    @Covers({"jicofo-down", "jicofo-unhealthy"})
    void jicofoDownOrUnhealthyPages() {
        PackHarness h = new PackHarness();
        h.send(status(h, "jicofo", "jicofo-1", HealthStatus.DOWN));
        assertThat(h.state("jicofo-down")).isEqualTo(FIRING);
        scrapes(h, s(0), s(45), "jicofo", "jicofo-1", "jitsi_jicofo_healthy", 0);
        assertThat(h.state("jicofo-unhealthy")).isEqualTo(FIRING);
        assertRunbook(h, "jicofo-down", "jicofo.rest.port");
        assertRunbook(h, "jicofo-unhealthy", "jicofo.health.enabled");
    }

    @Test
    @Covers("jicofo-no-operational-bridge")
    void noOperationalBridgeForAMinutePagesAndOneBridgeBackClearsIt() {
        PackHarness h = new PackHarness();
        scrapes(h, s(0), s(45), "jicofo", "jicofo-1", "jitsi_jicofo_bridge_selector_bridge_count_operational", 0);
        assertThat(h.state("jicofo-no-operational-bridge")).isEqualTo(PENDING);
        scrapes(h, s(60), s(60), "jicofo", "jicofo-1", "jitsi_jicofo_bridge_selector_bridge_count_operational", 0);
        assertThat(h.state("jicofo-no-operational-bridge")).isEqualTo(FIRING);
        assertThat(h.fired("jicofo-no-operational-bridge").orElseThrow().page()).isTrue();
        assertRunbook(h, "jicofo-no-operational-bridge", "Lost a bridge:", "jicofo.bridge.brewery-jid");
        scrapes(h, s(75), s(75), "jicofo", "jicofo-1", "jitsi_jicofo_bridge_selector_bridge_count_operational", 1);
        assertThat(h.resolved("jicofo-no-operational-bridge")).isTrue();
    }

    @Test
    @Covers({"jicofo-bridges-lost-info", "jicofo-bridges-lost-warning", "jicofo-bridges-lost-critical"})
    void bridgesLostPerMinuteClimbTheSeverityLadderLikeJitsisSmokeWarnSevere() {
        PackHarness h = new PackHarness();
        h.send(sample(h, "jicofo", "jicofo-1", "jitsi_ops_jicofo_lost_bridges_per_minute", 1));
        assertThat(h.state("jicofo-bridges-lost-info")).isNull();
        h.send(sample(h, "jicofo", "jicofo-1", "jitsi_ops_jicofo_lost_bridges_per_minute", 2));
        assertThat(h.state("jicofo-bridges-lost-info")).isEqualTo(FIRING);
        assertThat(h.state("jicofo-bridges-lost-warning")).isNull();
        h.send(sample(h, "jicofo", "jicofo-1", "jitsi_ops_jicofo_lost_bridges_per_minute", 3));
        assertThat(h.state("jicofo-bridges-lost-warning")).isEqualTo(FIRING);
        assertThat(h.state("jicofo-bridges-lost-critical")).isNull();
        h.send(sample(h, "jicofo", "jicofo-1", "jitsi_ops_jicofo_lost_bridges_per_minute", 5));
        assertThat(h.state("jicofo-bridges-lost-critical")).isEqualTo(FIRING);
        assertRunbook(h, "jicofo-bridges-lost-critical", "prosody");
        assertRunbook(h, "jicofo-bridges-lost-info", "Lost a bridge:");
        assertRunbook(h, "jicofo-bridges-lost-warning", "Lost a bridge:");
        h.send(sample(h, "jicofo", "jicofo-1", "jitsi_ops_jicofo_lost_bridges_per_minute", 0));
        assertThat(h.evaluator.active()).isEmpty();
    }

    @Test
    @Covers("jicofo-mixed-bridge-versions")
    void mixedBridgeVersionsFireOnlyAfterTwoHours() {
        PackHarness h = new PackHarness();
        for (int minute = 0; minute < 120; minute += 10) {
            h.at(m(minute)).send(sample(h, "jicofo", "jicofo-1", "jitsi_ops_jicofo_mixed_bridge_versions", 1));
        }
        assertThat(h.state("jicofo-mixed-bridge-versions")).isEqualTo(PENDING);
        h.at(m(120));
        assertThat(h.state("jicofo-mixed-bridge-versions")).isEqualTo(FIRING);
        assertRunbook(h, "jicofo-mixed-bridge-versions", "jicofo.octo.allow-mixed-versions");
    }

    @Test
    @Covers({"jicofo-jibri-missing", "jicofo-jibri-none-available", "jicofo-jigasi-missing", "jicofo-transcribers-missing"})
    void recordersAndSipGatewaysMissingAlertOnlyWhereTheOperatorOptedIn() {
        PackHarness shipped = new PackHarness();
        scrapes(shipped, s(0), m(11), "jicofo", "jicofo-1", "jitsi_jicofo_jibri_instances", 0,
                "jitsi_jicofo_jibri_instances_available", 0, "jitsi_jicofo_jigasi_sip_count", 0,
                "jitsi_jicofo_jigasi_transcriber_count", 0);
        assertThat(shipped.evaluator.active()).as("0 recorders or gateways on a jicofo without them is normal")
                .filteredOn(a -> a.rule().startsWith("jicofo-")).isEmpty();

        // the operator's opt-in, as the pack's comment says: name the jicofos that have recorders and gateways
        PackHarness optedIn = new PackHarness(PackHarness.packText().replace("'target=~\"\"'", "'target=~\"jicofo-1\"'"));
        scrapes(optedIn, s(0), m(2), "jicofo", "jicofo-1", "jitsi_jicofo_jibri_instances", 0, "jitsi_jicofo_jigasi_sip_count", 0);
        assertThat(optedIn.state("jicofo-jigasi-missing")).isEqualTo(FIRING);
        assertThat(optedIn.state("jicofo-jibri-missing")).isEqualTo(PENDING);
        scrapes(optedIn, m(3), m(10), "jicofo", "jicofo-1", "jitsi_jicofo_jibri_instances", 0, "jitsi_jicofo_jigasi_sip_count", 0);
        assertThat(optedIn.state("jicofo-jibri-missing")).isEqualTo(FIRING);
        scrapes(optedIn, m(11), m(16), "jicofo", "jicofo-1", "jitsi_jicofo_jibri_instances", 2,
                "jitsi_jicofo_jibri_instances_available", 0, "jitsi_jicofo_jigasi_transcriber_count", 0);
        assertThat(optedIn.state("jicofo-jibri-missing")).isNull();
        assertThat(optedIn.state("jicofo-jibri-none-available")).isEqualTo(FIRING);
        assertThat(optedIn.state("jicofo-transcribers-missing")).isEqualTo(FIRING);
        assertRunbook(optedIn, "jicofo-jibri-none-available", "/jibri/api/v1.0/health");
        assertRunbook(optedIn, "jicofo-transcribers-missing", "jigasi.log");
        assertRunbook(optedIn, "jicofo-jibri-missing", "jicofo.jibri.brewery-jid");
        assertRunbook(optedIn, "jicofo-jigasi-missing", "jicofo.jigasi.brewery-jid");
    }

    // ===== probes =====

    @Test
    @Covers({"site-probe-failing-warning", "site-probe-failing-critical"})
    void siteProbeFailingWarnsAfterFiveMinutesAndPagesAfterTen() {
        PackHarness h = new PackHarness();
        results(h, m(0), m(4), "web", "meet", "site", HealthStatus.DOWN, 30);
        assertThat(h.state("site-probe-failing-warning")).isEqualTo(PENDING);
        results(h, m(5), m(9), "web", "meet", "site", HealthStatus.DOWN, 30);
        assertThat(h.state("site-probe-failing-warning")).isEqualTo(FIRING);
        assertThat(h.state("site-probe-failing-critical")).isEqualTo(PENDING);
        results(h, m(10), m(10), "web", "meet", "site", HealthStatus.DOWN, 30);
        assertThat(h.state("site-probe-failing-critical")).isEqualTo(FIRING);
        assertThat(h.fired("site-probe-failing-critical").orElseThrow().page()).isTrue();
        assertRunbook(h, "site-probe-failing-warning", "nginx -t");
        results(h, m(11), m(11), "web", "meet", "site", HealthStatus.UP, 30);
        assertThat(h.state("site-probe-failing-warning")).isNull();
        assertThat(h.state("site-probe-failing-critical")).isNull();
    }

    @Test
    @Covers({"site-probe-latency-warning", "site-probe-latency-critical"})
    void siteLatencyIsJudgedOnItsFiveMinuteMeanHeldTenMinutesForWarningAndFifteenForCritical() {
        PackHarness spike = new PackHarness();
        results(spike, m(0), m(5), "web", "meet", "site", HealthStatus.UP, 100);
        results(spike, m(6), m(6), "web", "meet", "site", HealthStatus.UP, 3000);
        assertThat(spike.state("site-probe-latency-warning")).as("one slow answer among fast ones is no slow site").isNull();

        PackHarness slow = new PackHarness();
        results(slow, m(0), m(9), "web", "meet", "site", HealthStatus.UP, 900);
        assertThat(slow.state("site-probe-latency-warning")).isEqualTo(PENDING);
        results(slow, m(10), m(10), "web", "meet", "site", HealthStatus.UP, 900);
        assertThat(slow.state("site-probe-latency-warning")).isEqualTo(FIRING);
        assertThat(slow.state("site-probe-latency-critical")).isNull();
        assertThat(slow.state("response-time-warning")).as("the site's latency is judged by the probe rules only").isNull();

        PackHarness verySlow = new PackHarness();
        results(verySlow, m(0), m(14), "web", "meet", "site", HealthStatus.UP, 1600);
        assertThat(verySlow.state("site-probe-latency-warning")).isEqualTo(FIRING);
        assertThat(verySlow.state("site-probe-latency-critical")).isEqualTo(PENDING);
        results(verySlow, m(15), m(15), "web", "meet", "site", HealthStatus.UP, 1600);
        assertThat(verySlow.state("site-probe-latency-critical")).isEqualTo(FIRING);
        assertThat(verySlow.fired("site-probe-latency-critical").orElseThrow().summary()).contains("1600 ms on average");
        assertRunbook(verySlow, "site-probe-latency-critical", "What to check");
        assertRunbook(verySlow, "site-probe-latency-warning", "What to check");
    }

    @ParameterizedTest(name = "a conference failing at step {0} ({1}) for 2 minutes fires {1} only")
    @CsvSource({"1, conference-probe-failed-dns-tls, certbot", "2, conference-probe-failed-prosody-session, bosh",
            "3, conference-probe-failed-auth, token", "4, conference-probe-failed-conference-request, focus@auth",
            "5, conference-probe-failed-muc-join, muc", "6, conference-probe-failed-focus-present, admins",
            "7, conference-probe-failed-bridge-allocated, jicofo.bridge.brewery-jid", "8, conference-probe-failed-cleanup, rooms"})
    @Covers({"conference-probe-failed-dns-tls", "conference-probe-failed-prosody-session", "conference-probe-failed-auth",
            "conference-probe-failed-conference-request", "conference-probe-failed-muc-join",
            "conference-probe-failed-focus-present", "conference-probe-failed-bridge-allocated",
            "conference-probe-failed-cleanup"})
    void theSyntheticConferenceFailingAtOneStepFiresThatStepsRuleAndResolvesOnceRunsPassAgain(int step, String rule,
                                                                                                String mention) {
        PackHarness h = new PackHarness();
        results(h, m(0), m(1), "conference", "prosody-1", "synthetic-conference", HealthStatus.DOWN, 800, "failed_step", step);
        assertThat(h.state(rule)).isEqualTo(PENDING);
        results(h, m(2), m(2), "conference", "prosody-1", "synthetic-conference", HealthStatus.DOWN, 800, "failed_step", step);
        assertThat(h.state(rule)).isEqualTo(FIRING);
        assertThat(h.evaluator.active()).filteredOn(a -> a.rule().startsWith("conference-probe-failed-"))
                .extracting(RuleEvaluator.Active::rule).containsExactly(rule);
        assertRunbook(h, rule, mention);
        // passing runs carry no failed_step: the alert resolves 150 s after the last failure
        results(h, m(3), m(4), "conference", "prosody-1", "synthetic-conference", HealthStatus.UP, 800);
        assertThat(h.state(rule)).isEqualTo(FIRING);
        h.at(m(2).plusSeconds(150));
        assertThat(h.resolved(rule)).isTrue();
    }

    @Test
    @Covers({"conference-probe-failed-conference-request", "conference-probe-failed-muc-join"})
    void aRunFailingAtAnotherStepClearsTheFormerStepsAlert() {
        PackHarness h = new PackHarness();
        results(h, m(0), m(2), "conference", "prosody-1", "synthetic-conference", HealthStatus.DOWN, 800, "failed_step", 4);
        assertThat(h.state("conference-probe-failed-conference-request")).isEqualTo(FIRING);
        results(h, m(3), m(3), "conference", "prosody-1", "synthetic-conference", HealthStatus.DOWN, 800, "failed_step", 5);
        assertThat(h.state("conference-probe-failed-conference-request")).isNull();
        assertThat(h.state("conference-probe-failed-muc-join")).isEqualTo(PENDING);
    }

    // ===== media: RTP delay and ICE =====

    @Test
    @Covers("jvb-rtp-delay-high")
    void rtpDelayedOverFiftyMillisecondsAboveFifteenPercentForTenMinutesWarns() {
        PackHarness h = new PackHarness();
        scrapes(h, s(0), m(9), "jvb", "jvb-1", "jitsi_ops_jvb_rtp_delayed_over_50ms_ratio", 0.2);
        assertThat(h.state("jvb-rtp-delay-high")).isEqualTo(PENDING);
        scrapes(h, m(10), m(10), "jvb", "jvb-1", "jitsi_ops_jvb_rtp_delayed_over_50ms_ratio", 0.2);
        assertThat(h.state("jvb-rtp-delay-high")).isEqualTo(FIRING);
        assertRunbook(h, "jvb-rtp-delay-high", "videobridge.stats.transit-time.enable-prometheus");
        // the signal is 0 while fewer than 1000 packets a minute were measured (the guard): it clears
        scrapes(h, m(11), m(11), "jvb", "jvb-1", "jitsi_ops_jvb_rtp_delayed_over_50ms_ratio", 0);
        assertThat(h.state("jvb-rtp-delay-high")).isNull();
    }

    @Test
    @Covers({"jvb-ice-failures-high", "jicofo-ice-failures-high", "jicofo-ice-restarts-high"})
    void iceFailuresAndRestartsAboveHalfOfTheParticipantsForTenMinutesAlert() {
        PackHarness h = new PackHarness();
        scrapes(h, s(0), m(10), "jvb", "jvb-1", "jitsi_ops_jvb_ice_failure_ratio", 0.6);
        scrapes(h, s(0), m(10), "jicofo", "jicofo-1", "jitsi_ops_jicofo_ice_failures_per_participant", 0.6,
                "jitsi_ops_jicofo_ice_restarts_per_participant", 0.7);
        assertThat(h.state("jvb-ice-failures-high")).isEqualTo(FIRING);
        assertThat(h.state("jicofo-ice-failures-high")).isEqualTo(FIRING);
        assertThat(h.state("jicofo-ice-restarts-high")).isEqualTo(FIRING);
        assertThat(h.fired("jicofo-ice-restarts-high").orElseThrow().severity()).isEqualTo(AlertSeverity.INFO);
        assertRunbook(h, "jvb-ice-failures-high", "videobridge.ice.udp.port");
        assertRunbook(h, "jicofo-ice-failures-high", "TURN");
        assertRunbook(h, "jicofo-ice-restarts-high", "restart-request-rate-limits");
        // under 20 participants the signals are 0 (the guard): nothing stays active
        scrapes(h, m(11), m(11), "jicofo", "jicofo-1", "jitsi_ops_jicofo_ice_failures_per_participant", 0,
                "jitsi_ops_jicofo_ice_restarts_per_participant", 0);
        assertThat(h.state("jicofo-ice-failures-high")).isNull();
        assertThat(h.state("jicofo-ice-restarts-high")).isNull();
    }

    @Test
    @Covers({"packet-loss-warning", "packet-loss-critical", "jitter-warning", "jitter-critical", "bitrate-warning",
            "bitrate-critical"})
    void conferenceQualityBelowTheSeedsLevelsAlertPerRoom() {
        PackHarness h = new PackHarness();
        // a sample per bridge read (every 30 s here): a conference's alert resolves 2 minutes after its last sample
        for (Duration t = s(0); t.compareTo(m(2)) <= 0; t = t.plusSeconds(30)) {
            h.at(t).send(quality(h, 6, 400, 60));
        }
        assertThat(h.state("packet-loss-warning")).isEqualTo(FIRING);
        assertThat(h.state("jitter-warning")).isEqualTo(FIRING);
        assertThat(h.state("bitrate-warning")).isEqualTo(FIRING);
        for (Duration t = m(3); t.compareTo(m(4)) <= 0; t = t.plusSeconds(30)) {
            h.at(t).send(quality(h, 12, 150, 120));
        }
        assertThat(h.state("packet-loss-critical")).isEqualTo(FIRING);
        assertThat(h.state("jitter-critical")).isEqualTo(FIRING);
        assertThat(h.state("bitrate-critical")).isEqualTo(FIRING);
        for (String rule : List.of("packet-loss-warning", "packet-loss-critical", "jitter-warning", "jitter-critical",
                "bitrate-warning", "bitrate-critical")) {
            assertRunbook(h, rule, "What to do");
            assertThat(h.fired(rule).orElseThrow().labels()).containsEntry("room", "standup");
        }
    }

    // ===== hosts =====

    @Test
    @Covers({"cpu-usage-info", "cpu-usage-warning", "cpu-usage-critical"})
    void hostCpuOverNinetyPercentForFiveMinutesPagesAndMutesItsLowerLevels() {
        PackHarness h = new PackHarness();
        results(h, m(0), m(4), "host", "jvb-host-1", "resources", HealthStatus.UP, 5, "cpu.usage_percent", 95);
        assertThat(h.state("cpu-usage-critical")).isEqualTo(PENDING);
        results(h, m(5), m(5), "host", "jvb-host-1", "resources", HealthStatus.UP, 5, "cpu.usage_percent", 95);
        assertThat(h.state("cpu-usage-critical")).isEqualTo(FIRING);
        assertThat(h.state("cpu-usage-warning")).isEqualTo(FIRING);
        assertThat(h.state("cpu-usage-info")).isEqualTo(FIRING);
        assertRunbook(h, "cpu-usage-critical", "/colibri/drain");
        assertRunbook(h, "cpu-usage-warning", "top");
        assertRunbook(h, "cpu-usage-info", "60 %");
        List<Alert> firing = firing(h);
        assertThat(muted(h, firing, "cpu-usage-warning")).isTrue();
        assertThat(muted(h, firing, "cpu-usage-info")).isTrue();
        assertThat(muted(h, firing, "cpu-usage-critical")).isFalse();

        // 82 %: critical clears (below 85), warning stays and now mutes info only
        results(h, m(6), m(6), "host", "jvb-host-1", "resources", HealthStatus.UP, 5, "cpu.usage_percent", 82);
        assertThat(h.state("cpu-usage-critical")).isNull();
        firing = firing(h);
        assertThat(muted(h, firing, "cpu-usage-warning")).isFalse();
        assertThat(muted(h, firing, "cpu-usage-info")).isTrue();
    }

    @Test
    @Covers("host-cpu-steal")
    void cpuStealAboveFifteenPercentForTenMinutesWarnsEvenWhenTheHostLooksIdle() {
        PackHarness h = new PackHarness();
        // the host's own CPU use is moderate: only the hypervisor's steal is high
        results(h, m(0), m(9), "host", "jvb-host-2", "resources", HealthStatus.UP, 5, "cpu.usage_percent", 40,
                "cpu.steal_percent", 22);
        assertThat(h.state("host-cpu-steal")).as("quiet before 10 minutes").isEqualTo(PENDING);
        results(h, m(10), m(10), "host", "jvb-host-2", "resources", HealthStatus.UP, 5, "cpu.usage_percent", 40,
                "cpu.steal_percent", 22);
        assertThat(h.state("host-cpu-steal")).isEqualTo(FIRING);
        assertThat(h.fired("host-cpu-steal").orElseThrow().page()).isFalse();
        assertThat(h.state("cpu-usage-info")).as("usage itself is fine").isNull();
        assertRunbook(h, "host-cpu-steal", "/proc/stat", "detect-cpu-steal", "/colibri/drain");
        // 12 %: above the clear level (10), still firing; 8 %: cleared
        results(h, m(11), m(11), "host", "jvb-host-2", "resources", HealthStatus.UP, 5, "cpu.steal_percent", 12);
        assertThat(h.state("host-cpu-steal")).isEqualTo(FIRING);
        results(h, m(12), m(12), "host", "jvb-host-2", "resources", HealthStatus.UP, 5, "cpu.steal_percent", 8);
        assertThat(h.state("host-cpu-steal")).isNull();
        assertThat(h.resolved("host-cpu-steal")).isTrue();
    }

    @Test
    @Covers({"memory-usage-warning", "memory-usage-critical", "disk-usage-warning", "disk-usage-critical"})
    void memoryAndDiskWarnAtEightyAndAreCriticalNearFull() {
        PackHarness h = new PackHarness();
        results(h, m(0), m(5), "host", "web-host", "resources", HealthStatus.UP, 5, "memory.usage_percent", 85,
                "disk.usage_percent", 85);
        assertThat(h.state("memory-usage-warning")).isEqualTo(FIRING);
        assertThat(h.state("disk-usage-warning")).isEqualTo(FIRING);
        assertThat(h.state("memory-usage-critical")).isNull();
        results(h, m(6), m(11), "host", "web-host", "resources", HealthStatus.UP, 5, "memory.usage_percent", 96,
                "disk.usage_percent", 92);
        assertThat(h.state("memory-usage-critical")).isEqualTo(FIRING);
        assertThat(h.state("disk-usage-critical")).isEqualTo(FIRING);
        assertRunbook(h, "memory-usage-warning", "VIDEOBRIDGE_MAX_MEMORY");
        assertRunbook(h, "memory-usage-critical", "oom");
        assertRunbook(h, "disk-usage-warning", "logrotate");
        assertRunbook(h, "disk-usage-critical", "du -xh");
    }

    // ===== components, certificates, configuration, absence =====

    @Test
    @Covers({"certificate-expiry-warning", "certificate-expiry-critical"})
    void certificatesWarnFourteenDaysAndPageThreeDaysBeforeExpiry() {
        PackHarness h = new PackHarness();
        h.send(result(h, "web", "meet", "site", HealthStatus.UP, 30, "tls.cert_days_to_expiry", 15));
        assertThat(h.state("certificate-expiry-warning")).isNull();
        h.send(result(h, "web", "meet", "site", HealthStatus.UP, 30, "tls.cert_days_to_expiry", 10));
        assertThat(h.state("certificate-expiry-warning")).isEqualTo(FIRING);
        h.send(result(h, "web", "meet", "site", HealthStatus.UP, 30, "tls.cert_days_to_expiry", 2));
        assertThat(h.state("certificate-expiry-critical")).isEqualTo(FIRING);
        assertThat(h.fired("certificate-expiry-critical").orElseThrow().page()).isTrue();
        assertRunbook(h, "certificate-expiry-warning", "certbot renew");
        assertRunbook(h, "certificate-expiry-critical", "--force-renewal");
        h.send(result(h, "web", "meet", "site", HealthStatus.UP, 30, "tls.cert_days_to_expiry", 89));
        assertThat(h.evaluator.active()).isEmpty();
    }

    @Test
    @Covers({"component-down", "component-degraded", "response-time-warning", "response-time-critical"})
    void otherComponentsDownDegradedOrSlowAlertThroughTheGenericRules() {
        PackHarness h = new PackHarness();
        h.send(status(h, "prosody", "prosody-1", HealthStatus.DEGRADED));
        assertThat(h.state("component-degraded")).isEqualTo(FIRING);
        h.send(status(h, "prosody", "prosody-1", HealthStatus.DOWN));
        assertThat(h.state("component-down")).isEqualTo(FIRING);
        assertRunbook(h, "component-down", "prosody.log");
        assertRunbook(h, "component-degraded", "/api/health");
        results(h, m(0), m(2), "janssen", "jans-1", "oidc-discovery", HealthStatus.UP, 6000);
        assertThat(h.state("response-time-warning")).isEqualTo(FIRING);
        assertThat(h.state("response-time-critical")).isEqualTo(FIRING);
        assertRunbook(h, "response-time-warning", "jstack");
        assertRunbook(h, "response-time-critical", "What to do");
    }

    @Test
    @Covers({"health-results-absent", "component-metrics-absent"})
    void aTargetThatStopsReportingFiresItsAbsenceRuleAndReportingAgainResolvesIt() {
        PackHarness h = new PackHarness();
        h.send(result(h, "prosody", "prosody-1", "bosh-session", HealthStatus.UP, 20));
        h.send(sample(h, "jvb", "jvb-1", "jitsi_jvb_stress", 0.1));
        h.at(m(1).plusSeconds(59));
        assertThat(h.state("component-metrics-absent")).isNull();
        h.at(m(2));
        assertThat(h.state("component-metrics-absent", "jvb-1")).isEqualTo(FIRING);
        h.at(m(3));
        assertThat(h.state("health-results-absent", "prosody-1")).isEqualTo(FIRING);
        assertRunbook(h, "health-results-absent", "jitsi-ops.health");
        assertRunbook(h, "component-metrics-absent", "jitsi-ops.metrics");
        h.send(result(h, "prosody", "prosody-1", "bosh-session", HealthStatus.UP, 20));
        assertThat(h.state("health-results-absent", "prosody-1")).isNull();
    }

    @Test
    @Covers({"metrics-scrape-failing", "configuration-finding-open"})
    void anUnscrapableTargetOrAnOpenConfigurationFindingWarns() {
        PackHarness h = new PackHarness();
        scrapes(h, s(0), m(2), "jvb", "jvb-1", "jitsi_ops_metrics_scrape_up", 0, "jitsi_ops_metrics_config_findings", 1);
        assertThat(h.state("metrics-scrape-failing")).isEqualTo(FIRING);
        assertThat(h.state("configuration-finding-open")).isEqualTo(PENDING);
        scrapes(h, m(2).plusSeconds(15), m(10), "jvb", "jvb-1", "jitsi_ops_metrics_scrape_up", 1,
                "jitsi_ops_metrics_config_findings", 1);
        assertThat(h.state("metrics-scrape-failing")).isNull();
        assertThat(h.state("configuration-finding-open")).isEqualTo(FIRING);
        assertRunbook(h, "metrics-scrape-failing", "videobridge.rest.prometheus.enabled");
        assertRunbook(h, "configuration-finding-open", "/api/metrics/findings");
    }

    @Test
    @Covers("room-token-rejections")
    void aBurstOfRejectedRoomTokensWarnsAndClearsWhenTheyStop() {
        PackHarness h = new PackHarness();
        h.send(new LogWindowAggregate("prosody", h.now, h.now, 200, 0, 40, Map.of("auth-rejected", 40L), 0.0));
        assertThat(h.state("room-token-rejections")).isEqualTo(FIRING);
        assertRunbook(h, "room-token-rejections", "asap_key_server");
        h.send(new LogWindowAggregate("prosody", h.now, h.now, 200, 0, 1, Map.of("auth-rejected", 1L), 0.0));
        assertThat(h.resolved("room-token-rejections")).isTrue();
    }

    @Test
    @Covers({"log-error-rate-warning", "log-error-rate-critical", "log-error-entry"})
    void logErrorRatesAndSingleErrorsAlertAndASingleErrorResolvesByItself() {
        PackHarness h = new PackHarness();
        h.send(new LogWindowAggregate("jicofo", h.now, h.now, 100, 6, 0, Map.of(), 6.0));
        assertThat(h.state("log-error-rate-warning")).isEqualTo(FIRING);
        h.send(new LogWindowAggregate("jicofo", h.now, h.now, 100, 12, 0, Map.of(), 12.0));
        assertThat(h.state("log-error-rate-critical")).isEqualTo(FIRING);
        h.send(new LogErrorEntry("jvb", "jvb.log", 1, h.now, "SEVERE", "Health", "Health check failed", "health", null));
        assertThat(h.state("log-error-entry")).isEqualTo(FIRING);
        for (String rule : List.of("log-error-rate-warning", "log-error-rate-critical", "log-error-entry")) {
            assertRunbook(h, rule, "log-service");
        }
        h.at(m(15));
        assertThat(h.resolved("log-error-entry")).isTrue();
    }

    @Test
    @Covers({"backup-failed", "backup-verify-failed", "restore-failed"})
    void failedBackupsVerificationsAndRestoresAreCriticalUntilOneSucceeds() {
        PackHarness h = new PackHarness();
        h.send(backup(h, BackupPhase.FAILED, "bucket does not exist"));
        h.send(backup(h, BackupPhase.VERIFIED, "checksum mismatch"));
        h.send(backup(h, BackupPhase.RESTORE_FAILED, "nginx -t failed"));
        assertThat(h.state("backup-failed")).isEqualTo(FIRING);
        assertThat(h.state("backup-verify-failed")).isEqualTo(FIRING);
        assertThat(h.state("restore-failed")).isEqualTo(FIRING);
        assertRunbook(h, "backup-failed", "POST /api/backups");
        assertRunbook(h, "backup-verify-failed", "nginx -t");
        assertRunbook(h, "restore-failed", "previous state");
        h.at(m(5)).send(backup(h, BackupPhase.COMPLETED, null));
        assertThat(h.state("backup-failed")).isNull();
    }

    @Test
    @Covers({"backup-schedule-missed", "verified-backup-too-old"})
    void noDailyBackupFor25HoursAndNoVerifiedOneFor26HoursAreCritical() {
        PackHarness h = new PackHarness();
        h.send(backup(h, BackupPhase.COMPLETED, null));
        h.send(backup(h, BackupPhase.VERIFIED, null));
        h.at(Duration.ofHours(24));
        assertThat(h.state("backup-schedule-missed")).isNull();
        h.at(Duration.ofHours(25));
        assertThat(h.state("backup-schedule-missed")).isEqualTo(FIRING);
        assertThat(h.state("verified-backup-too-old")).isNull();
        h.at(Duration.ofHours(26));
        assertThat(h.state("verified-backup-too-old")).isEqualTo(FIRING);
        assertRunbook(h, "backup-schedule-missed", "schedule");
        assertRunbook(h, "verified-backup-too-old", "/verify");
    }

    @Test
    @Covers({"jvb-down", "jvb-stress-high"})
    void aJvbThatIsDownMutesItsOtherAlerts() {
        PackHarness h = new PackHarness();
        scrapes(h, s(0), m(5), "jvb", "jvb-1", "jitsi_jvb_stress", 0.9);
        h.send(status(h, "jvb", "jvb-1", HealthStatus.DOWN));
        assertThat(h.state("jvb-stress-high")).isEqualTo(FIRING);
        assertThat(h.state("jvb-down")).isEqualTo(FIRING);
        List<Alert> firing = firing(h);
        assertThat(muted(h, firing, "jvb-stress-high")).isTrue();
        assertThat(muted(h, firing, "jvb-down")).isFalse();
    }

    @Test
    @Covers({"jvb-down", "jvb-unhealthy"})
    void aJvbThatIsDownAndReportsItselfUnhealthyPagesOnceAsDown() {
        PackHarness h = new PackHarness();
        h.send(status(h, "jvb", "jvb-1", HealthStatus.DOWN));
        scrapes(h, s(0), s(60), "jvb", "jvb-1", "jitsi_jvb_healthy", 0);
        assertThat(h.state("jvb-down")).isEqualTo(FIRING);
        assertThat(h.state("jvb-unhealthy")).isEqualTo(FIRING);
        List<Alert> firing = firing(h);
        assertThat(muted(h, firing, "jvb-unhealthy")).isTrue();
        assertThat(muted(h, firing, "jvb-down")).isFalse();
    }

    // --- the inhibit stage on the evaluator's firing alerts ---

    private static List<Alert> firing(PackHarness h) {
        return h.evaluator.active().stream().filter(a -> a.state() == FIRING).map(a -> {
            AlertSeverity severity = h.rules.rule(a.rule()).orElseThrow().severity();
            return new Alert(a.fingerprint(), a.rule(), a.labels(), severity, false, a.state(), a.value(), null, "", "",
                    null, null, a.activeSince(), null, null, "rule");
        }).toList();
    }

    private static boolean muted(PackHarness h, List<Alert> firing, String rule) {
        Alert alert = firing.stream().filter(a -> a.rule().equals(rule)).findFirst().orElseThrow();
        return Inhibitor.mutes(h.rules.inhibitRules(), alert, firing);
    }
}
