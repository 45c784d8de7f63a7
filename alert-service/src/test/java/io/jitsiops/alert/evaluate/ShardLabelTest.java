package io.jitsiops.alert.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.jitsiops.alert.config.ShardLabelsProducer;
import io.jitsiops.alert.rule.RuleFile;
import io.jitsiops.alert.rule.RuleFileParser;
import io.jitsiops.deployment.DeploymentDescriptions;
import io.jitsiops.events.CloudEvent;
import io.jitsiops.events.EventPayload;
import io.jitsiops.events.payload.AlertState;
import io.jitsiops.events.payload.ConferenceQualitySample;
import io.jitsiops.events.payload.HealthStatus;
import io.jitsiops.events.payload.HealthStatusChanged;

/** The derived {@code shard} label: read from the deployment description, never part of an alert's identity. */
class ShardLabelTest {
    private static final Instant T0 = Instant.parse("2026-11-29T08:00:00Z");
    private static final ObservationExtractor EXTRACT = new ObservationExtractor();
    private static final ShardLabels SHARDS = shards();

    private static ShardLabels shards() {
        try (InputStream in = ShardLabelTest.class.getResourceAsStream("/shards/deployment.yaml")) {
            return ShardLabelsProducer.fromDescription(
                    DeploymentDescriptions.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static RuleFile rules(String rules) {
        return new RuleFileParser(Set.of("ops")).parse("rules:\n" + rules.indent(2) + "route: {receiver: ops}\n");
    }

    private static List<Transition> feed(RuleEvaluator e, EventPayload payload, Instant at) {
        List<Transition> out = new ArrayList<>();
        for (Observation o : EXTRACT.extract(CloudEvent.of("/test", payload))) {
            out.addAll(e.observe(o, at));
        }
        return out;
    }

    private static HealthStatusChanged down(String target) {
        return new HealthStatusChanged("jvb", target, HealthStatus.UP, HealthStatus.DOWN, "timeout", T0);
    }

    private static final String SHARD_A_DOWN = """
            - name: shard-a-bridge-down
              input: health_status
              metric: health.status
              threshold: 2
              severity: critical
              matchers: ['shard=shard-a']
              summary: "{labels.target} of {labels.shard} is DOWN"
              description: "move the conferences of {labels.shard}"
            """;

    /** The rule of RuleEvaluatorTest's first test, with the fingerprint the code gave before the shard label existed. */
    private static final String LOSS = """
            - name: packet-loss-critical
              input: conference_quality
              metric: conference.packet_loss_percent
              threshold: 10
              clear: 7
              for: 0s
              severity: critical
              summary: "{value}% loss in {labels.room} (threshold {threshold})"
              description: "move the conference"
            """;
    /**
     * Fingerprints.of("packet-loss-critical", {alertname, component=jvb, room=team, severity=critical, target=jvb-1})
     * as computed by the code of commit d0cdd83 (before the shard label), run on this machine before any change.
     */
    private static final String FINGERPRINT_BEFORE_SHARDS = "e2092228c36d5086";

    @Test
    void aRuleWithMatcherShardAFiresForABridgeOfShardAAndNotForOneOfShardB() {
        RuleEvaluator e = new RuleEvaluator(rules(SHARD_A_DOWN), T0, Map.of(), SHARDS);
        assertThat(feed(e, down("jvb-b1"), T0)).isEmpty();
        assertThat(feed(e, down("jvb-lone"), T0)).isEmpty(); // no shard at all
        assertThat(feed(e, down("jvb-a1"), T0)).singleElement().satisfies(t -> {
            assertThat(t.to()).isEqualTo(AlertState.FIRING);
            assertThat(t.labels()).containsEntry("shard", "shard-a").containsEntry("target", "jvb-a1");
            assertThat(t.summary()).isEqualTo("jvb-a1 of shard-a is DOWN");
            assertThat(t.description()).isEqualTo("move the conferences of shard-a");
        });
    }

    @Test
    void theFingerprintOfAnAlertWithItsDerivedShardIsTheOneFromBeforeTheShardLabel() {
        ShardLabels jvb1InShardA = ShardLabels.of(Map.of("jvb-1", "shard-a"));
        RuleEvaluator e = new RuleEvaluator(rules(LOSS), T0, Map.of(), jvb1InShardA);
        ConferenceQualitySample q = new ConferenceQualitySample("c-team", "team", "jvb-1", 3, 1000, 30, 1280, 720, 12, 5, T0);
        assertThat(feed(e, q, T0)).singleElement().satisfies(t -> {
            assertThat(t.labels()).containsEntry("shard", "shard-a");
            assertThat(t.fingerprint()).isEqualTo(FINGERPRINT_BEFORE_SHARDS);
        });
        // and without a description (no shard) it is still the same
        RuleEvaluator without = new RuleEvaluator(rules(LOSS), T0);
        assertThat(feed(without, q, T0)).singleElement().satisfies(t -> {
            assertThat(t.labels()).doesNotContainKey("shard");
            assertThat(t.fingerprint()).isEqualTo(FINGERPRINT_BEFORE_SHARDS);
        });
    }

    @Test
    void anAlertPersistedWithoutShardGetsItWhenRestoredAndStaysTheSameAlert() {
        String rules = SHARD_A_DOWN.replace("['shard=shard-a']", "['component=jvb']");
        RuleEvaluator before = new RuleEvaluator(rules(rules), T0); // the version without shards
        Transition fired = feed(before, down("jvb-a1"), T0).get(0);
        assertThat(fired.labels()).doesNotContainKey("shard");

        RuleEvaluator upgraded = new RuleEvaluator(rules(rules), T0.plusSeconds(60), Map.of(), SHARDS);
        upgraded.restore(List.of(new RuleEvaluator.Active(fired.fingerprint(), fired.rule(), fired.labels(),
                AlertState.FIRING, T0, 2.0, T0, null)));
        assertThat(upgraded.resolveChanged(T0.plusSeconds(60))).as("not resolved as a changed rule").isEmpty();
        assertThat(upgraded.active()).singleElement().satisfies(a -> {
            assertThat(a.fingerprint()).isEqualTo(fired.fingerprint());
            assertThat(a.labels()).containsEntry("shard", "shard-a");
        });
        // the next DOWN is the same firing alert: no transition, nothing to notify
        assertThat(feed(upgraded, down("jvb-a1"), T0.plusSeconds(61))).isEmpty();
    }

    @Test
    void aShardLabelAlreadyThereIsKeptAndATargetNotInTheDescriptionGetsNone() {
        Map<String, String> posted = SortedLabels.of(Map.of("alertname", "X", "target", "jvb-a1", "shard", "mine"), null);
        assertThat(SHARDS.derive(posted)).isSameAs(posted);
        Map<String, String> unknown = Map.of("alertname", "X", "target", "jvb-9");
        assertThat(SHARDS.derive(unknown)).isSameAs(unknown).doesNotContainKey("shard");
        Map<String, String> lone = Map.of("alertname", "X", "target", "jvb-lone"); // in the description, no shard
        assertThat(SHARDS.derive(lone)).doesNotContainKey("shard");
        Map<String, String> derived = SHARDS.derive(SortedLabels.of(Map.of("alertname", "X", "target", "jicofo-b"), null));
        assertThat(derived).isInstanceOf(SortedLabels.class).containsEntry("shard", "shard-b").hasSize(3);
        assertThat(Fingerprints.ofRuleAlert("X", derived)).isEqualTo(Fingerprints.of("X", Map.of("alertname", "X",
                "target", "jicofo-b")));
    }
}
