package io.jitsiops.events.payload;

/** How bad an alert is; INFO was added later (consumers of older builds never see it from older producers). */
public enum AlertSeverity {
    WARNING, CRITICAL, INFO
}
