package io.jitsiops.events.payload;

public enum AlertSeverity {
    WARNING, CRITICAL
}
