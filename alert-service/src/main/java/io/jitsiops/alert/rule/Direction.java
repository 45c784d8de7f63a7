package io.jitsiops.alert.rule;

/**
 * Which side of the threshold is bad. Loss, jitter, CPU and error rates alert ABOVE; bitrate, fps and days to
 * certificate expiry alert BELOW (the design notes' {@code >=} for every rule was wrong for those). EQUAL is for
 * values that are codes rather than levels: the synthetic conference's {@code failed_step} (1 = dns-tls …) makes
 * one rule per step, each with its own runbook; any other value clears it.
 */
public enum Direction {
    ABOVE, BELOW, EQUAL;

    /** Whether {@code value} is on the bad side of {@code threshold} (the threshold itself is bad). */
    public boolean breaches(double value, double threshold) {
        return switch (this) {
            case ABOVE -> value >= threshold;
            case BELOW -> value <= threshold;
            case EQUAL -> value == threshold;
        };
    }

    /**
     * Whether {@code value} is back on the good side of the clear level (hysteresis: an alert above 90 with clear
     * level 80 stays active at 85 and clears below 80; without a clear level it is the threshold).
     */
    public boolean clears(double value, double clear) {
        return switch (this) {
            case ABOVE -> value < clear;
            case BELOW -> value > clear;
            case EQUAL -> value != clear;
        };
    }
}
