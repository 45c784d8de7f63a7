package io.jitsiops.alert.pack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.jitsiops.alert.evaluate.Observation;
import io.jitsiops.alert.evaluate.ObservationExtractor;
import io.jitsiops.alert.evaluate.RuleEvaluator;
import io.jitsiops.alert.evaluate.Transition;
import io.jitsiops.alert.rule.RuleFile;
import io.jitsiops.alert.rule.RuleFileParser;
import io.jitsiops.events.CloudEvent;
import io.jitsiops.events.EventPayload;
import io.jitsiops.events.payload.AlertState;

/**
 * The shipped rule pack evaluated with a clock the test moves: events go through the same extraction and
 * evaluation as in the service, time-driven changes ({@code for}, {@code resolve_after}, absence) happen on
 * {@link #at}. Nothing of the pack is changed, except where a test opts in to a rule the way an operator does.
 */
final class PackHarness {
    static final Instant T0 = Instant.parse("2026-11-29T08:00:00Z");
    static final String GRAFANA = "https://grafana.example.org";
    private static final ObservationExtractor EXTRACT = new ObservationExtractor();

    final RuleFile rules;
    final RuleEvaluator evaluator;
    final List<Transition> transitions = new ArrayList<>();
    Instant now = T0;

    PackHarness() {
        this(packText());
    }

    PackHarness(String yaml) {
        this.rules = parse(yaml);
        this.evaluator = new RuleEvaluator(rules, T0, Map.of("grafana", GRAFANA));
    }

    static String packText() {
        try (InputStream in = PackHarness.class.getClassLoader().getResourceAsStream("alerting/default-rules.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RuleFile parse(String yaml) {
        return new RuleFileParser(Set.of("operators")).parse(yaml);
    }

    /** Moves the clock to T0 + {@code offset} and runs the time-driven evaluation there. */
    PackHarness at(Duration offset) {
        now = T0.plus(offset);
        transitions.addAll(evaluator.tick(now));
        return this;
    }

    PackHarness send(EventPayload payload) {
        for (Observation o : EXTRACT.extract(CloudEvent.of("/test", payload))) {
            transitions.addAll(evaluator.observe(o, now));
        }
        return this;
    }

    /** The state of the rule's alert about {@code target} (any alert of the rule when target is null); null = inactive. */
    AlertState state(String rule, String target) {
        return evaluator.active().stream()
                .filter(a -> a.rule().equals(rule) && (target == null || target.equals(a.labels().get("target"))))
                .map(RuleEvaluator.Active::state).findFirst().orElse(null);
    }

    AlertState state(String rule) {
        return state(rule, null);
    }

    /** The transition that made the rule's alert fire (its rendered summary, runbook and dashboard link). */
    Optional<Transition> fired(String rule) {
        return transitions.stream().filter(t -> t.rule().equals(rule) && t.to() == AlertState.FIRING).findFirst();
    }

    boolean resolved(String rule) {
        return transitions.stream().anyMatch(t -> t.rule().equals(rule) && t.to() == AlertState.RESOLVED);
    }

    static Duration s(long seconds) {
        return Duration.ofSeconds(seconds);
    }

    static Duration m(long minutes) {
        return Duration.ofMinutes(minutes);
    }
}
