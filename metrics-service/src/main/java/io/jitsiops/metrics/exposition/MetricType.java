package io.jitsiops.metrics.exposition;

import java.util.Locale;

/**
 * The metric types of the Prometheus text format 0.0.4 ({@code untyped} … {@code summary}) and of OpenMetrics 1.0
 * (which adds {@code gaugehistogram}, {@code info}, {@code stateset} and calls untyped {@code unknown}).
 */
public enum MetricType {
    COUNTER, GAUGE, HISTOGRAM, GAUGEHISTOGRAM, SUMMARY, INFO, STATESET, UNTYPED;

    static MetricType parse(String word, boolean openMetrics) {
        return switch (word) {
            case "counter" -> COUNTER;
            case "gauge" -> GAUGE;
            case "histogram" -> HISTOGRAM;
            case "summary" -> SUMMARY;
            case "untyped" -> openMetrics ? null : UNTYPED;
            case "unknown" -> openMetrics ? UNTYPED : null;
            case "gaugehistogram" -> openMetrics ? GAUGEHISTOGRAM : null;
            case "info" -> openMetrics ? INFO : null;
            case "stateset" -> openMetrics ? STATESET : null;
            default -> null;
        };
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
