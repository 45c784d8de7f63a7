package io.jitsiops.log.analysis;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the logs of a window say.
 *
 * @param trend          counts per interval of the window, oldest first
 * @param verdict        errors of this window against the previous one (or, for pasted text, the second half
 *                       against the first): rising, falling or stable
 * @param byCategory     entries per category ("uncategorized": errors and warnings no rule matched)
 * @param recommendations one per category that reached its rule's minCount, most severe and frequent first
 */
public record Analysis(
        Instant windowStart,
        Instant windowEnd,
        long entries,
        long errors,
        long warnings,
        long unparsed,
        long truncated,
        Map<String, Long> byCategory,
        Map<String, Long> byComponent,
        Map<String, Map<String, Long>> byComponentAndCategory,
        List<Interval> trend,
        long previousErrors,
        String verdict,
        List<Recommendation> recommendations) {

    public record Interval(Instant start, long entries, long errors, long warnings) {
    }

    public record Recommendation(String category, String title, Severity severity, long count, String recommendation) {
    }
}
