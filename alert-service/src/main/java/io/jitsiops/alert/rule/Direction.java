package io.jitsiops.alert.rule;

/**
 * Which side of the threshold is bad. Loss, jitter, CPU and error rates alert ABOVE; bitrate, fps and days to
 * certificate expiry alert BELOW (the design notes' {@code >=} for every rule was wrong for those).
 */
public enum Direction {
    ABOVE, BELOW;

    /** Whether {@code value} is on the bad side of {@code threshold} (the threshold itself is bad). */
    public boolean breaches(double value, double threshold) {
        return this == ABOVE ? value >= threshold : value <= threshold;
    }

    /**
     * Whether {@code value} is back on the good side of the clear level (hysteresis: an alert above 90 with clear
     * level 80 stays active at 85 and clears below 80; without a clear level it is the threshold).
     */
    public boolean clears(double value, double clear) {
        return this == ABOVE ? value < clear : value > clear;
    }
}
