package io.jitsiops.alert.evaluate;

import java.util.Map;

import io.jitsiops.alert.rule.RuleInput;

/** One measured value read from an event, with the labels that say what it is about. */
public record Observation(RuleInput input, String metric, double value, Map<String, String> labels, String eventId) {
    public Observation {
        labels = Map.copyOf(labels);
    }
}
