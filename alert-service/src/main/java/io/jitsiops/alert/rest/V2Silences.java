package io.jitsiops.alert.rest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.jitsiops.alert.notify.Silence;
import io.jitsiops.alert.rule.Matcher;

/**
 * Silences in the shapes and with the rules of Alertmanager's v2 API (prometheus/alertmanager api/v2/openapi.yaml and
 * api/v2/api.go of 0.25, the version Debian ships and amtool speaks): {@code gettableSilence},
 * {@code postableSilence} and its checks, the {@code filter} of {@code GET /silences}, the order it lists them in,
 * and when a change updates a silence in place rather than replacing it.
 */
final class V2Silences {
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Map<String, Integer> STATE_ORDER = Map.of("active", 1, "pending", 2, "expired", 3);

    private V2Silences() {
    }

    /** A matcher as the v2 API writes it: {@code isEqual} is absent (true) in what older clients post. */
    record V2Matcher(String name, String value, Boolean isRegex, Boolean isEqual) {
    }

    /** {@code postableSilence}: with an {@code id}, a change of that silence. */
    record PostableSilence(String id, List<V2Matcher> matchers, Instant startsAt, Instant endsAt, String createdBy,
                           String comment) {
    }

    /** The matchers of a posted silence; the message of the exception says which one is wrong and why. */
    static List<Matcher> matchers(List<V2Matcher> posted) {
        if (posted == null || posted.isEmpty()) {
            throw new IllegalArgumentException("at least one matcher is required");
        }
        List<Matcher> matchers = new ArrayList<>();
        for (V2Matcher m : posted) {
            if (m == null || m.name() == null || !LABEL_NAME.matcher(m.name()).matches()) {
                throw new IllegalArgumentException("invalid label name " + (m == null ? null : "\"" + m.name() + "\""));
            }
            if (m.value() == null || m.isRegex() == null) {
                throw new IllegalArgumentException("matcher " + m.name() + ": value and isRegex are required");
            }
            boolean equal = m.isEqual() == null || m.isEqual();
            Matcher.Op op = m.isRegex() ? (equal ? Matcher.Op.RE : Matcher.Op.NRE) : (equal ? Matcher.Op.EQ : Matcher.Op.NEQ);
            try {
                matchers.add(new Matcher(m.name(), op, m.value()));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("matcher " + m.name() + ": invalid regular expression: " + e.getDescription());
            }
        }
        if (Silence.matchesNearlyEverything(matchers)) {
            throw new IllegalArgumentException("at least one matcher must not match the empty string");
        }
        return List.copyOf(matchers);
    }

    static Map<String, Object> gettable(Silence s, Instant now) {
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("id", s.id().toString());
        g.put("status", Map.of("state", s.state(now)));
        g.put("updatedAt", s.updatedAt().toString());
        g.put("matchers", s.matchers().stream().map(V2Silences::matcher).toList());
        g.put("startsAt", s.startsAt().toString());
        g.put("endsAt", s.endsAt().toString());
        g.put("createdBy", s.createdBy());
        g.put("comment", s.comment());
        return g;
    }

    private static Map<String, Object> matcher(Matcher m) {
        return Map.of("name", m.name(), "value", m.value(),
                "isRegex", m.op() == Matcher.Op.RE || m.op() == Matcher.Op.NRE,
                "isEqual", m.op() == Matcher.Op.EQ || m.op() == Matcher.Op.RE);
    }

    /**
     * {@code CheckSilenceMatchesFilterLabels}: for every filter matcher the silence has a matcher of the same name,
     * type and value (a filter names matchers of silences; it is not applied to labels).
     */
    static boolean matchesFilter(Silence s, List<Matcher> filter) {
        return filter.stream().allMatch(f -> s.matchers().stream().anyMatch(m -> m.equals(f)));
    }

    /** {@code SortSilences}: active by end, then pending by start, then expired, the latest ended first. */
    static Comparator<Silence> order(Instant now) {
        return (a, b) -> {
            String sa = a.state(now);
            String sb = b.state(now);
            if (!sa.equals(sb)) {
                return Integer.compare(STATE_ORDER.get(sa), STATE_ORDER.get(sb));
            }
            return switch (sa) {
                case "active" -> a.endsAt().compareTo(b.endsAt());
                case "pending" -> a.startsAt().compareTo(b.startsAt());
                default -> b.endsAt().compareTo(a.endsAt());
            };
        };
    }

    /**
     * Alertmanager's {@code canUpdate}: a change is made in place only when the matchers stay the same and, for an
     * active silence, the start stays and the end is not in the past; for a pending one, the new start is not in the
     * past; an expired silence never changes. Otherwise the old silence is expired and a new one made, so an active
     * silence never silences something else than what it did (its history stays true).
     */
    static boolean canUpdate(Silence old, Silence proposed, Instant now) {
        if (!old.matchers().equals(proposed.matchers())) {
            return false;
        }
        return switch (old.state(now)) {
            case "active" -> sameMillisecond(old.startsAt(), proposed.startsAt()) && !proposed.endsAt().isBefore(now);
            case "pending" -> !proposed.startsAt().isBefore(now);
            default -> false;
        };
    }

    /** The API writes times to the millisecond; a start read back and posted again is the same start. */
    private static boolean sameMillisecond(Instant a, Instant b) {
        return a.toEpochMilli() == b.toEpochMilli();
    }
}
