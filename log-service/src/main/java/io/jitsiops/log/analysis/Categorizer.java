package io.jitsiops.log.analysis;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import io.jitsiops.log.parse.Level;
import io.jitsiops.log.parse.LogEntry;

/** Names an entry's category and counts it into its minute; shared by the tailer and the paste analysis. */
public final class Categorizer {
    private final CategoryRules rules;

    public Categorizer(CategoryRules rules) {
        this.rules = rules;
    }

    /** The category id, {@link LogAnalyzer#UNCATEGORIZED} for an unmatched warning or error, or null. */
    public String categorize(String format, LogEntry e) {
        CategoryRule r = rules.match(format, e);
        if (r != null) {
            return r.id();
        }
        return e.level().atLeast(Level.WARN) ? LogAnalyzer.UNCATEGORIZED : null;
    }

    public CategoryRules rules() {
        return rules;
    }

    /** Counts an entry into the minute of its time ({@code fallback} when it has none). */
    public static void count(Map<String, MinuteCounts> minutes, String component, LogEntry e, String category, Instant fallback) {
        Instant at = e.timestamp() == null ? fallback : e.timestamp();
        Instant minute = at.truncatedTo(ChronoUnit.MINUTES);
        MinuteCounts m = minutes.computeIfAbsent(component + "\u0000" + minute, k -> new MinuteCounts(component, minute));
        count(m, e, category);
    }

    /** Counts an entry into {@code m}, the counts of its minute. */
    public static void count(MinuteCounts m, LogEntry e, String category) {
        m.entries++;
        if (e.level().atLeast(Level.ERROR)) {
            m.errors++;
        } else if (e.level() == Level.WARN) {
            m.warnings++;
        }
        if (!e.parsed()) {
            m.unparsed++;
        }
        if (e.truncated()) {
            m.truncated++;
        }
        if (category != null) {
            m.categories.merge(category, 1L, Long::sum);
        }
    }
}
