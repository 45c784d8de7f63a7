package io.jitsiops.log.analysis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns minute counts into an {@link Analysis}: totals, counts per category and component, a trend in
 * {@code INTERVALS} intervals, a verdict and the recommendations of the rules that fired often enough.
 */
public final class LogAnalyzer {
    public static final String UNCATEGORIZED = "uncategorized";
    static final int INTERVALS = 12;
    /** A change smaller than this many errors is noise, whatever the ratio. */
    static final long MIN_CHANGE = 5;
    static final double RATIO = 1.5;

    private final CategoryRules rules;

    public LogAnalyzer(CategoryRules rules) {
        this.rules = rules;
    }

    public CategoryRules rules() {
        return rules;
    }

    /**
     * @param current  the minutes of [start, end)
     * @param previous the errors of the window before, or -1 to compare the second half of this window with its
     *                 first half (pasted text has no previous window)
     */
    public Analysis analyze(Collection<MinuteCounts> current, Instant start, Instant end, long previous) {
        long entries = 0;
        long errors = 0;
        long warnings = 0;
        long unparsed = 0;
        long truncated = 0;
        Map<String, Long> byCategory = new TreeMap<>();
        Map<String, Long> byComponent = new TreeMap<>();
        Map<String, Map<String, Long>> byComponentAndCategory = new TreeMap<>();
        long span = Math.max(1, Duration.between(start, end).toMillis());
        long step = Math.max(60_000, (span + INTERVALS - 1) / INTERVALS);
        int intervals = (int) Math.max(1, (span + step - 1) / step);
        long[][] trend = new long[intervals][3];
        long firstHalf = 0;
        long secondHalf = 0;
        for (MinuteCounts m : current) {
            entries += m.entries;
            errors += m.errors;
            warnings += m.warnings;
            unparsed += m.unparsed;
            truncated += m.truncated;
            byComponent.merge(m.component, m.entries, Long::sum);
            for (Map.Entry<String, Long> c : m.categories.entrySet()) {
                byCategory.merge(c.getKey(), c.getValue(), Long::sum);
                byComponentAndCategory.computeIfAbsent(m.component, k -> new TreeMap<>()).merge(c.getKey(), c.getValue(), Long::sum);
            }
            long offset = Duration.between(start, m.minute).toMillis();
            int i = (int) Math.min(intervals - 1, Math.max(0, offset / step));
            trend[i][0] += m.entries;
            trend[i][1] += m.errors;
            trend[i][2] += m.warnings;
            if (offset < span / 2) {
                firstHalf += m.errors;
            } else {
                secondHalf += m.errors;
            }
        }
        List<Analysis.Interval> points = new ArrayList<>();
        for (int i = 0; i < intervals; i++) {
            points.add(new Analysis.Interval(start.plusMillis(i * step), trend[i][0], trend[i][1], trend[i][2]));
        }
        String verdict = previous >= 0 ? verdict(previous, errors) : verdict(firstHalf, secondHalf);
        return new Analysis(start, end, entries, errors, warnings, unparsed, truncated, byCategory, byComponent,
                byComponentAndCategory, points, previous, verdict, recommendations(byCategory));
    }

    static String verdict(long before, long now) {
        if (now >= before * RATIO && now - before >= MIN_CHANGE) {
            return "rising";
        }
        if (before >= now * RATIO && before - now >= MIN_CHANGE) {
            return "falling";
        }
        return "stable";
    }

    private List<Analysis.Recommendation> recommendations(Map<String, Long> byCategory) {
        List<Analysis.Recommendation> out = new ArrayList<>();
        for (Map.Entry<String, Long> c : byCategory.entrySet()) {
            rules.rule(c.getKey()).filter(r -> c.getValue() >= r.minCount()).ifPresent(r ->
                    out.add(new Analysis.Recommendation(r.id(), r.title(), r.severity(), c.getValue(), r.recommendation())));
        }
        out.sort(Comparator.comparing(Analysis.Recommendation::severity).reversed()
                .thenComparing(Comparator.comparingLong(Analysis.Recommendation::count).reversed()));
        return out;
    }
}
