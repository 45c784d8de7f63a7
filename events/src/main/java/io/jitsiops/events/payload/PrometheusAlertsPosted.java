package io.jitsiops.events.payload;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.jitsiops.events.EventPayload;

/**
 * Alerts of one post on the Alertmanager v2 API ({@code POST /api/v2/alerts}) that fall on one partition of
 * {@code jitsi-ops.alert-intake}: the replica that received the post writes one of these per partition it touches,
 * and the replica that owns the partition applies them. Only alert-service writes and reads it.
 *
 * @param partition  the partition of {@code jitsi-ops.alert-intake} these alerts were routed to (by fingerprint)
 * @param receivedAt when the post arrived: an alert posted without {@code endsAt} ends a resolve timeout after it
 * @param alerts     the posted alerts, as Prometheus sent them, each with its fingerprint
 */
public record PrometheusAlertsPosted(int partition, Instant receivedAt, List<Alert> alerts) implements EventPayload {

    public PrometheusAlertsPosted {
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(alerts, "alerts");
        if (partition < 0) {
            throw new IllegalArgumentException("partition must not be negative");
        }
    }

    /**
     * One posted alert (Alertmanager's {@code postableAlert}) with the annotations an alert keeps.
     *
     * @param fingerprint the alert's identity, computed from its labels by the receiving replica
     * @param labels      as posted; never empty
     * @param endsAt      null: firing until a resolve timeout after {@code receivedAt}
     */
    public record Alert(String fingerprint, Map<String, String> labels, String summary, String description,
                        Instant startsAt, Instant endsAt, String generatorURL) {
        public Alert {
            Objects.requireNonNull(fingerprint, "fingerprint");
            if (labels == null || labels.isEmpty()) {
                throw new IllegalArgumentException("an alert without labels");
            }
        }
    }

    @Override
    public String subject() {
        return "alert-intake/" + partition;
    }
}
