package io.jitsiops.events;

import java.util.List;

/** Kafka topic names. One topic per producing service, plus the shared dead-letter topic. */
public final class Topics {
    public static final String HEALTH = "jitsi-ops.health";
    public static final String METRICS = "jitsi-ops.metrics";
    public static final String LOGS = "jitsi-ops.logs";
    public static final String BACKUPS = "jitsi-ops.backups";
    public static final String ALERTS = "jitsi-ops.alerts";
    /**
     * Alerts that a Prometheus server posted to one alert-service replica, routed to the replica that owns them: the
     * partition is chosen from each alert's fingerprint, so the consumer group's partition ownership covers posted
     * alerts as it covers alerts computed from events. Only alert-service writes and reads it.
     */
    public static final String ALERT_INTAKE = "jitsi-ops.alert-intake";
    /** Records that a consumer could not read: original bytes, the reason in headers. */
    public static final String DEAD_LETTER = "jitsi-ops.dlq";

    public static final List<String> EVENT_TOPICS = List.of(HEALTH, METRICS, LOGS, BACKUPS, ALERTS, ALERT_INTAKE);

    private Topics() {
    }
}
