package io.jitsiops.metrics.exposition;

/**
 * One line of exposition: {@code name{labels} value [timestamp] [# exemplar]}.
 *
 * @param timestampMillis the sample's own timestamp in milliseconds since the epoch (OpenMetrics gives seconds,
 *                        converted), or {@link Long#MIN_VALUE} when the line has none
 * @param exemplar        null when absent
 */
public record Sample(String name, Labels labels, double value, long timestampMillis, Exemplar exemplar) {
    public static final long NO_TIMESTAMP = Long.MIN_VALUE;

    public boolean hasTimestamp() {
        return timestampMillis != NO_TIMESTAMP;
    }
}
