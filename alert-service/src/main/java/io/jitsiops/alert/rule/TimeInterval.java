package io.jitsiops.alert.rule;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * One of Alertmanager's time intervals ({@code timeinterval.TimeInterval} of prometheus/alertmanager, the entries of a
 * {@code time_intervals[].time_intervals} list), which routes name in {@code mute_time_intervals} and
 * {@code active_time_intervals}. An instant is inside when every field that is set contains it (an unset field
 * contains everything) and, within a field, any of its ranges does; it is read in {@code location} (UTC unless
 * set). Same semantics as Alertmanager's {@code ContainsTime}, so a file written for Alertmanager means the same here.
 *
 * @param times       minutes of the day, start inclusive, end exclusive (00:00 = 0, 24:00 = 1440)
 * @param weekdays    0 = Sunday … 6 = Saturday, inclusive
 * @param daysOfMonth 1…31, or -1 (the last day) … -31 counted from the end of the month, inclusive
 * @param months      1 = January … 12, inclusive
 * @param years       inclusive
 */
public record TimeInterval(List<Range> times, List<Range> weekdays, List<Range> daysOfMonth, List<Range> months,
                           List<Range> years, ZoneId location) {

    /** An inclusive range of a field, except for {@code times}, whose end is exclusive (as Alertmanager's). */
    public record Range(int begin, int end) {
    }

    public boolean contains(Instant instant) {
        ZonedDateTime t = instant.atZone(location);
        if (!times.isEmpty()) {
            int minute = t.getHour() * 60 + t.getMinute();
            if (times.stream().noneMatch(r -> minute >= r.begin() && minute < r.end())) {
                return false;
            }
        }
        if (!daysOfMonth.isEmpty() && daysOfMonth.stream().noneMatch(r -> dayOfMonthIn(r, t))) {
            return false;
        }
        if (!within(months, t.getMonthValue())) {
            return false;
        }
        if (!within(weekdays, t.getDayOfWeek().getValue() % 7)) { // java.time: Monday 1 … Sunday 7; here Sunday is 0
            return false;
        }
        return within(years, t.getYear());
    }

    private static boolean within(List<Range> ranges, int value) {
        return ranges.isEmpty() || ranges.stream().anyMatch(r -> value >= r.begin() && value <= r.end());
    }

    /**
     * Negative days count from the end of the month (-1 the last day); a range beginning after the month's last day
     * (30 in February) contains nothing that month, and an end beyond it stops at the last day, as in Alertmanager.
     */
    private static boolean dayOfMonthIn(Range r, ZonedDateTime t) {
        int days = t.toLocalDate().lengthOfMonth();
        int begin = r.begin() < 0 ? days + r.begin() + 1 : r.begin();
        int end = r.end() < 0 ? days + r.end() + 1 : r.end();
        if (begin > days) {
            return false;
        }
        begin = Math.max(-days, Math.min(begin, days));
        end = Math.max(-days, Math.min(end, days));
        return t.getDayOfMonth() >= begin && t.getDayOfMonth() <= end;
    }
}
