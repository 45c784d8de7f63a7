package io.jitsiops.sim.service;

/**
 * What a bridge reports as an endpoint's {@code incoming_loss_stats} / {@code outgoing_loss_stats}: the packets lost
 * and received over the last 60 seconds, not since the endpoint joined. JVB's {@code LossTracker}
 * (jitsi-media-transform {@code org.jitsi.nlj.rtp.LossTracker}, jitsi-videobridge a29d97d) counts both in a jitsi-utils
 * {@code RateTracker(60.secs, 1.secs)} and snapshots {@code getAccumulatedCount()}, which first erases the buckets
 * older than the window: sixty one-second buckets, as here.
 * <p>
 * The simulator advances an endpoint's traffic in steps (every stats interval, or when its quality changes), so what
 * a step carries is spread evenly over the seconds it covers; only the last 60 of them are kept.
 */
public final class LossWindow {
    static final int SECONDS = 60;
    private final long[] lost = new long[SECONDS];
    private final long[] received = new long[SECONDS];
    /** The second (of the clock the caller uses) the newest bucket stands for. */
    private long newest = Long.MIN_VALUE;

    /** Packets lost and received over the window, as of one instant. */
    public record Snapshot(long packetsLost, long packetsReceived) {
    }

    /** Counts what arrived from {@code fromMillis} until (not including) {@code toMillis}, spread evenly over those seconds. */
    void add(long lostCount, long receivedCount, long fromMillis, long toMillis) {
        long first = Math.floorDiv(fromMillis, 1000);
        long last = toMillis > fromMillis ? Math.floorDiv(toMillis - 1, 1000) : first;
        roll(last);
        long seconds = last - first + 1;
        long kept = Math.min(seconds, SECONDS);
        for (long s = last - kept + 1; s <= last; s++) {
            int i = index(s);
            lost[i] += share(lostCount, s - first, seconds);
            received[i] += share(receivedCount, s - first, seconds);
        }
    }

    /** The window's counts at {@code nowMillis} (buckets older than 60 s erased first, as RateTracker does). */
    Snapshot at(long nowMillis) {
        roll(Math.floorDiv(nowMillis, 1000));
        long l = 0;
        long r = 0;
        for (int i = 0; i < SECONDS; i++) {
            l += lost[i];
            r += received[i];
        }
        return new Snapshot(l, r);
    }

    /** The k-th of {@code seconds} even shares of {@code count}, whole packets that add up to exactly count. */
    private static long share(long count, long k, long seconds) {
        return count * (k + 1) / seconds - count * k / seconds;
    }

    /** Moves the window so that its newest bucket is {@code second}, emptying the buckets it passes. */
    private void roll(long second) {
        if (newest == Long.MIN_VALUE) {
            newest = second;
            return;
        }
        if (second <= newest) {
            return;
        }
        long steps = Math.min(second - newest, SECONDS);
        for (long s = second - steps + 1; s <= second; s++) {
            lost[index(s)] = 0;
            received[index(s)] = 0;
        }
        newest = second;
    }

    private static int index(long second) {
        return (int) Math.floorMod(second, (long) SECONDS);
    }
}
