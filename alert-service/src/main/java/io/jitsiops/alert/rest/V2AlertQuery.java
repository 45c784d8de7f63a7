package io.jitsiops.alert.rest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.jitsiops.alert.notify.AlertStatus;
import io.jitsiops.alert.rule.Matcher;

/**
 * The query of {@code GET /api/v2/alerts}, with the semantics of Alertmanager 0.25's {@code getAlertsHandler} and
 * {@code alertFilter} (prometheus/alertmanager, api/v2/api.go):
 * <ul>
 * <li>{@code filter}: label matchers, all must match ({@code alertMatchesFilterLabels}: a missing label is the empty
 * string, so {@code label=""} means "no such label" and {@code label!=""} means "has it");</li>
 * <li>{@code receiver}: a regular expression anchored as {@code ^(?:re)$}; the alert is kept when ANY receiver its
 * routes give it matches ({@code receiversMatchFilter});</li>
 * <li>{@code active}, {@code silenced}, {@code inhibited} (default true): {@code active=false} drops alerts whose
 * state is active (neither silenced nor inhibited), {@code silenced=false} drops those a silence matches,
 * {@code inhibited=false} those an inhibition mutes; each is checked on its own, so an alert both silenced and
 * inhibited is dropped by either.</li>
 * </ul>
 * Regular expressions are Java's, full-match, as everywhere in this module's matchers; Go's RE2 has no
 * backreferences or lookaround, so every expression amtool can send means the same here.
 */
public record V2AlertQuery(List<Matcher> matchers, Map<String, String> equal, boolean active, boolean silenced,
                           boolean inhibited, Pattern receiver) {

    /** The words go-openapi's {@code swag.ConvertBool} reads as true (what Alertmanager's generated server uses). */
    private static final Set<String> TRUE = Set.of("true", "1", "yes", "ok", "y", "on", "selected", "checked", "t", "enabled");
    /**
     * Their counterparts. Alertmanager reads any other word as false, so a typo ({@code silenced=flase}) silently
     * turns into a filter; here it is a 400 naming the parameter.
     */
    private static final Set<String> FALSE = Set.of("false", "0", "no", "n", "off", "f", "disabled", "unchecked", "unselected");

    /**
     * Parses the query parameters; the message of the exception names the bad one.
     *
     * @param filter   the repeated {@code filter} parameter (may be null)
     * @param receiver null or empty: every receiver
     */
    public static V2AlertQuery parse(List<String> filter, String active, String silenced, String inhibited, String receiver) {
        List<Matcher> matchers = new ArrayList<>();
        Map<String, String> equal = new HashMap<>();
        for (String f : filter == null ? List.<String>of() : filter) {
            Matcher m;
            try {
                m = Matcher.parse(f);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("filter " + e.getMessage());
            }
            matchers.add(m);
            // an equality with a value can also narrow the SQL (the repository resolves a derived shard through the
            // target); every matcher, this one included, is still checked on the labels read back
            if (m.op() == Matcher.Op.EQ && !m.value().isEmpty()) {
                equal.putIfAbsent(m.name(), m.value());
            }
        }
        Pattern r = null;
        if (receiver != null && !receiver.isEmpty()) {
            try {
                r = Pattern.compile(receiver);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("receiver '" + receiver + "' is not a regular expression: " + e.getDescription());
            }
        }
        return new V2AlertQuery(List.copyOf(matchers), Map.copyOf(equal), bool("active", active), bool("silenced", silenced),
                bool("inhibited", inhibited), r);
    }

    /** A boolean parameter: absent or empty is Alertmanager's default, true. */
    static boolean bool(String name, String raw) {
        if (raw == null || raw.isEmpty()) {
            return true;
        }
        String v = raw.toLowerCase(Locale.ROOT);
        if (TRUE.contains(v)) {
            return true;
        }
        if (FALSE.contains(v)) {
            return false;
        }
        throw new IllegalArgumentException(name + " '" + raw + "' is not a boolean (true or false)");
    }

    /** The same query without its receiver: the alert filter of {@code GET /api/v2/alerts/groups}. */
    public V2AlertQuery withoutReceiver() {
        return new V2AlertQuery(matchers, equal, active, silenced, inhibited, null);
    }

    /** Whether a firing alert with these labels, this status and these receivers is in the answer. */
    public boolean accepts(Map<String, String> labels, AlertStatus status, List<String> receivers) {
        if (receiver != null && receivers.stream().noneMatch(name -> receiver.matcher(name).matches())) {
            return false;
        }
        if (!active && !status.suppressed()) {
            return false;
        }
        if (!silenced && status.silenced()) {
            return false;
        }
        if (!inhibited && status.inhibited()) {
            return false;
        }
        return Matcher.all(matchers, labels);
    }
}
