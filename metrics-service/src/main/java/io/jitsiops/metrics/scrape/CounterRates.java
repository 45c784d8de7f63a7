package io.jitsiops.metrics.scrape;

import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.jitsiops.metrics.model.SeriesKey;

/**
 * Turns counters into per-second rates: the difference to the previous scrape of the same series over the time
 * between them. A counter that went down was reset (a restarted bridge): no rate for that step, the next one
 * starts from the new value.
 */
@ApplicationScoped
public class CounterRates {
    private final ConcurrentHashMap<SeriesKey, double[]> last = new ConcurrentHashMap<>();

    /** The rate since the previous value, or NaN on the first value, after a reset or for a zero interval. */
    public double rate(SeriesKey key, double value, Instant at) {
        double now = at.toEpochMilli();
        double[] previous = last.put(key, new double[] { value, now });
        if (previous == null || value < previous[0] || now <= previous[1] || Double.isNaN(value)) {
            return Double.NaN;
        }
        return (value - previous[0]) * 1000.0 / (now - previous[1]);
    }

    /**
     * Forgets the series of one target (its lease went to another replica): should it come back, its first rate is
     * taken from its next two scrapes, not from a value left here long before.
     */
    public void forget(String component, String target) {
        last.keySet().removeIf(k -> k.component().equals(component) && k.target().equals(target));
    }
}
