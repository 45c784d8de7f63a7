package io.jitsiops.events.payload;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

import io.jitsiops.events.EventPayload;

/**
 * An alert that changed state.
 *
 * @param fingerprint stable identity of the alert: the rule plus its labels
 * @param value       the observed value that crossed (or came back under) the threshold
 */
public record AlertStateChanged(
        String fingerprint,
        String rule,
        AlertSeverity severity,
        AlertState state,
        Map<String, String> labels,
        String summary,
        Double value,
        Double threshold,
        Instant startsAt,
        Instant endsAt) implements EventPayload {

    public AlertStateChanged {
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(state, "state");
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    @Override
    public String subject() {
        return "alert/" + fingerprint;
    }
}
