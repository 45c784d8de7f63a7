package io.jitsiops.log.tail;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.jitsiops.events.payload.LogWindowAggregate;
import io.jitsiops.log.analysis.MinuteCounts;

/**
 * Per-component counts of the current aggregate window (published as LogWindowAggregate when it closes),
 * and the per-category budget of immediate LogErrorEntry events within it. Shared by the tailer threads.
 */
public final class WindowAggregates {
    private final int maxImmediatePerCategory;
    private Map<String, MinuteCounts> counts = new HashMap<>();
    private Map<String, Integer> immediate = new HashMap<>();
    private Instant windowStart;

    public WindowAggregates(int maxImmediatePerCategory, Instant start) {
        this.maxImmediatePerCategory = maxImmediatePerCategory;
        this.windowStart = start;
    }

    /** Adds a committed step's counts. */
    public synchronized void add(Iterable<MinuteCounts> minutes) {
        for (MinuteCounts m : minutes) {
            counts.computeIfAbsent(m.component, c -> new MinuteCounts(c, windowStart)).add(m);
        }
    }

    /** Whether another immediate event of this component and category fits this window's budget. */
    public synchronized boolean allowImmediate(String component, String category) {
        int n = immediate.merge(component + "\u0000" + category, 1, Integer::sum);
        return n <= maxImmediatePerCategory;
    }

    /** Closes the window: one aggregate per component that had entries. */
    public synchronized List<LogWindowAggregate> close(Instant end) {
        List<LogWindowAggregate> out = new ArrayList<>();
        for (MinuteCounts m : counts.values()) {
            double rate = m.entries == 0 ? 0 : 100.0 * m.errors / m.entries;
            out.add(new LogWindowAggregate(m.component, windowStart, end, m.entries, m.errors, m.warnings,
                    new HashMap<>(m.categories), rate));
        }
        counts = new HashMap<>();
        immediate = new HashMap<>();
        windowStart = end;
        return out;
    }
}
