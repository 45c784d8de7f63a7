package io.jitsiops.alert.notify;

import java.util.List;

/**
 * What the pipeline knows of a firing alert now, in the shape of Alertmanager's {@code types.AlertStatus}: the ids
 * of the active silences that match it and the fingerprint of the firing alert that inhibits it. An alert is
 * {@code suppressed} when either list is non-empty, {@code active} otherwise.
 */
public record AlertStatus(List<String> silencedBy, List<String> inhibitedBy) {
    public static final AlertStatus ACTIVE = new AlertStatus(List.of(), List.of());

    public boolean silenced() {
        return !silencedBy.isEmpty();
    }

    public boolean inhibited() {
        return !inhibitedBy.isEmpty();
    }

    public boolean suppressed() {
        return silenced() || inhibited();
    }

    /** Alertmanager's {@code status.state}: {@code suppressed} or {@code active}. */
    public String state() {
        return suppressed() ? "suppressed" : "active";
    }
}
