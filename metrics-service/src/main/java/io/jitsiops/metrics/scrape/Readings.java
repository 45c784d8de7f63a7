package io.jitsiops.metrics.scrape;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.jitsiops.metrics.exposition.Labels;
import io.jitsiops.metrics.exposition.MetricFamily;
import io.jitsiops.metrics.exposition.MetricType;
import io.jitsiops.metrics.exposition.Sample;
import io.jitsiops.metrics.model.Point;
import io.jitsiops.metrics.model.SeriesKey;

/**
 * What one scrape of one target yielded: the points to store and publish, and the families as scraped (for the
 * re-export on /q/metrics, which keeps their types, help texts and histogram buckets).
 */
public record Readings(String component, String target, Instant at, List<Point> points, List<MetricFamily> families) {

    /** Rate series of a counter: {@code x_total} becomes {@code x_per_second}. */
    public static String rateName(String counterName) {
        String base = counterName.endsWith("_total") ? counterName.substring(0, counterName.length() - 6) : counterName;
        return base + "_per_second";
    }

    /**
     * Points from exposition families: gauges and untyped as they are, counters as their value and their rate,
     * histograms and summaries with every bucket/quantile, sum and count. OpenMetrics {@code _created} samples are
     * start times, not figures: skipped.
     */
    public static Readings fromExposition(String component, String target, Instant at, List<MetricFamily> families,
                                          CounterRates rates) {
        List<Point> points = new ArrayList<>();
        for (MetricFamily f : families) {
            for (Sample s : f.samples()) {
                if (s.name().endsWith("_created") && f.type() != MetricType.GAUGE && f.type() != MetricType.UNTYPED) {
                    continue;
                }
                SeriesKey key = new SeriesKey(component, target, s.name(), labelText(s.labels()));
                switch (f.type()) {
                    case COUNTER -> {
                        points.add(new Point(key, s.value(), at, Point.Kind.COUNTER));
                        double rate = rates.rate(key, s.value(), at);
                        if (!Double.isNaN(rate)) {
                            points.add(new Point(new SeriesKey(component, target, rateName(s.name()), key.labels()), rate, at,
                                    Point.Kind.RATE));
                        }
                    }
                    case HISTOGRAM, GAUGEHISTOGRAM, SUMMARY -> points.add(new Point(key, s.value(), at, Point.Kind.HISTOGRAM));
                    default -> points.add(new Point(key, s.value(), at, Point.Kind.GAUGE));
                }
            }
        }
        return new Readings(component, target, at, points, families);
    }

    public static String labelText(Labels labels) {
        return labels.size() == 0 ? "" : labels.toString();
    }

    /** The value of a label-less series, or NaN. */
    public double value(String name) {
        for (Point p : points) {
            if (p.key().name().equals(name) && p.key().labels().isEmpty()) {
                return p.value();
            }
        }
        return Double.NaN;
    }

    public boolean has(String name) {
        for (Point p : points) {
            if (p.key().name().equals(name)) {
                return true;
            }
        }
        return false;
    }
}
