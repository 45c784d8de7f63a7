package io.jitsiops.alert.rule;

import java.util.Arrays;
import java.util.Optional;

import io.jitsiops.events.EventType;

/** The kind of event a rule reads; each names its YAML spelling and the event type it comes from. */
public enum RuleInput {
    HEALTH_RESULT("health_result", EventType.HEALTH_CHECK_RESULT),
    HEALTH_STATUS("health_status", EventType.HEALTH_STATUS_CHANGED),
    COMPONENT_METRIC("component_metric", EventType.COMPONENT_METRIC_SAMPLE),
    CONFERENCE_QUALITY("conference_quality", EventType.CONFERENCE_QUALITY_SAMPLE),
    LOG_ENTRY("log_entry", EventType.LOG_ERROR_ENTRY),
    LOG_WINDOW("log_window", EventType.LOG_WINDOW_AGGREGATE),
    BACKUP("backup", EventType.BACKUP_LIFECYCLE),
    /** Alerts posted by a Prometheus server through the Alertmanager v2 API; they carry their own state. */
    PROMETHEUS("prometheus", null);

    private final String yamlName;
    private final EventType eventType;

    RuleInput(String yamlName, EventType eventType) {
        this.yamlName = yamlName;
        this.eventType = eventType;
    }

    public String yamlName() {
        return yamlName;
    }

    /** The topic this input's events arrive on (none for alerts posted by Prometheus). */
    public Optional<String> topic() {
        return Optional.ofNullable(eventType).map(EventType::topic);
    }

    public static Optional<RuleInput> ofYaml(String name) {
        return Arrays.stream(values()).filter(i -> i.yamlName.equals(name)).findFirst();
    }

    public static Optional<RuleInput> of(EventType type) {
        return Arrays.stream(values()).filter(i -> i.eventType == type).findFirst();
    }
}
