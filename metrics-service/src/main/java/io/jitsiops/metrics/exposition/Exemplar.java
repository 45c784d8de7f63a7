package io.jitsiops.metrics.exposition;

/**
 * An OpenMetrics exemplar ({@code # {trace_id="…"} 0.67 1.6e9}) attached to a counter or bucket sample.
 *
 * @param timestampSeconds NaN when absent
 */
public record Exemplar(Labels labels, double value, double timestampSeconds) {
}
