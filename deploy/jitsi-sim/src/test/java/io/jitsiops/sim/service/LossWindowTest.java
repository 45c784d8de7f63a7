package io.jitsiops.sim.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * The endpoint loss counts a bridge reports are LossTracker's: the last 60 s (RateTracker(60.secs, 1.secs)), so a
 * change of loss shows fully after a minute whatever the endpoint's age — what the packet-loss alert's timing rests on.
 */
class LossWindowTest {
    private static final long T0 = 1_000_000L;

    /** A conference sending 200 packets/s, advanced every 5 s as the simulator's stats interval does. */
    private static long feed(LossWindow w, long fromMillis, int seconds, double loss) {
        long t = fromMillis;
        for (int i = 0; i < seconds; i += 5) {
            long lost = Math.round(200 * 5 * loss);
            w.add(lost, 200 * 5 - lost, t, t + 5000);
            t += 5000;
        }
        return t;
    }

    private static double percent(LossWindow.Snapshot s) {
        return 100.0 * s.packetsLost() / (s.packetsLost() + s.packetsReceived());
    }

    @Test
    void reportsTheLossOfTheLastMinuteNotOfTheEndpointsWholeLife() {
        LossWindow w = new LossWindow();
        long t = feed(w, T0, 600, 0.002); // ten quiet minutes
        t = feed(w, t, 40, 0.15);
        // 40 s at 15 % and 20 s at 0.2 % in the window: about 10 %; over the whole life it would be 1.1 %
        assertThat(percent(w.at(t - 1))).isCloseTo(10.07, within(0.2));
        t = feed(w, t, 20, 0.15);
        assertThat(percent(w.at(t - 1))).isCloseTo(15.0, within(0.1));
        assertThat(w.at(t - 1).packetsLost() + w.at(t - 1).packetsReceived()).isEqualTo(200 * 60);
    }

    @Test
    void forgetsALossEpisodeAMinuteAfterItEnded() {
        LossWindow w = new LossWindow();
        long t = feed(w, T0, 120, 0.15);
        t = feed(w, t, 30, 0.002);
        assertThat(percent(w.at(t - 1))).isCloseTo(7.6, within(0.2));
        t = feed(w, t, 30, 0.002);
        assertThat(percent(w.at(t - 1))).isCloseTo(0.2, within(0.05));
    }

    @Test
    void erasesWhatIsOlderThanAMinuteWhenReadWithoutNewTraffic() {
        LossWindow w = new LossWindow();
        long t = feed(w, T0, 30, 0.15);
        assertThat(w.at(t + 29_000).packetsLost()).isEqualTo(Math.round(200 * 5 * 0.15) * 6);
        assertThat(w.at(t + 61_000)).isEqualTo(new LossWindow.Snapshot(0, 0));
    }

    @Test
    void aLongStepKeepsOnlyItsLastMinute() {
        LossWindow w = new LossWindow();
        w.add(300, 29_700, T0, T0 + 150_000); // one step over 150 s: 2 lost and 198 received per second
        LossWindow.Snapshot s = w.at(T0 + 150_000 - 1);
        assertThat(s.packetsLost()).isEqualTo(2 * 60);
        assertThat(s.packetsReceived()).isEqualTo(198 * 60);
    }
}
