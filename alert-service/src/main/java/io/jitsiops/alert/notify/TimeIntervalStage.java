package io.jitsiops.alert.notify;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.jitsiops.alert.rule.Route;
import io.jitsiops.alert.rule.TimeInterval;

/**
 * Alertmanager's {@code TimeActiveStage} and {@code TimeMuteStage} (notify/notify.go), in that order: a route with
 * {@code active_time_intervals} notifies only inside one of them, a route with {@code mute_time_intervals} not while
 * inside one of them. It says why a route holds its notifications back now, or null when it may notify.
 */
public final class TimeIntervalStage {

    /** Why a route holds back; the label value of the held-back counter (Alertmanager's suppression reasons). */
    public enum Reason {
        ACTIVE_TIME_INTERVAL("active_time_interval"),
        MUTE_TIME_INTERVAL("mute_time_interval");

        public final String label;

        Reason(String label) {
            this.label = label;
        }
    }

    private TimeIntervalStage() {
    }

    /**
     * A group keeps the route it was made on until it empties, while {@code intervals} are the rules file's now: an
     * active interval a reload removed is ignored rather than read as "outside every active interval".
     */
    public static Reason holdsBack(Route route, Map<String, List<TimeInterval>> intervals, Instant now) {
        List<String> active = route.activeTimeIntervals();
        if (!active.isEmpty() && active.stream().anyMatch(intervals::containsKey) && !inAny(active, intervals, now)) {
            return Reason.ACTIVE_TIME_INTERVAL;
        }
        if (!route.muteTimeIntervals().isEmpty() && inAny(route.muteTimeIntervals(), intervals, now)) {
            return Reason.MUTE_TIME_INTERVAL;
        }
        return null;
    }

    /** Whether {@code now} is inside any interval of any of these named time intervals. */
    public static boolean inAny(List<String> names, Map<String, List<TimeInterval>> intervals, Instant now) {
        for (String name : names) {
            for (TimeInterval interval : intervals.getOrDefault(name, List.of())) {
                if (interval.contains(now)) {
                    return true;
                }
            }
        }
        return false;
    }
}
