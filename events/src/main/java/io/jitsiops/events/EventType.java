package io.jitsiops.events;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.jitsiops.events.payload.AlertStateChanged;
import io.jitsiops.events.payload.BackupLifecycle;
import io.jitsiops.events.payload.ComponentMetricSample;
import io.jitsiops.events.payload.ConferenceQualitySample;
import io.jitsiops.events.payload.HealthCheckResult;
import io.jitsiops.events.payload.HealthStatusChanged;
import io.jitsiops.events.payload.LogErrorEntry;
import io.jitsiops.events.payload.LogWindowAggregate;
import io.jitsiops.events.payload.PrometheusAlertsPosted;

/**
 * Every event type of the contract. The CloudEvents {@code type} carries the payload's schema version as
 * its last segment: a consumer that meets a version it does not know dead-letters the record instead of
 * guessing. Adding optional fields to a payload keeps its version; removing or retyping one makes a new one.
 */
public enum EventType {
    HEALTH_CHECK_RESULT("io.jitsiops.health.check-result.v1", Topics.HEALTH, HealthCheckResult.class),
    HEALTH_STATUS_CHANGED("io.jitsiops.health.status-changed.v1", Topics.HEALTH, HealthStatusChanged.class),
    COMPONENT_METRIC_SAMPLE("io.jitsiops.metrics.component-sample.v1", Topics.METRICS, ComponentMetricSample.class),
    CONFERENCE_QUALITY_SAMPLE("io.jitsiops.metrics.conference-quality.v1", Topics.METRICS,
            ConferenceQualitySample.class),
    LOG_ERROR_ENTRY("io.jitsiops.logs.error-entry.v1", Topics.LOGS, LogErrorEntry.class),
    LOG_WINDOW_AGGREGATE("io.jitsiops.logs.window-aggregate.v1", Topics.LOGS, LogWindowAggregate.class),
    BACKUP_LIFECYCLE("io.jitsiops.backups.lifecycle.v1", Topics.BACKUPS, BackupLifecycle.class),
    ALERT_STATE_CHANGED("io.jitsiops.alerts.state-changed.v1", Topics.ALERTS, AlertStateChanged.class),
    PROMETHEUS_ALERTS_POSTED("io.jitsiops.alerts.prometheus-posted.v1", Topics.ALERT_INTAKE, PrometheusAlertsPosted.class);

    private static final Map<String, EventType> BY_TYPE = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(EventType::type, Function.identity()));
    private static final Map<Class<?>, EventType> BY_PAYLOAD = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(EventType::payloadClass, Function.identity()));

    private final String type;
    private final String topic;
    private final Class<? extends EventPayload> payloadClass;

    EventType(String type, String topic, Class<? extends EventPayload> payloadClass) {
        this.type = type;
        this.topic = topic;
        this.payloadClass = payloadClass;
    }

    public String type() {
        return type;
    }

    /** The topic events of this type are published to. */
    public String topic() {
        return topic;
    }

    public Class<? extends EventPayload> payloadClass() {
        return payloadClass;
    }

    public static Optional<EventType> fromType(String type) {
        return Optional.ofNullable(BY_TYPE.get(type));
    }

    public static EventType of(EventPayload payload) {
        return BY_PAYLOAD.get(payload.getClass());
    }
}
