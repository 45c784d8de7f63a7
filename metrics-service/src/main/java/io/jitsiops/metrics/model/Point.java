package io.jitsiops.metrics.model;

import java.time.Instant;

/** One value of one series at one time. {@code kind} says how it was derived. */
public record Point(SeriesKey key, double value, Instant at, Kind kind) {

    public enum Kind {
        /** a gauge as scraped */
        GAUGE,
        /** a counter's cumulative value as scraped */
        COUNTER,
        /** per-second rate of a counter between two scrapes */
        RATE,
        /** a histogram's cumulative bucket, sum or count */
        HISTOGRAM
    }
}
