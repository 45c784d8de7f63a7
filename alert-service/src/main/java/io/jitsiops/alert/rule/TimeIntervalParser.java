package io.jitsiops.alert.rule;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads the rules file's {@code time_intervals} in Alertmanager's format and with its checks (the
 * {@code UnmarshalYAML} methods of prometheus/alertmanager {@code timeinterval/timeinterval.go}): {@code HH:MM}
 * times with an exclusive end up to {@code 24:00}, weekday and month names (months also by number), ranges written
 * {@code begin:end}, negative days of the month, an IANA {@code location}. Each error names the interval, the entry
 * and the key. Stricter than Alertmanager in one place: a month number outside 1…12 is refused instead of matching
 * nothing.
 */
final class TimeIntervalParser {
    private static final Set<String> NAMED_KEYS = Set.of("name", "time_intervals");
    private static final Set<String> INTERVAL_KEYS = Set.of("times", "weekdays", "days_of_month", "months", "years", "location");
    private static final Pattern TIME = Pattern.compile("(([01][0-9]|2[0-3]):[0-5][0-9])|24:00");
    private static final List<String> WEEKDAYS = List.of("sunday", "monday", "tuesday", "wednesday", "thursday", "friday",
            "saturday");
    private static final List<String> MONTHS = List.of("january", "february", "march", "april", "may", "june", "july",
            "august", "september", "october", "november", "december");

    private TimeIntervalParser() {
    }

    /** The named time intervals, in file order; an empty map when the key is absent. */
    static Map<String, List<TimeInterval>> parse(JsonNode node) {
        Map<String, List<TimeInterval>> named = new LinkedHashMap<>();
        if (node.isMissingNode() || node.isNull()) {
            return named;
        }
        if (!node.isArray()) {
            throw new InvalidRulesException("key 'time_intervals': a list of {name, time_intervals} is required");
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode n = node.get(i);
            String where = "time_intervals[" + i + "]";
            if (!n.isObject()) {
                throw new InvalidRulesException(where + ": a mapping with 'name' and 'time_intervals' is required");
            }
            String name = n.path("name").asText("");
            if (name.isBlank()) {
                throw new InvalidRulesException(where + ": key 'name': required");
            }
            String ctx = "time interval '" + name + "' (" + where + ")";
            RuleFileParser.unknownKeys(n, NAMED_KEYS, ctx);
            JsonNode list = n.path("time_intervals");
            if (!list.isMissingNode() && !list.isNull() && !list.isArray()) {
                throw new InvalidRulesException(ctx + ": key 'time_intervals': a list of intervals is required");
            }
            List<TimeInterval> intervals = new ArrayList<>();
            for (int j = 0; j < list.size(); j++) {
                intervals.add(interval(list.get(j), ctx + ": time_intervals[" + j + "]"));
            }
            if (named.put(name, List.copyOf(intervals)) != null) {
                throw new InvalidRulesException(ctx + ": key 'name': the name is used twice");
            }
        }
        return named;
    }

    private static TimeInterval interval(JsonNode n, String ctx) {
        if (!n.isObject()) {
            throw new InvalidRulesException(ctx + ": an interval must be a mapping (times, weekdays, days_of_month, "
                    + "months, years, location)");
        }
        RuleFileParser.unknownKeys(n, INTERVAL_KEYS, ctx);
        List<TimeInterval.Range> times = new ArrayList<>();
        for (JsonNode t : list(n, "times", ctx)) {
            String key = ctx + ": key 'times'";
            if (!t.isObject()) {
                throw new InvalidRulesException(key + ": each entry is {start_time: 'HH:MM', end_time: 'HH:MM'}");
            }
            RuleFileParser.unknownKeys(t, Set.of("start_time", "end_time"), key);
            String start = t.path("start_time").asText("");
            String end = t.path("end_time").asText("");
            if (start.isEmpty() || end.isEmpty()) {
                throw new InvalidRulesException(key + ": both start_time and end_time must be provided");
            }
            int s = minutes(start, key);
            int e = minutes(end, key);
            if (s >= e) {
                throw new InvalidRulesException(key + ": start_time " + start + " is not before end_time " + end);
            }
            times.add(new TimeInterval.Range(s, e));
        }
        List<TimeInterval.Range> weekdays = ranges(n, "weekdays", ctx, (v, k) -> named(v, WEEKDAYS, 0, false, "weekday", k), 0, 6);
        List<TimeInterval.Range> months = ranges(n, "months", ctx, (v, k) -> named(v, MONTHS, 1, true, "month", k), 1, 12);
        List<TimeInterval.Range> years = ranges(n, "years", ctx, TimeIntervalParser::number, Integer.MIN_VALUE, Integer.MAX_VALUE);
        List<TimeInterval.Range> days = new ArrayList<>();
        for (JsonNode d : list(n, "days_of_month", ctx)) {
            String key = ctx + ": key 'days_of_month'";
            TimeInterval.Range r = range(d.asText(), key, TimeIntervalParser::number);
            for (int v : new int[] {r.begin(), r.end()}) {
                if (v == 0 || v < -31 || v > 31) {
                    throw new InvalidRulesException(key + ": " + v + " is not a valid day of the month (1…31, or -1…-31 from its end)");
                }
            }
            if (r.begin() < 0 && r.end() > 0) {
                throw new InvalidRulesException(key + ": '" + d.asText() + "': the end day must be negative if the start day is");
            }
            // negative days cannot be checked against every month length; 28 days catches the ranges never valid
            int checkBegin = r.begin() < 0 ? 28 + r.begin() : r.begin();
            int checkEnd = r.end() < 0 ? 28 + r.end() : r.end();
            if (checkBegin > checkEnd) {
                throw new InvalidRulesException(key + ": '" + d.asText() + "': the end day is always before the start day");
            }
            days.add(r);
        }
        ZoneId location = ZoneOffset.UTC;
        String zone = n.path("location").asText("");
        if (zone.equals("Local")) {
            location = ZoneId.systemDefault(); // Go's time.LoadLocation("Local")
        } else if (!zone.isEmpty() && !zone.equals("UTC")) {
            try {
                location = ZoneId.of(zone);
            } catch (DateTimeException e) {
                throw new InvalidRulesException(ctx + ": key 'location': '" + zone + "' is not a time zone such as "
                        + "Europe/Berlin, America/New_York, UTC or Local");
            }
        }
        return new TimeInterval(List.copyOf(times), weekdays, List.copyOf(days), months, years, location);
    }

    private interface Member {
        int parse(String value, String ctx);
    }

    private static List<TimeInterval.Range> ranges(JsonNode n, String field, String ctx, Member member, int min, int max) {
        String key = ctx + ": key '" + field + "'";
        List<TimeInterval.Range> ranges = new ArrayList<>();
        for (JsonNode v : list(n, field, ctx)) {
            TimeInterval.Range r = range(v.asText(), key, member);
            if (r.begin() > r.end()) {
                throw new InvalidRulesException(key + ": '" + v.asText() + "': the end is before the start");
            }
            if (r.begin() < min || r.end() > max) {
                throw new InvalidRulesException(key + ": '" + v.asText() + "' is out of range (" + min + "…" + max + ")");
            }
            ranges.add(r);
        }
        return List.copyOf(ranges);
    }

    /** {@code value} or {@code begin:end}, case-insensitive, as Alertmanager's {@code stringableRangeFromString}. */
    private static TimeInterval.Range range(String text, String key, Member member) {
        String t = text.toLowerCase(Locale.ROOT).trim();
        int colon = t.indexOf(':', t.startsWith("-") ? 1 : 0);
        if (colon < 0) {
            int v = member.parse(t, key);
            return new TimeInterval.Range(v, v);
        }
        String[] parts = t.split(":", -1);
        if (parts.length != 2) {
            throw new InvalidRulesException(key + ": '" + text + "' is not a value or a range such as monday:friday");
        }
        return new TimeInterval.Range(member.parse(parts[0], key), member.parse(parts[1], key));
    }

    private static int named(String value, List<String> names, int first, boolean numbers, String what, String key) {
        int i = names.indexOf(value);
        if (i >= 0) {
            return first + i;
        }
        if (numbers) {
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                // falls through to the error naming the value
            }
        }
        throw new InvalidRulesException(key + ": '" + value + "' is not a valid " + what);
    }

    private static int number(String value, String key) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new InvalidRulesException(key + ": '" + value + "' is not a number");
        }
    }

    private static int minutes(String text, String key) {
        if (!TIME.matcher(text).matches()) {
            throw new InvalidRulesException(key + ": '" + text + "' is not a time of day HH:MM (00:00 to 24:00)");
        }
        return Integer.parseInt(text.substring(0, 2)) * 60 + Integer.parseInt(text.substring(3));
    }

    private static List<JsonNode> list(JsonNode n, String field, String ctx) {
        JsonNode v = n.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new InvalidRulesException(ctx + ": key '" + field + "': a list is required, e.g. ['monday:friday']");
        }
        List<JsonNode> out = new ArrayList<>();
        v.forEach(out::add);
        return out;
    }
}
