package io.jitsiops.log.analysis;

/** How urgent a category is: {@code critical} entries are published to Kafka at once. */
public enum Severity {
    info, warning, critical
}
