package io.jitsiops.events;

import java.util.List;

/** Kafka topic names. One topic per producing service, plus the shared dead-letter topic. */
public final class Topics {
    public static final String HEALTH = "jitsi-ops.health";
    public static final String METRICS = "jitsi-ops.metrics";
    public static final String LOGS = "jitsi-ops.logs";
    public static final String BACKUPS = "jitsi-ops.backups";
    public static final String ALERTS = "jitsi-ops.alerts";
    /** Records that a consumer could not read: original bytes, the reason in headers. */
    public static final String DEAD_LETTER = "jitsi-ops.dlq";

    public static final List<String> EVENT_TOPICS = List.of(HEALTH, METRICS, LOGS, BACKUPS, ALERTS);

    private Topics() {
    }
}
