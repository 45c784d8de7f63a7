package io.jitsiops.metrics.model;

/**
 * One stored series: the component and target it was scraped from, the metric name (the JVB's/jicofo's own, e.g.
 * {@code jitsi_jvb_stress}) and its labels in exposition form ({@code {le="5.0"}}, empty when none).
 */
public record SeriesKey(String component, String target, String name, String labels) {
    public SeriesKey {
        labels = labels == null ? "" : labels;
    }

    /** name plus labels, as a Prometheus selector would show it. */
    public String display() {
        return name + labels;
    }
}
