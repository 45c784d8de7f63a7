package io.jitsiops.alert.rest;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import io.jitsiops.alert.rule.InhibitRule;
import io.jitsiops.alert.rule.Matcher;
import io.jitsiops.alert.rule.Route;
import io.jitsiops.alert.rule.RuleFile;
import io.jitsiops.alert.rule.TimeInterval;

/**
 * The routing part of the rules file written as an Alertmanager configuration, for {@code GET /api/v2/status}'s
 * {@code config.original}: the routing tree (each node with its effective group_by and intervals), the inhibit
 * rules, the time intervals and the receivers by name only. amtool's {@code config routes} draws and tests the tree
 * from it, and Grafana's Alertmanager data source shows it. A receiver's URL, address or token is never written: a
 * receiver without integrations is valid Alertmanager configuration.
 */
final class AlertmanagerConfigText {
    /** Every string quoted: "09:00" is a string to any YAML reader, never a base-60 number. */
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
    private static final List<String> WEEKDAYS = List.of("sunday", "monday", "tuesday", "wednesday", "thursday", "friday",
            "saturday");

    private AlertmanagerConfigText() {
    }

    static String of(RuleFile file, Collection<String> receivers) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("route", route(file.route()));
        if (!file.inhibitRules().isEmpty()) {
            config.put("inhibit_rules", file.inhibitRules().stream().map(AlertmanagerConfigText::inhibition).toList());
        }
        config.put("receivers", receivers.stream().sorted().map(name -> Map.of("name", name)).toList());
        if (!file.timeIntervals().isEmpty()) {
            List<Object> named = new ArrayList<>();
            file.timeIntervals().forEach((name, intervals) -> named.add(Map.of("name", name,
                    "time_intervals", intervals.stream().map(AlertmanagerConfigText::interval).toList())));
            config.put("time_intervals", named);
        }
        try {
            return YAML.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the routing tree could not be written as YAML", e);
        }
    }

    private static Map<String, Object> route(Route r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("receiver", r.receiver());
        m.put("group_by", r.groupBy());
        if (!r.matchers().isEmpty()) {
            m.put("matchers", matchers(r.matchers()));
        }
        if (r.continueMatching()) {
            m.put("continue", true);
        }
        m.put("group_wait", duration(r.groupWait()));
        m.put("group_interval", duration(r.groupInterval()));
        m.put("repeat_interval", duration(r.repeatInterval()));
        if (!r.muteTimeIntervals().isEmpty()) {
            m.put("mute_time_intervals", r.muteTimeIntervals());
        }
        if (!r.activeTimeIntervals().isEmpty()) {
            m.put("active_time_intervals", r.activeTimeIntervals());
        }
        if (!r.routes().isEmpty()) {
            m.put("routes", r.routes().stream().map(AlertmanagerConfigText::route).toList());
        }
        return m;
    }

    private static Map<String, Object> inhibition(InhibitRule i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source_matchers", matchers(i.source()));
        m.put("target_matchers", matchers(i.target()));
        if (!i.equal().isEmpty()) {
            m.put("equal", i.equal());
        }
        return m;
    }

    /** In Alertmanager's matcher syntax, the value quoted with its quotes and backslashes escaped. */
    private static List<String> matchers(List<Matcher> matchers) {
        return matchers.stream().map(m -> m.name() + m.op().symbol() + "\""
                + m.value().replace("\\", "\\\\").replace("\"", "\\\"") + "\"").toList();
    }

    /** Prometheus's duration text (model.Duration), which Alertmanager reads: 300ms, 30s, 5m, 4h. */
    private static String duration(java.time.Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        for (long[] unit : new long[][] {{3_600_000, 'h'}, {60_000, 'm'}, {1000, 's'}}) {
            if (ms % unit[0] == 0) {
                return ms / unit[0] + String.valueOf((char) unit[1]);
            }
        }
        return ms + "ms";
    }

    private static Map<String, Object> interval(TimeInterval t) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (!t.times().isEmpty()) {
            m.put("times", t.times().stream().map(r -> Map.of("start_time", clock(r.begin()), "end_time", clock(r.end()))).toList());
        }
        if (!t.weekdays().isEmpty()) {
            m.put("weekdays", t.weekdays().stream().map(r -> range(WEEKDAYS.get(r.begin()), WEEKDAYS.get(r.end()))).toList());
        }
        if (!t.daysOfMonth().isEmpty()) {
            m.put("days_of_month", t.daysOfMonth().stream().map(r -> range(r.begin() + "", r.end() + "")).toList());
        }
        if (!t.months().isEmpty()) {
            m.put("months", t.months().stream().map(r -> range(r.begin() + "", r.end() + "")).toList());
        }
        if (!t.years().isEmpty()) {
            m.put("years", t.years().stream().map(r -> range(r.begin() + "", r.end() + "")).toList());
        }
        if (!t.location().equals(ZoneOffset.UTC)) {
            m.put("location", t.location().getId());
        }
        return m;
    }

    private static String range(String begin, String end) {
        return begin.equals(end) ? begin : begin + ":" + end;
    }

    private static String clock(int minutes) {
        return String.format("%02d:%02d", minutes / 60, minutes % 60);
    }
}
