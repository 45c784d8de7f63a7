package io.jitsiops.alert.rule;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.jitsiops.events.payload.AlertSeverity;

/**
 * One alert rule of the rules file.
 *
 * @param metric       the measurement it reads (e.g. {@code cpu.usage_percent}); for an absence rule, optional:
 *                     without it any event of the input counts as a sign of life
 * @param threshold    the bad level (null for an absence rule)
 * @param clear        hysteresis: the level at which an active alert clears; the threshold when not set
 * @param forDuration  how long the value must stay bad before the alert fires (pending until then)
 * @param resolveAfter for inputs that only ever report bad news (log entries, failed backups): resolve when no
 *                     bad value arrived for this long; empty = resolve only when a good value arrives
 * @param matchers     which observations the rule applies to, by label (component, target, check, shard, room, …)
 * @param labels       extra labels of the alert (e.g. {@code family: cpu}, used by inhibition and routing)
 * @param absence      set for an absence rule (like Prometheus {@code absent()})
 * @param avgOver      compare the mean of the series' values over this window instead of the latest value
 *                     (Prometheus {@code avg_over_time}); empty = the latest value
 */
public record Rule(
        String name,
        RuleInput input,
        String metric,
        Direction direction,
        Double threshold,
        Double clear,
        Duration forDuration,
        Optional<Duration> resolveAfter,
        List<Matcher> matchers,
        Map<String, String> labels,
        AlertSeverity severity,
        boolean page,
        Optional<Absence> absence,
        AlertTemplate summary,
        AlertTemplate description,
        Optional<AlertTemplate> dashboard,
        Optional<Duration> avgOver,
        Optional<Duration> staleAfter) {

    /**
     * How long a conference's alert waits for the next sample before it resolves, unless its rule says
     * {@code stale_after}: conferences end, and an alert about one that ended would otherwise fire for good (the
     * metrics-service samples a conference at every bridge read, every 15-30 s).
     */
    public static final Duration CONFERENCE_STALE_AFTER = Duration.ofMinutes(2);

    /** A rule whose alerts do not resolve when their series stops reporting (the default of every other input). */
    public Rule(String name, RuleInput input, String metric, Direction direction, Double threshold, Double clear,
                Duration forDuration, Optional<Duration> resolveAfter, List<Matcher> matchers, Map<String, String> labels,
                AlertSeverity severity, boolean page, Optional<Absence> absence, AlertTemplate summary,
                AlertTemplate description, Optional<AlertTemplate> dashboard, Optional<Duration> avgOver) {
        this(name, input, metric, direction, threshold, clear, forDuration, resolveAfter, matchers, labels, severity,
                page, absence, summary, description, dashboard, avgOver, Optional.empty());
    }

    /** A rule without an averaging window. */
    public Rule(String name, RuleInput input, String metric, Direction direction, Double threshold, Double clear,
                Duration forDuration, Optional<Duration> resolveAfter, List<Matcher> matchers, Map<String, String> labels,
                AlertSeverity severity, boolean page, Optional<Absence> absence, AlertTemplate summary,
                AlertTemplate description, Optional<AlertTemplate> dashboard) {
        this(name, input, metric, direction, threshold, clear, forDuration, resolveAfter, matchers, labels, severity,
                page, absence, summary, description, dashboard, Optional.empty());
    }

    /**
     * Fires when no matching observation arrived for {@code missed} × {@code expectedInterval}.
     *
     * @param by the labels that name one reporting series (e.g. component, target); one alert per silent series,
     *           and one alert without them when nothing matching was ever seen
     */
    public record Absence(Duration expectedInterval, int missed, List<String> by) {
        public Duration window() {
            return expectedInterval.multipliedBy(missed);
        }
    }

    public boolean isAbsence() {
        return absence.isPresent();
    }

    public double clearLevel() {
        return clear != null ? clear : threshold;
    }
}
