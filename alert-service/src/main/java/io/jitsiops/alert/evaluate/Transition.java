package io.jitsiops.alert.evaluate;

import java.time.Instant;
import java.util.Map;

import io.jitsiops.events.payload.AlertSeverity;
import io.jitsiops.events.payload.AlertState;

/**
 * An alert that changed state. {@code from} is null for a new alert. A pending alert that clears before its
 * {@code for} elapsed ends RESOLVED with {@code from} PENDING: recorded, never notified. {@code partition} is the
 * Kafka partition ({@code topic-partition}) whose records the alert is about, null when it comes from none: with
 * several replicas only that partition's owner holds the alert.
 */
public record Transition(
        String fingerprint,
        String rule,
        Map<String, String> labels,
        AlertState from,
        AlertState to,
        AlertSeverity severity,
        boolean page,
        Double value,
        Double threshold,
        Instant activeSince,
        Instant at,
        String summary,
        String description,
        String dashboardUrl,
        String eventId,
        String partition) {

    /** Whether people hear of it: it fired, or a fired alert resolved. */
    public boolean notifiable() {
        return to == AlertState.FIRING || (to == AlertState.RESOLVED && from == AlertState.FIRING);
    }
}
