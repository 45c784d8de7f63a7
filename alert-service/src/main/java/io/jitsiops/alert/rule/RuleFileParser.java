package io.jitsiops.alert.rule;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.jitsiops.events.payload.AlertSeverity;

/**
 * Reads and validates a rules file (YAML). Everything is checked before anything is used: an unknown key (a
 * typo would otherwise silently disable a rule), a missing threshold, a clear level on the wrong side, a bad
 * duration, matcher or template, a duplicate name, a route naming an unknown receiver. The error names the rule
 * and the key, e.g. {@code rule 'cpu-high' (rules[2]): key 'clear': 95.0 is above the threshold 90.0 of an 'above' rule}.
 */
public final class RuleFileParser {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d|w)");
    private static final Set<String> RULE_KEYS = Set.of("name", "input", "metric", "direction", "threshold", "clear",
            "for", "resolve_after", "stale_after", "matchers", "labels", "severity", "page", "absent", "summary", "description",
            "dashboard", "avg_over");
    private static final Set<String> ROUTE_KEYS = Set.of("receiver", "group_by", "group_wait", "group_interval",
            "repeat_interval", "matchers", "continue", "routes", "mute_time_intervals", "active_time_intervals");
    private static final Set<String> INHIBIT_KEYS = Set.of("source_matchers", "target_matchers", "equal");
    private static final Set<String> TOP_KEYS = Set.of("rules", "route", "inhibit_rules", "time_intervals");

    private final Set<String> receivers;

    /** @param receivers the configured receiver names a route may name */
    public RuleFileParser(Set<String> receivers) {
        this.receivers = receivers;
    }

    public RuleFile parse(String yaml) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidRulesException("not valid YAML: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InvalidRulesException("not readable: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidRulesException("the rules file must be a mapping with 'rules', 'route' and 'inhibit_rules'");
        }
        unknownKeys(root, TOP_KEYS, "the rules file");
        JsonNode rulesNode = root.path("rules");
        if (!rulesNode.isArray()) {
            throw new InvalidRulesException("key 'rules': a list of rules is required");
        }
        List<Rule> rules = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < rulesNode.size(); i++) {
            Rule rule = rule(rulesNode.get(i), i);
            if (!names.add(rule.name())) {
                throw new InvalidRulesException("rule '" + rule.name() + "' (rules[" + i + "]): key 'name': the name is used twice");
            }
            rules.add(rule);
        }
        Map<String, List<TimeInterval>> timeIntervals = TimeIntervalParser.parse(root.path("time_intervals"));
        if (!root.has("route")) {
            throw new InvalidRulesException("key 'route': the routing tree is required (at least a receiver)");
        }
        Route route = route(root.get("route"), "route", "0", null, timeIntervals.keySet());
        List<InhibitRule> inhibitions = new ArrayList<>();
        JsonNode inhibit = root.path("inhibit_rules");
        for (int i = 0; i < inhibit.size(); i++) {
            inhibitions.add(inhibition(inhibit.get(i), "inhibit_rules[" + i + "]"));
        }
        return new RuleFile(List.copyOf(rules), route, List.copyOf(inhibitions), timeIntervals);
    }

    private Rule rule(JsonNode n, int index) {
        String where = "rules[" + index + "]";
        if (!n.isObject()) {
            throw new InvalidRulesException(where + ": a rule must be a mapping");
        }
        String name = n.path("name").asText("");
        if (name.isBlank()) {
            throw new InvalidRulesException(where + ": key 'name': required");
        }
        String ctx = "rule '" + name + "' (" + where + ")";
        unknownKeys(n, RULE_KEYS, ctx);
        RuleInput input = RuleInput.ofYaml(text(n, "input", ctx, true))
                .orElseThrow(() -> new InvalidRulesException(ctx + ": key 'input': '" + n.path("input").asText()
                        + "' is not one of " + inputNames()));
        Optional<Rule.Absence> absence = Optional.empty();
        if (n.has("absent")) {
            JsonNode a = n.get("absent");
            unknownKeys(a, Set.of("expected_interval", "missed", "by"), ctx + ": key 'absent'");
            Duration interval = duration(a, "expected_interval", ctx + ": key 'absent'", null);
            int missed = a.path("missed").asInt(3);
            if (interval == null || interval.isZero() || missed < 1) {
                throw new InvalidRulesException(ctx + ": key 'absent': 'expected_interval' (a duration) and 'missed' (≥ 1) are required");
            }
            absence = Optional.of(new Rule.Absence(interval, missed, strings(a.path("by"))));
        }
        String metric = text(n, "metric", ctx, absence.isEmpty());
        Direction direction = Direction.ABOVE;
        Double threshold = null;
        Double clear = null;
        if (absence.isEmpty()) {
            String dir = text(n, "direction", ctx, false);
            if (dir != null) {
                try {
                    direction = Direction.valueOf(dir.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new InvalidRulesException(ctx + ": key 'direction': '" + dir + "' is not 'above', 'below' or 'equal'");
                }
            }
            threshold = number(n, "threshold", ctx, true);
            clear = number(n, "clear", ctx, false);
            if (clear != null && direction == Direction.EQUAL) {
                throw new InvalidRulesException(ctx + ": key 'clear': an 'equal' rule clears on any other value; it has no clear level");
            }
            if (clear != null) {
                boolean wrongSide = direction == Direction.ABOVE ? clear > threshold : clear < threshold;
                if (wrongSide) {
                    throw new InvalidRulesException(ctx + ": key 'clear': " + clear + " is "
                            + (direction == Direction.ABOVE ? "above" : "below") + " the threshold " + threshold
                            + " of an '" + direction.name().toLowerCase(Locale.ROOT) + "' rule");
                }
            }
        } else if (n.has("threshold") || n.has("clear") || n.has("direction")) {
            throw new InvalidRulesException(ctx + ": key 'threshold': an absence rule has no threshold, clear level or direction");
        }
        Duration forDuration = duration(n, "for", ctx, Duration.ZERO);
        Optional<Duration> resolveAfter = Optional.ofNullable(duration(n, "resolve_after", ctx, null));
        Optional<Duration> avgOver = Optional.ofNullable(duration(n, "avg_over", ctx, null));
        if (avgOver.isPresent() && (absence.isPresent() || avgOver.get().isZero())) {
            throw new InvalidRulesException(ctx + ": key 'avg_over': a window longer than 0, and only on a threshold rule");
        }
        Optional<Duration> staleAfter = Optional.ofNullable(duration(n, "stale_after", ctx, null));
        if (staleAfter.isPresent() && (absence.isPresent() || staleAfter.get().isZero())) {
            throw new InvalidRulesException(ctx + ": key 'stale_after': a time longer than 0, and only on a threshold rule");
        }
        if (staleAfter.isEmpty() && absence.isEmpty() && input == RuleInput.CONFERENCE_QUALITY) {
            staleAfter = Optional.of(Rule.CONFERENCE_STALE_AFTER);
        }
        String sev = text(n, "severity", ctx, true);
        AlertSeverity severity;
        try {
            severity = AlertSeverity.valueOf(sev.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRulesException(ctx + ": key 'severity': '" + sev + "' is not info, warning or critical");
        }
        JsonNode page = n.path("page");
        if (!page.isMissingNode() && !page.isBoolean()) {
            throw new InvalidRulesException(ctx + ": key 'page': true or false");
        }
        List<io.jitsiops.alert.rule.Matcher> matchers = matchers(n.path("matchers"), ctx + ": key 'matchers'");
        Map<String, String> labels = stringMap(n.path("labels"), ctx + ": key 'labels'");
        AlertTemplate summary = template(n, "summary", ctx, true);
        AlertTemplate description = template(n, "description", ctx, true);
        Optional<AlertTemplate> dashboard = Optional.ofNullable(template(n, "dashboard", ctx, false));
        return new Rule(name, input, metric, direction, threshold, clear, forDuration, resolveAfter, matchers, labels,
                severity, page.asBoolean(false), absence, summary, description, dashboard, avgOver, staleAfter);
    }

    private Route route(JsonNode n, String where, String id, Route parent, Set<String> timeIntervals) {
        if (!n.isObject()) {
            throw new InvalidRulesException(where + ": a route must be a mapping");
        }
        unknownKeys(n, ROUTE_KEYS, where);
        String receiver = n.has("receiver") ? n.get("receiver").asText() : parent == null ? null : parent.receiver();
        if (receiver == null || receiver.isBlank()) {
            throw new InvalidRulesException(where + ": key 'receiver': required at the root of the routing tree");
        }
        if (!receivers.contains(receiver)) {
            throw new InvalidRulesException(where + ": key 'receiver': '" + receiver + "' is not a configured receiver "
                    + "(jitsiops.alert.receivers.<name>); configured: " + receivers);
        }
        List<String> groupBy = n.has("group_by") ? strings(n.get("group_by"))
                : parent == null ? List.of("alertname") : parent.groupBy();
        Duration groupWait = duration(n, "group_wait", where, parent == null ? Duration.ofSeconds(30) : parent.groupWait());
        Duration groupInterval = duration(n, "group_interval", where, parent == null ? Duration.ofMinutes(5) : parent.groupInterval());
        Duration repeat = duration(n, "repeat_interval", where, parent == null ? Duration.ofHours(4) : parent.repeatInterval());
        if (groupInterval.isZero() || repeat.isZero()) {
            throw new InvalidRulesException(where + ": key 'group_interval'/'repeat_interval': must be longer than 0");
        }
        List<io.jitsiops.alert.rule.Matcher> matchers = matchers(n.path("matchers"), where + ": key 'matchers'");
        boolean cont = n.path("continue").asBoolean(false);
        List<String> mute = timeIntervalNames(n, "mute_time_intervals", where, parent == null, timeIntervals);
        List<String> active = timeIntervalNames(n, "active_time_intervals", where, parent == null, timeIntervals);
        Route self = new Route(id, receiver, groupBy, groupWait, groupInterval, repeat, matchers, cont, mute, active, List.of());
        List<Route> children = new ArrayList<>();
        JsonNode routes = n.path("routes");
        for (int i = 0; i < routes.size(); i++) {
            children.add(route(routes.get(i), where + ".routes[" + i + "]", id + "." + i, self, timeIntervals));
        }
        return new Route(id, receiver, groupBy, groupWait, groupInterval, repeat, matchers, cont, mute, active,
                List.copyOf(children));
    }

    /**
     * A route's {@code mute_time_intervals} or {@code active_time_intervals}: names defined under
     * {@code time_intervals}; none on the root route, which Alertmanager refuses too (it takes every alert no child
     * takes, so muting it would mute those silently).
     */
    private static List<String> timeIntervalNames(JsonNode n, String key, String where, boolean root, Set<String> defined) {
        JsonNode v = n.path(key);
        if (v.isMissingNode() || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new InvalidRulesException(where + ": key '" + key + "': a list of time interval names is required");
        }
        if (root && !v.isEmpty()) {
            throw new InvalidRulesException(where + ": key '" + key + "': the root route cannot have time intervals "
                    + "(as in Alertmanager); put them on a child route");
        }
        List<String> names = strings(v);
        for (String name : names) {
            if (!defined.contains(name)) {
                throw new InvalidRulesException(where + ": key '" + key + "': '" + name + "' is not defined under "
                        + "time_intervals (defined: " + defined + ")");
            }
        }
        return names;
    }

    private InhibitRule inhibition(JsonNode n, String where) {
        unknownKeys(n, INHIBIT_KEYS, where);
        List<io.jitsiops.alert.rule.Matcher> source = matchers(n.path("source_matchers"), where + ": key 'source_matchers'");
        List<io.jitsiops.alert.rule.Matcher> target = matchers(n.path("target_matchers"), where + ": key 'target_matchers'");
        if (source.isEmpty() || target.isEmpty()) {
            throw new InvalidRulesException(where + ": keys 'source_matchers' and 'target_matchers' are required");
        }
        return new InhibitRule(source, target, strings(n.path("equal")));
    }

    /** Prometheus-style durations: 500ms, 30s, 5m, 1h, 2d, 1w, and combinations such as 1h30m. */
    public static Duration parseDuration(String text) {
        String t = text.trim();
        if (t.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = DURATION.matcher(t);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                break;
            }
            long v = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(v);
                case "s" -> Duration.ofSeconds(v);
                case "m" -> Duration.ofMinutes(v);
                case "h" -> Duration.ofHours(v);
                case "d" -> Duration.ofDays(v);
                default -> Duration.ofDays(7 * v);
            });
            end = m.end();
        }
        if (end == 0 || end != t.length()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration such as 30s, 5m, 1h or 2d");
        }
        return total;
    }

    private static Duration duration(JsonNode n, String key, String ctx, Duration dflt) {
        if (!n.has(key) || n.get(key).isNull()) {
            return dflt;
        }
        try {
            return parseDuration(n.get(key).asText());
        } catch (IllegalArgumentException e) {
            throw new InvalidRulesException(ctx + ": key '" + key + "': " + e.getMessage());
        }
    }

    private static String text(JsonNode n, String key, String ctx, boolean required) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull() || v.asText().isBlank()) {
            if (required) {
                throw new InvalidRulesException(ctx + ": key '" + key + "': required");
            }
            return null;
        }
        if (!v.isValueNode()) {
            throw new InvalidRulesException(ctx + ": key '" + key + "': a single value is required");
        }
        return v.asText();
    }

    private static Double number(JsonNode n, String key, String ctx, boolean required) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            if (required) {
                throw new InvalidRulesException(ctx + ": key '" + key + "': required (a number)");
            }
            return null;
        }
        if (!v.isNumber()) {
            throw new InvalidRulesException(ctx + ": key '" + key + "': '" + v.asText() + "' is not a number");
        }
        return v.asDouble();
    }

    private static AlertTemplate template(JsonNode n, String key, String ctx, boolean required) {
        String source = text(n, key, ctx, required);
        if (source == null) {
            return null;
        }
        try {
            return AlertTemplate.parse(source);
        } catch (IllegalArgumentException e) {
            throw new InvalidRulesException(ctx + ": key '" + key + "': invalid template: " + e.getMessage());
        }
    }

    private static List<io.jitsiops.alert.rule.Matcher> matchers(JsonNode n, String ctx) {
        List<io.jitsiops.alert.rule.Matcher> list = new ArrayList<>();
        if (n.isMissingNode() || n.isNull()) {
            return list;
        }
        if (!n.isArray()) {
            throw new InvalidRulesException(ctx + ": a list such as ['component=jvb', 'target=~\"jvb-.*\"']");
        }
        for (JsonNode m : n) {
            try {
                list.add(io.jitsiops.alert.rule.Matcher.parse(m.asText()));
            } catch (IllegalArgumentException e) {
                throw new InvalidRulesException(ctx + ": " + e.getMessage());
            }
        }
        return List.copyOf(list);
    }

    private static Map<String, String> stringMap(JsonNode n, String ctx) {
        Map<String, String> map = new LinkedHashMap<>();
        if (n.isMissingNode() || n.isNull()) {
            return map;
        }
        if (!n.isObject()) {
            throw new InvalidRulesException(ctx + ": a mapping of label names to values");
        }
        n.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        return Map.copyOf(map);
    }

    private static List<String> strings(JsonNode n) {
        List<String> list = new ArrayList<>();
        n.forEach(v -> list.add(v.asText()));
        return List.copyOf(list);
    }

    static void unknownKeys(JsonNode n, Set<String> known, String ctx) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                throw new InvalidRulesException(ctx + ": key '" + key + "' is unknown (known: " + new java.util.TreeSet<>(known) + ")");
            }
        }
    }

    private static List<String> inputNames() {
        return java.util.Arrays.stream(RuleInput.values()).filter(i -> i != RuleInput.PROMETHEUS)
                .map(RuleInput::yamlName).toList();
    }
}
