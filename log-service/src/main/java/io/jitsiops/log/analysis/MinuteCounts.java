package io.jitsiops.log.analysis;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts of one component's entries in one minute: the unit the analysis is built from (and stored in the
 * {@code log_minute} tables). Mutable while a minute fills; not thread-safe.
 */
public final class MinuteCounts {
    public final String component;
    public final Instant minute;
    public long entries;
    public long errors;
    public long warnings;
    public long unparsed;
    public long truncated;
    public final Map<String, Long> categories = new HashMap<>();

    public MinuteCounts(String component, Instant minute) {
        this.component = component;
        this.minute = minute;
    }

    public void add(MinuteCounts o) {
        entries += o.entries;
        errors += o.errors;
        warnings += o.warnings;
        unparsed += o.unparsed;
        truncated += o.truncated;
        o.categories.forEach((k, v) -> categories.merge(k, v, Long::sum));
    }
}
