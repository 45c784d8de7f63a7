package io.jitsiops.alert.notify;

import java.time.Instant;
import java.util.Map;

import io.jitsiops.events.payload.AlertSeverity;
import io.jitsiops.events.payload.AlertState;

/**
 * An alert as notifications see it (and as the API shows it).
 *
 * @param ackedUntil repeats stop until then (or until the alert resolves); null when not acknowledged
 * @param source     {@code rule} for our own rules, {@code prometheus} for alerts posted on the v2 API
 */
public record Alert(
        String fingerprint,
        String rule,
        Map<String, String> labels,
        AlertSeverity severity,
        boolean page,
        AlertState state,
        Double value,
        Double threshold,
        String summary,
        String description,
        String dashboardUrl,
        String generatorUrl,
        Instant startsAt,
        Instant endsAt,
        Instant ackedUntil,
        String source) {

    public boolean firing() {
        return state == AlertState.FIRING;
    }

    /** The severity as receivers write it: "critical", "warning", "info", or "" for an alert without ours. */
    public String severityName() {
        return severity == null ? "" : severity.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The labels as receivers write them: {@code name=value, …} in name order. */
    public String labelText() {
        return labels.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(e -> e.getKey() + "=" + e.getValue())
                .collect(java.util.stream.Collectors.joining(", "));
    }

    public boolean acknowledged(Instant now) {
        return ackedUntil != null && ackedUntil.isAfter(now);
    }

    public Alert withAck(Instant until) {
        return new Alert(fingerprint, rule, labels, severity, page, state, value, threshold, summary, description,
                dashboardUrl, generatorUrl, startsAt, endsAt, until, source);
    }
}
