package io.jitsiops.alert.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.jitsiops.alert.rule.RuleFile;
import io.jitsiops.alert.rule.RuleFileParser;
import io.jitsiops.alert.rule.RuleInput;
import io.jitsiops.events.CloudEvent;
import io.jitsiops.events.EventPayload;
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

class RuleEvaluatorTest {
    private static final Instant T0 = Instant.parse("2026-11-29T08:00:00Z");
    private static final ObservationExtractor EXTRACT = new ObservationExtractor();

    private static RuleFile rules(String rules) {
        return new RuleFileParser(Set.of("ops")).parse("rules:\n" + rules.indent(2) + "route: {receiver: ops}\n");
    }

    private static List<Transition> feed(RuleEvaluator e, EventPayload payload, Instant at) {
        return feed(e, payload, at, null);
    }

    /** As read from this Kafka partition ({@code topic-partition}). */
    private static List<Transition> feed(RuleEvaluator e, EventPayload payload, Instant at, String partition) {
        List<Transition> out = new java.util.ArrayList<>();
        for (Observation o : EXTRACT.extract(CloudEvent.of("/test", payload))) {
            out.addAll(e.observe(o, at, partition));
        }
        return out;
    }

    private static ConferenceQualitySample quality(String room, double lossPercent, double bitrate) {
        return new ConferenceQualitySample("c-" + room, room, "jvb-1", 3, bitrate, 30, 1280, 720, lossPercent, 5, T0);
    }

    private static final String LOSS = """
            - name: packet-loss-critical
              input: conference_quality
              metric: conference.packet_loss_percent
              threshold: 10
              clear: 7
              for: 1m
              severity: critical
              summary: "{value}% loss in {labels.room} (threshold {threshold})"
              description: "move the conference"
            """;

    @Test
    void firesCriticalWhenPacketLossStaysAboveTenPercentForOneMinute() {
        RuleEvaluator e = new RuleEvaluator(rules(LOSS), T0);
        List<Transition> first = feed(e, quality("team", 12, 1000), T0);
        assertThat(first).singleElement().satisfies(t -> {
            assertThat(t.to()).isEqualTo(AlertState.PENDING);
            assertThat(t.notifiable()).isFalse();
        });
        assertThat(feed(e, quality("team", 12.5, 1000), T0.plusSeconds(30))).isEmpty();
        assertThat(e.tick(T0.plusSeconds(59))).isEmpty();
        List<Transition> fired = e.tick(T0.plusSeconds(60));
        assertThat(fired).singleElement().satisfies(t -> {
            assertThat(t.from()).isEqualTo(AlertState.PENDING);
            assertThat(t.to()).isEqualTo(AlertState.FIRING);
            assertThat(t.summary()).isEqualTo("12.50% loss in team (threshold 10)");
            assertThat(t.labels()).containsEntry("room", "team").containsEntry("target", "jvb-1")
                    .containsEntry("alertname", "packet-loss-critical").containsEntry("severity", "critical");
        });
    }

    @Test
    void aPendingAlertThatClearsBeforeItsForDurationIsNeverNotified() {
        RuleEvaluator e = new RuleEvaluator(rules(LOSS), T0);
        feed(e, quality("team", 12, 1000), T0);
        List<Transition> cleared = feed(e, quality("team", 2, 1000), T0.plusSeconds(20));
        assertThat(cleared).singleElement().satisfies(t -> {
            assertThat(t.to()).isEqualTo(AlertState.RESOLVED);
            assertThat(t.notifiable()).isFalse();
        });
        assertThat(e.tick(T0.plusSeconds(120))).isEmpty();
    }

    @Test
    void hysteresisKeepsTheAlertFiringBetweenTheClearLevelAndTheThreshold() {
        RuleEvaluator e = new RuleEvaluator(rules(LOSS.replace("for: 1m", "for: 0s")), T0);
        assertThat(feed(e, quality("team", 11, 1000), T0)).extracting(Transition::to).containsExactly(AlertState.FIRING);
        assertThat(feed(e, quality("team", 8, 1000), T0.plusSeconds(1))).isEmpty(); // below 10, not below 7
        assertThat(feed(e, quality("team", 10.5, 1000), T0.plusSeconds(2))).isEmpty(); // still the same alert
        assertThat(feed(e, quality("team", 6.9, 1000), T0.plusSeconds(3))).singleElement()
                .satisfies(t -> assertThat(t.notifiable()).isTrue()).extracting(Transition::to).isEqualTo(AlertState.RESOLVED);
    }

    private static final String BITRATE = """
            - name: bitrate-low
              input: conference_quality
              metric: conference.bitrate_kbps
              direction: below
              threshold: 200
              clear: 300
              severity: critical
              summary: "{value} kbps"
              description: "x"
            """;

    @Test
    void bitrateAlertsWhenItFallsBelowItsThreshold() {
        RuleEvaluator e = new RuleEvaluator(rules(BITRATE), T0);
        assertThat(feed(e, quality("team", 0, 2500), T0)).isEmpty();
        assertThat(feed(e, quality("team", 0, 150), T0.plusSeconds(1))).extracting(Transition::to).containsExactly(AlertState.FIRING);
        assertThat(feed(e, quality("team", 0, 250), T0.plusSeconds(2))).isEmpty();
        assertThat(feed(e, quality("team", 0, 350), T0.plusSeconds(3))).extracting(Transition::to).containsExactly(AlertState.RESOLVED);
    }


    /** A sample that says whether anybody sent video (the metrics-service's since session 25). */
    private static ConferenceQualitySample quality(String room, double bitrate, boolean videoSent) {
        return new ConferenceQualitySample("c-" + room, room, "jvb-1", 3, bitrate, videoSent ? 30 : 0, 1280, 720, 0, 5, T0,
                null, "bridge", false, List.of(), 3, videoSent);
    }

    @Test
    void aCallInWhichNobodySendsVideoRaisesNoBitrateAlert() {
        RuleEvaluator e = new RuleEvaluator(rules(BITRATE), T0);
        assertThat(feed(e, quality("webinar", 0, false), T0)).isEmpty();
        assertThat(feed(e, quality("webinar", 0, false), T0.plusSeconds(30))).isEmpty();
        assertThat(e.active()).isEmpty();
        // a sender starved to 150 kbps is what the rule is for
        assertThat(feed(e, quality("webinar", 150, true), T0.plusSeconds(60))).extracting(Transition::to)
                .containsExactly(AlertState.FIRING);
    }

    @Test
    void aBitrateAlertResolvesWhenEveryCameraIsTurnedOff() {
        RuleEvaluator e = new RuleEvaluator(rules(BITRATE), T0);
        assertThat(feed(e, quality("team", 150, true), T0)).extracting(Transition::to).containsExactly(AlertState.FIRING);
        assertThat(feed(e, quality("team", 0, false), T0.plusSeconds(15))).singleElement().satisfies(t -> {
            assertThat(t.to()).isEqualTo(AlertState.RESOLVED);
            assertThat(t.notifiable()).isTrue();
        });
        assertThat(e.active()).isEmpty();
    }

    @Test
    void aConferenceAlertResolvesTwoMinutesAfterItsConferenceStoppedReporting() {
        RuleEvaluator e = new RuleEvaluator(rules(LOSS.replace("for: 1m", "for: 0s")), T0);
        assertThat(feed(e, quality("team", 15, 1000), T0)).extracting(Transition::to).containsExactly(AlertState.FIRING);
        assertThat(feed(e, quality("team", 14, 1000), T0.plusSeconds(30))).isEmpty();
        // the conference ended at T0+30: no sample since
        assertThat(e.tick(T0.plusSeconds(149))).isEmpty();
        assertThat(e.tick(T0.plusSeconds(150))).singleElement().satisfies(t -> {
            assertThat(t.to()).isEqualTo(AlertState.RESOLVED);
            assertThat(t.notifiable()).isTrue();
        });
        assertThat(e.active()).isEmpty();
    }

    @Test
    void staleAfterIsTheRulesOwnToSetAndAnAdoptedAlertWaitsAFullPeriodBeforeItGoesStale() {
        RuleEvaluator e = new RuleEvaluator(rules(LOSS.replace("for: 1m", "for: 0s\n  stale_after: 10m")), T0);
        feed(e, quality("team", 15, 1000), T0);
        assertThat(e.tick(T0.plusSeconds(599))).isEmpty();
        assertThat(e.tick(T0.plusSeconds(600))).extracting(Transition::to).containsExactly(AlertState.RESOLVED);

        // restored from PostgreSQL after a restart: its clock starts at the first tick, not at its last sample
        RuleEvaluator restarted = new RuleEvaluator(rules(LOSS), T0);
        RuleEvaluator.Active firing = new RuleEvaluator.Active(Fingerprints.ofRuleAlert("packet-loss-critical",
                Map.of("alertname", "packet-loss-critical", "component", "jvb", "room", "team", "severity", "critical",
                        "target", "jvb-1")), "packet-loss-critical", Map.of("alertname", "packet-loss-critical", "component",
                "jvb", "room", "team", "severity", "critical", "target", "jvb-1"), AlertState.FIRING, T0, 15.0, T0, null);
        restarted.restore(List.of(firing));
        Instant back = T0.plusSeconds(3600);
        assertThat(restarted.tick(back)).isEmpty();
        assertThat(restarted.tick(back.plusSeconds(119))).isEmpty();
        assertThat(restarted.tick(back.plusSeconds(120))).extracting(Transition::to).containsExactly(AlertState.RESOLVED);
    }

    @Test
    void staleAfterIsRefusedOnAnAbsenceRuleNamingTheKey() {
        assertThatThrownBy(() -> rules("""
                - name: quiet
                  input: conference_quality
                  absent: {expected_interval: 30s, missed: 3, by: [room]}
                  stale_after: 5m
                  severity: warning
                  summary: "s"
                  description: "d"
                """)).hasMessageContaining("key 'stale_after'");
    }

    @Test
    void labelMatchersChooseWhichTargetsARuleWatches() {
        RuleEvaluator e = new RuleEvaluator(rules("""
                - name: stress
                  input: component_metric
                  metric: stress_level
                  threshold: 0.8
                  matchers: ['component=jvb', 'target=~"jvb-[0-9]+"']
                  severity: warning
                  summary: "s"
                  description: "d"
                """), T0);
        assertThat(feed(e, new ComponentMetricSample("jvb", "jvb-test", T0, Map.of("stress_level", 0.9)), T0)).isEmpty();
        assertThat(feed(e, new ComponentMetricSample("jicofo", "jvb-1", T0, Map.of("stress_level", 0.9)), T0)).isEmpty();
        assertThat(feed(e, new ComponentMetricSample("jvb", "jvb-2", T0, Map.of("stress_level", 0.9)), T0)).hasSize(1);
    }

    /** A health status DOWN (2) is critical. */
    private static final String DOWN = """
            - name: down
              input: health_status
              metric: health.status
              threshold: 2
              severity: critical
              summary: "{labels.target} down"
              description: "d"
            """;

    @Test
    void healthDownIsCriticalDegradedIsWarningAndMeasurementsAreValues() {
        RuleEvaluator e = new RuleEvaluator(rules(DOWN + """
                - name: degraded
                  input: health_status
                  metric: health.status
                  threshold: 1
                  severity: warning
                  summary: "{labels.target} degraded"
                  description: "d"
                - name: cert
                  input: health_result
                  metric: tls.cert_days_to_expiry
                  direction: below
                  threshold: 14
                  severity: warning
                  summary: "{value} days"
                  description: "d"
                """), T0);
        List<Transition> down = feed(e, new HealthStatusChanged("jvb", "jvb-1", HealthStatus.UP, HealthStatus.DOWN, "x", T0), T0);
        assertThat(down).extracting(Transition::rule).containsExactlyInAnyOrder("down", "degraded");
        List<Transition> degraded = feed(e, new HealthStatusChanged("jvb", "jvb-1", HealthStatus.DOWN, HealthStatus.DEGRADED, null, T0), T0);
        assertThat(degraded).singleElement().satisfies(t -> {
            assertThat(t.rule()).isEqualTo("down");
            assertThat(t.to()).isEqualTo(AlertState.RESOLVED);
        });
        List<Transition> cert = feed(e, new HealthCheckResult("web", "meet", "tls", HealthStatus.UP, 10L, null,
                Map.of("tls.cert_days_to_expiry", 5.0), T0), T0);
        assertThat(cert).singleElement().satisfies(t -> assertThat(t.summary()).isEqualTo("5 days"));
    }

    @Test
    void logAndBackupInputsFireAndResolve() {
        RuleEvaluator e = new RuleEvaluator(rules("""
                - name: error-rate
                  input: log_window
                  metric: log.error_rate_percent
                  threshold: 5
                  severity: warning
                  summary: "{value}%"
                  description: "d"
                - name: log-error
                  input: log_entry
                  metric: log.entry
                  threshold: 1
                  matchers: ['level=ERROR']
                  resolve_after: 10m
                  severity: info
                  summary: "{labels.category}"
                  description: "d"
                - name: backup-failed
                  input: backup
                  metric: backup.failed
                  threshold: 1
                  severity: critical
                  summary: "{labels.schedule} failed"
                  description: "d"
                """), T0);
        assertThat(feed(e, new LogWindowAggregate("jicofo", T0, T0, 100, 7, 0, Map.of(), 7.0), T0)).hasSize(1);
        assertThat(feed(e, new LogErrorEntry("jvb", "jvb.log", 1, T0, "ERROR", "x", "boom", "ice-failure", null), T0))
                .singleElement().satisfies(t -> assertThat(t.summary()).isEqualTo("ice-failure"));
        assertThat(e.tick(T0.plusSeconds(599))).isEmpty();
        assertThat(e.tick(T0.plusSeconds(600))).extracting(Transition::rule).containsExactly("log-error");
        assertThat(feed(e, new BackupLifecycle("b1", BackupPhase.FAILED, "daily", null, null, null, null, null, "s3 down", T0), T0))
                .extracting(Transition::to).containsExactly(AlertState.FIRING);
        assertThat(feed(e, new BackupLifecycle("b2", BackupPhase.COMPLETED, "daily", null, null, null, null, null, null, T0), T0))
                .extracting(Transition::to).containsExactly(AlertState.RESOLVED);
    }

    @Test
    void absenceFiresForASilentTargetAndWhenNothingWasEverSeenAndResolvesWhenReportsReturn() {
        RuleFile rules = rules("""
                - name: jvb-silent
                  input: component_metric
                  matchers: ['component=jvb']
                  absent: {expected_interval: 10s, missed: 3, by: [component, target]}
                  severity: critical
                  summary: "no metrics from {labels.target} for {for}"
                  description: "d"
                """);
        RuleEvaluator nothing = new RuleEvaluator(rules, T0);
        assertThat(nothing.tick(T0.plusSeconds(29))).isEmpty();
        assertThat(nothing.tick(T0.plusSeconds(30))).singleElement().satisfies(t -> {
            assertThat(t.to()).isEqualTo(AlertState.FIRING);
            assertThat(t.labels()).containsEntry("component", "jvb").doesNotContainKey("target");
        });

        RuleEvaluator notTheSpeaker = new RuleEvaluator(rules, T0); // another replica owns the topic's partition 0
        assertThat(notTheSpeaker.tick(T0.plusSeconds(30), input -> false)).isEmpty();

        RuleEvaluator e = new RuleEvaluator(rules, T0);
        feed(e, new ComponentMetricSample("jvb", "jvb-1", T0, Map.of("conferences", 1.0)), T0);
        feed(e, new ComponentMetricSample("jvb", "jvb-2", T0, Map.of("conferences", 1.0)), T0);
        feed(e, new ComponentMetricSample("jvb", "jvb-2", T0, Map.of("conferences", 1.0)), T0.plusSeconds(20));
        List<Transition> silent = e.tick(T0.plusSeconds(30));
        assertThat(silent).singleElement().satisfies(t -> {
            assertThat(t.labels()).containsEntry("target", "jvb-1");
            assertThat(t.summary()).isEqualTo("no metrics from jvb-1 for PT30S");
        });
        assertThat(e.tick(T0.plusSeconds(31))).isEmpty(); // fires once
        assertThat(feed(e, new ComponentMetricSample("jvb", "jvb-1", T0, Map.of("x", 1.0)), T0.plusSeconds(40)))
                .extracting(Transition::to).containsExactly(AlertState.RESOLVED);
    }

    private static final String JVB_SILENT = """
            - name: jvb-silent
              input: component_metric
              matchers: ['component=jvb']
              absent: {expected_interval: 10s, missed: 3, by: [component, target]}
              severity: critical
              summary: "no metrics from {labels.target} for {for}"
              description: "d"
            """;

    @Test
    void aBridgeTakenOutOfTheDeploymentDescriptionFiresNoAbsenceAndItsAbsenceAlertFromBeforeResolves() {
        // jvb-2 was scaled down: the description names jvb-1 only; jvb-3 is no bridge of it either
        DeploymentTargets named = DeploymentTargets.of(Map.of("jvb", List.of("jvb-1")));
        RuleEvaluator before = new RuleEvaluator(rules(JVB_SILENT), T0);
        feed(before, new ComponentMetricSample("jvb", "jvb-2", T0, Map.of("conferences", 1.0)), T0);
        Transition fired = before.tick(T0.plusSeconds(30)).get(0); // before the description changed: it fired
        assertThat(fired.labels()).containsEntry("target", "jvb-2");
        RuleEvaluator.AbsenceChanges persisted = before.drainAbsenceChanges();

        // restarted with the new description: the alert restored from PostgreSQL resolves at the first tick
        RuleEvaluator after = new RuleEvaluator(rules(JVB_SILENT), T0.plusSeconds(60), Map.of(), ShardLabels.NONE, named);
        after.restoreAbsence(persisted.seen(), persisted.watched(), java.time.Duration.ZERO);
        after.restore(before.active());
        feed(after, new ComponentMetricSample("jvb", "jvb-1", T0, Map.of("conferences", 1.0)), T0.plusSeconds(60));
        feed(after, new ComponentMetricSample("jvb", "jvb-3", T0, Map.of("conferences", 1.0)), T0.plusSeconds(60));
        assertThat(after.tick(T0.plusSeconds(61))).singleElement().satisfies(t -> {
            assertThat(t.fingerprint()).isEqualTo(fired.fingerprint());
            assertThat(t.to()).isEqualTo(AlertState.RESOLVED);
        });
        // later, jvb-1 and jvb-3 go silent too: only the bridge the description names fires
        assertThat(after.tick(T0.plusSeconds(100))).singleElement()
                .satisfies(t -> assertThat(t.labels()).containsEntry("target", "jvb-1"));
        assertThat(after.tick(T0.plusSeconds(200))).isEmpty();
    }

    @Test
    void aDownAlertOfABridgeTakenOutOfTheDescriptionWhileItFiredResolvesAfterTheRestartButOneFiredSinceStays() {
        RuleFile down = rules(DOWN);
        RuleEvaluator before = new RuleEvaluator(down, T0);
        Transition jvb2 = feed(before, new HealthStatusChanged("jvb", "jvb-2", HealthStatus.UP, HealthStatus.DOWN, "x", T0), T0).get(0);
        Transition jvb1 = feed(before, new HealthStatusChanged("jvb", "jvb-1", HealthStatus.UP, HealthStatus.DOWN, "x", T0), T0).get(0);

        // jvb-2 is taken out of the description while DOWN; the replica restarts with the new description
        RuleEvaluator after = new RuleEvaluator(down, T0.plusSeconds(60), Map.of(), ShardLabels.NONE,
                DeploymentTargets.of(Map.of("jvb", List.of("jvb-1"))));
        after.restore(before.active());
        assertThat(after.tick(T0.plusSeconds(61))).singleElement().satisfies(t -> {
            assertThat(t.fingerprint()).isEqualTo(jvb2.fingerprint());
            assertThat(t.to()).isEqualTo(AlertState.RESOLVED);
        });
        assertThat(after.active()).extracting(RuleEvaluator.Active::fingerprint).containsExactly(jvb1.fingerprint());

        // a bridge this replica's description does not name goes DOWN after it started (one added to the description
        // since): alerted, and not resolved by the retirement
        assertThat(feed(after, new HealthStatusChanged("jvb", "jvb-5", HealthStatus.UP, HealthStatus.DOWN, "x", T0), T0.plusSeconds(70)))
                .extracting(Transition::to).containsExactly(AlertState.FIRING);
        assertThat(after.tick(T0.plusSeconds(71))).isEmpty();
    }

    @Test
    void aConferenceAlertFromBrowserStatisticsIsNotRetiredByARestart() {
        // metrics-service's browser statistics name no bridge: target "client", in no description
        RuleFile lossRule = rules(LOSS.replace("for: 1m", "for: 0s"));
        RuleEvaluator before = new RuleEvaluator(lossRule, T0);
        ConferenceQualitySample fromBrowsers = new ConferenceQualitySample("c-team", "team", "client", 3, 1000, 30, 1280, 720, 15,
                5, T0);
        assertThat(feed(before, fromBrowsers, T0)).extracting(Transition::to).containsExactly(AlertState.FIRING);
        RuleEvaluator after = new RuleEvaluator(lossRule, T0.plusSeconds(60), Map.of(), ShardLabels.NONE,
                DeploymentTargets.of(Map.of("jvb", List.of("jvb-1"))));
        after.restore(before.active());
        assertThat(after.tick(T0.plusSeconds(61))).isEmpty();
        assertThat(after.active()).hasSize(1);
    }

    @Test
    void withoutADeploymentDescriptionOrForOtherComponentsNoTargetIsRetired() {
        DeploymentTargets named = DeploymentTargets.of(Map.of("jvb", List.of("jvb-1")));
        assertThat(named.retires(Map.of("component", "jvb", "target", "jvb-2"))).isTrue();
        assertThat(named.retires(Map.of("component", "jicofo", "target", "jicofo-1"))).as("lists no jicofo").isTrue();
        assertThat(named.retires(Map.of("component", "jvb", "target", "jvb-1"))).isFalse();
        assertThat(named.retires(Map.of("component", "host", "target", "node-1"))).isFalse();
        assertThat(named.retires(Map.of("component", "jvb"))).as("nothing ever seen").isFalse();
        assertThat(named.retires(Map.of("schedule", "daily"))).isFalse();
        assertThat(DeploymentTargets.NONE.retires(Map.of("component", "jvb", "target", "jvb-2"))).isFalse();
    }

    @Test
    void aSampleOfManyValuesMarksItsSeriesSeenOnceAndTheSameEventReplayedLaterMarksItAgain() {
        RuleEvaluator e = new RuleEvaluator(rules(JVB_SILENT), T0);
        e.drainAbsenceChanges();
        Map<String, Double> values = new java.util.HashMap<>();
        for (int i = 0; i < 70; i++) {
            values.put("jitsi_jvb_value_" + i, (double) i);
        }
        CloudEvent<EventPayload> sample = CloudEvent.of("/test", new ComponentMetricSample("jvb", "jvb-1", T0, values));
        List<Observation> observations = EXTRACT.extract(sample);
        assertThat(observations).hasSize(70).extracting(Observation::labels).allSatisfy(l -> assertThat(l).isSameAs(observations.get(0).labels()));
        observations.forEach(o -> e.observe(o, T0, "jitsi-ops.metrics-0"));
        assertThat(e.drainAbsenceChanges().seen()).singleElement().satisfies(s -> {
            assertThat(s.series()).isEqualTo(Map.of("component", "jvb", "target", "jvb-1"));
            assertThat(s.at()).isEqualTo(T0);
        });

        // read again after a rebalance 25 s later: the series reported then, so it is not silent at T0+30
        observations.forEach(o -> e.observe(o, T0.plusSeconds(25), "jitsi-ops.metrics-0"));
        assertThat(e.drainAbsenceChanges().seen()).singleElement()
                .satisfies(s -> assertThat(s.at()).isEqualTo(T0.plusSeconds(25)));
        assertThat(e.tick(T0.plusSeconds(30))).isEmpty();
        assertThat(e.tick(T0.plusSeconds(55))).singleElement()
                .satisfies(t -> assertThat(t.labels()).containsEntry("target", "jvb-1"));
    }

    @Test
    void aSeriesSilentBeforeARestartStillFiresAfterItWithTheDowntimeNotCountedAsSilence() {
        RuleEvaluator before = new RuleEvaluator(rules(JVB_SILENT), T0);
        feed(before, new ComponentMetricSample("jvb", "jvb-1", T0, Map.of("conferences", 1.0)), T0);
        feed(before, new ComponentMetricSample("jvb", "jvb-2", T0, Map.of("conferences", 1.0)), T0.plusSeconds(20));
        RuleEvaluator.AbsenceChanges persisted = before.drainAbsenceChanges();
        assertThat(persisted.seen()).hasSize(2);
        assertThat(persisted.watched()).containsEntry("jvb-silent", T0);
        assertThat(before.drainAbsenceChanges().isEmpty()).isTrue(); // each change is written once

        // crash at T0+20 (last heartbeat), restart at T0+80: 60 s nobody watched, which does not count as silence
        RuleEvaluator after = new RuleEvaluator(rules(JVB_SILENT), T0.plusSeconds(80));
        after.restoreAbsence(persisted.seen(), persisted.watched(), java.time.Duration.ofSeconds(60));
        feed(after, new ComponentMetricSample("jvb", "jvb-2", T0, Map.of("conferences", 1.0)), T0.plusSeconds(81));
        // jvb-1 was silent 20 s before the crash: it fires after the remaining 10 s, not a whole window after restart
        assertThat(after.tick(T0.plusSeconds(89))).isEmpty();
        assertThat(after.tick(T0.plusSeconds(90))).singleElement()
                .satisfies(t -> assertThat(t.labels()).containsEntry("target", "jvb-1"));
    }

    @Test
    void nothingEverSeenKeepsItsWindowAcrossRestartsAndRuleReloads() {
        RuleEvaluator before = new RuleEvaluator(rules(JVB_SILENT), T0);
        RuleEvaluator.AbsenceChanges persisted = before.drainAbsenceChanges();
        RuleEvaluator after = new RuleEvaluator(rules(JVB_SILENT), T0.plusSeconds(25));
        after.restoreAbsence(persisted.seen(), persisted.watched(), java.time.Duration.ofSeconds(5));
        assertThat(after.tick(T0.plusSeconds(34))).isEmpty();
        assertThat(after.replaceRules(rules(JVB_SILENT + LOSS), T0.plusSeconds(34))).isEmpty(); // a reload keeps the window
        assertThat(after.tick(T0.plusSeconds(35))).singleElement()
                .satisfies(t -> assertThat(t.labels()).doesNotContainKey("target"));
    }

    @Test
    void withReplicasOnlyTheOwnerOfASeriesPartitionDecidesItWentSilent() {
        RuleEvaluator e = new RuleEvaluator(rules(JVB_SILENT), T0);
        for (Observation o : EXTRACT.extract(CloudEvent.of("/test", new ComponentMetricSample("jvb", "jvb-1", T0, Map.of("c", 1.0))))) {
            e.observe(o, T0, "jitsi-ops.metrics-1");
        }
        assertThat(e.tick(T0.plusSeconds(30), input -> true, p -> !p.equals("jitsi-ops.metrics-1"))).isEmpty();
        assertThat(e.tick(T0.plusSeconds(31), input -> true, p -> true)).singleElement()
                .satisfies(t -> assertThat(t.labels()).containsEntry("target", "jvb-1"));
    }

    @Test
    void restoredAlertsContinueAfterARestartWithoutFiringAgain() {
        RuleEvaluator before = new RuleEvaluator(rules(LOSS.replace("for: 1m", "for: 0s")), T0);
        Transition fired = feed(before, quality("team", 15, 1000), T0).get(0);
        RuleEvaluator after = new RuleEvaluator(rules(LOSS.replace("for: 1m", "for: 0s")), T0.plusSeconds(60));
        after.restore(before.active());
        assertThat(feed(after, quality("team", 15, 1000), T0.plusSeconds(61))).isEmpty(); // the same episode, no new firing
        assertThat(feed(after, quality("team", 1, 1000), T0.plusSeconds(62))).singleElement()
                .satisfies(t -> assertThat(t.fingerprint()).isEqualTo(fired.fingerprint()));
    }

    @Test
    void anAlertCarriesThePartitionOfItsRecordsAndIsDroppedWithoutAChangeWhenThatPartitionIsRevoked() {
        RuleEvaluator e = new RuleEvaluator(rules(LOSS.replace("for: 1m", "for: 0s")), T0);
        assertThat(feed(e, quality("a", 15, 1000), T0, "jitsi-ops.metrics-1")).singleElement()
                .satisfies(t -> assertThat(t.partition()).isEqualTo("jitsi-ops.metrics-1"));
        feed(e, quality("b", 15, 1000), T0, "jitsi-ops.metrics-2");
        feed(e, quality("c", 15, 1000), T0); // from no partition: kept by every replica
        List<String> dropped = e.forget(p -> p.equals("jitsi-ops.metrics-1"));
        assertThat(dropped).hasSize(1);
        assertThat(e.active()).extracting(RuleEvaluator.Active::partition)
                .containsExactlyInAnyOrder("jitsi-ops.metrics-2", null);
        // the time-driven path sees nothing of the dropped alert either
        assertThat(e.tick(T0.plusSeconds(3600))).noneMatch(t -> dropped.contains(t.fingerprint()));
    }

    @Test
    void anAlertPersistedBeforePartitionsWereRecordedTakesThePartitionItsRecordsArriveOnAndResolves() {
        RuleEvaluator before = new RuleEvaluator(rules(LOSS.replace("for: 1m", "for: 0s")), T0);
        feed(before, quality("team", 15, 1000), T0); // no partition, as a row persisted before source_partition existed
        RuleEvaluator after = new RuleEvaluator(rules(LOSS.replace("for: 1m", "for: 0s")), T0.plusSeconds(60));
        after.restore(before.active());
        assertThat(feed(after, quality("team", 15, 1000), T0.plusSeconds(61), "jitsi-ops.metrics-1")).isEmpty();
        assertThat(after.active()).singleElement()
                .satisfies(a -> assertThat(a.partition()).isEqualTo("jitsi-ops.metrics-1"));
        assertThat(feed(after, quality("team", 1, 1000), T0.plusSeconds(62), "jitsi-ops.metrics-1")).singleElement()
                .satisfies(t -> {
                    assertThat(t.to()).isEqualTo(AlertState.RESOLVED);
                    assertThat(t.partition()).isEqualTo("jitsi-ops.metrics-1");
                });
    }

    @Test
    void anAlertIsJudgedOnlyByTheRecordsOfItsOwnPartition() {
        // two subjects whose alerts share a fingerprint (a rule whose labels leave out what tells them apart) arrive on
        // two partitions: the alert stays with the partition it started on, so only one replica ever holds it
        RuleEvaluator e = new RuleEvaluator(rules(LOSS.replace("for: 1m", "for: 0s")), T0);
        feed(e, quality("team", 15, 1000), T0, "jitsi-ops.metrics-1");
        assertThat(feed(e, quality("team", 1, 1000), T0.plusSeconds(1), "jitsi-ops.metrics-2")).isEmpty();
        assertThat(e.active()).singleElement()
                .satisfies(a -> assertThat(a.partition()).isEqualTo("jitsi-ops.metrics-1"));
    }

    @Test
    void aNewPartitionOwnerAdoptsThePersistedStateAndAStaleCopyGivesWayToIt() {
        RuleEvaluator owner = new RuleEvaluator(rules(LOSS.replace("for: 1m", "for: 0s")), T0);
        feed(owner, quality("a", 15, 1000), T0, "jitsi-ops.metrics-1");
        feed(owner, quality("b", 15, 1000), T0, "jitsi-ops.metrics-1");
        RuleEvaluator me = new RuleEvaluator(rules(LOSS.replace("for: 1m", "for: 0s")), T0);
        feed(me, quality("a", 15, 1000), T0.minusSeconds(600), "jitsi-ops.metrics-1"); // from an earlier ownership
        assertThat(me.adopt(owner.active())).isEqualTo(2);
        assertThat(me.active()).hasSize(2).allSatisfy(a -> assertThat(a.activeSince()).isEqualTo(T0));
        assertThat(feed(me, quality("b", 15, 1000), T0.plusSeconds(6), "jitsi-ops.metrics-1")).isEmpty(); // no second firing
        assertThat(feed(me, quality("a", 1, 1000), T0.plusSeconds(7), "jitsi-ops.metrics-1")).singleElement()
                .satisfies(t -> assertThat(t.to()).isEqualTo(AlertState.RESOLVED));
    }

    @Test
    void unknownMetricNamesAreCountedNotErrors() {
        RuleEvaluator e = new RuleEvaluator(rules(LOSS), T0);
        feed(e, new ComponentMetricSample("jvb", "jvb-1", T0, Map.of("something_new", 1.0, "other", 2.0)), T0);
        assertThat(e.unmatched()).isEqualTo(2);
    }

    private static final String JVB_STRESS = """
            - name: jvb-stress
              input: component_metric
              metric: jitsi_jvb_stress
              threshold: 1
              severity: critical
              summary: "s"
              description: "d"
            """;

    @Test
    void aRuleOnAMetricNoEarlierRuleReadFiresRightAfterTheReloadThatAddsIt() {
        RuleEvaluator e = new RuleEvaluator(rules(LOSS.replace("for: 1m", "for: 0s")), T0);
        ComponentMetricSample stressed = new ComponentMetricSample("jvb", "jvb-1", T0, Map.of("jitsi_jvb_stress", 1.2));
        assertThat(feed(e, stressed, T0)).isEmpty();
        assertThat(e.unmatched()).isEqualTo(1);
        e.replaceRules(rules(LOSS + JVB_STRESS), T0);
        assertThat(feed(e, stressed, T0.plusSeconds(1))).singleElement().satisfies(t -> {
            assertThat(t.rule()).isEqualTo("jvb-stress");
            assertThat(t.to()).isEqualTo(AlertState.FIRING);
        });
        assertThat(e.unmatched()).isEqualTo(1);
    }

    @Test
    void oneValueReachesTheRuleNamingItsMetricAndAnAbsenceRuleNamingNone() {
        RuleEvaluator e = new RuleEvaluator(rules(JVB_SILENT + JVB_STRESS), T0);
        assertThat(e.tick(T0.plusSeconds(30))).singleElement()
                .satisfies(t -> assertThat(t.rule()).isEqualTo("jvb-silent")); // nothing ever seen
        List<Transition> out = feed(e, new ComponentMetricSample("jvb", "jvb-1", T0, Map.of("jitsi_jvb_stress", 1.2)),
                T0.plusSeconds(31));
        assertThat(out).extracting(Transition::rule, Transition::to).containsExactly(
                org.assertj.core.groups.Tuple.tuple("jvb-silent", AlertState.RESOLVED),
                org.assertj.core.groups.Tuple.tuple("jvb-stress", AlertState.FIRING));
    }

    @Test
    void aReloadResolvesTheAlertsOfRemovedRulesAndKeepsTheOthers() {
        RuleEvaluator e = new RuleEvaluator(rules(LOSS.replace("for: 1m", "for: 0s")), T0);
        feed(e, quality("team", 15, 1000), T0);
        assertThat(e.replaceRules(rules(LOSS.replace("for: 1m", "for: 0s")), T0)).isEmpty();
        assertThat(e.replaceRules(rules(LOSS.replace("packet-loss-critical", "renamed")), T0))
                .extracting(Transition::to).containsExactly(AlertState.RESOLVED);
        assertThat(e.active()).isEmpty();
    }

    @Test
    void anAlertPersistedBeforeItsRuleGainedLabelsIsResolvedAtStartUpAsRuleChanged() {
        // before the upgrade the rule had no labels of its own; the alert was persisted with the old fingerprint
        RuleEvaluator before = new RuleEvaluator(rules(LOSS.replace("for: 1m", "for: 0s")), T0);
        feed(before, quality("team", 15, 1000), T0);
        feed(before, quality("other", 15, 1000), T0);
        List<RuleEvaluator.Active> persisted = before.active();
        assertThat(persisted).hasSize(2);
        // the new version's rule adds labels: restored alerts carry labels it would no longer give
        String upgraded = LOSS.replace("for: 1m", "for: 0s").replace("severity: critical",
                "severity: critical\n  labels: {pack: jitsi, family: media}");
        RuleEvaluator after = new RuleEvaluator(rules(upgraded), T0.plusSeconds(60));
        after.restore(persisted);
        List<Transition> resolved = after.resolveChanged(T0.plusSeconds(60));
        assertThat(resolved).hasSize(2).allSatisfy(t -> {
            assertThat(t.to()).isEqualTo(AlertState.RESOLVED);
            assertThat(t.from()).isEqualTo(AlertState.FIRING);
            assertThat(t.summary()).startsWith("rule changed: ").contains("family=media");
            assertThat(t.severity()).isEqualTo(io.jitsiops.events.payload.AlertSeverity.CRITICAL);
        });
        assertThat(after.active()).isEmpty();
        assertThat(after.resolveChanged(T0.plusSeconds(61))).as("once").isEmpty();
        // the same loss fires again under the new fingerprint, with the new labels
        List<Transition> again = feed(after, quality("team", 15, 1000), T0.plusSeconds(62));
        assertThat(again).extracting(Transition::to).containsExactly(AlertState.FIRING);
        assertThat(again.get(0).labels()).containsEntry("family", "media");
        assertThat(again.get(0).fingerprint()).isNotIn(persisted.stream().map(RuleEvaluator.Active::fingerprint).toList());
    }

    @Test
    void aReloadResolvesAlertsWhoseRuleNowHasAnotherSeverityOrNoLongerMatchesTheirSeriesAndKeepsTheRest() {
        String loss = LOSS.replace("for: 1m", "for: 0s");
        RuleEvaluator e = new RuleEvaluator(rules(loss), T0);
        feed(e, quality("team", 15, 1000), T0);
        assertThat(e.resolveChanged(T0)).as("alerts of unchanged rules stay").isEmpty();
        assertThat(e.replaceRules(rules(loss.replace("severity: critical", "severity: warning")), T0.plusSeconds(1)))
                .singleElement().satisfies(t -> assertThat(t.summary()).startsWith("rule changed: "));
        feed(e, quality("team", 15, 1000), T0.plusSeconds(2));
        assertThat(e.active()).hasSize(1);
        String matched = loss.replace("severity: critical", "severity: warning") + "  matchers: ['room=~\"other.*\"']\n";
        assertThat(e.replaceRules(rules(matched), T0.plusSeconds(3)))
                .singleElement().satisfies(t -> assertThat(t.summary()).contains("no longer matches"));
        assertThat(e.active()).isEmpty();
    }

    @Test
    void fingerprintsDependOnRuleAndLabelsOnly() {
        assertThat(Fingerprints.of("r", Map.of("a", "1", "b", "2"))).isEqualTo(Fingerprints.of("r", Map.of("b", "2", "a", "1")))
                .isNotEqualTo(Fingerprints.of("r2", Map.of("a", "1", "b", "2"))).hasSize(16);
        assertThat(RuleInput.of(io.jitsiops.events.EventType.ALERT_STATE_CHANGED)).isEmpty();
    }
}
