package io.jitsiops.metrics.scrape;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.jitsiops.metrics.model.Finding;

/**
 * The configuration findings that hold now, one per target and endpoint: raised when a scrape shows the problem,
 * cleared when a later scrape of that endpoint is fine. Logged once when raised, not on every scrape.
 */
@ApplicationScoped
public class Findings {
    private static final Logger LOG = Logger.getLogger(Findings.class);
    private final ConcurrentHashMap<String, Finding> current = new ConcurrentHashMap<>();

    public void raise(ScrapeTarget t, String endpoint, String problem, String setting) {
        String key = t.key() + " " + endpoint;
        current.compute(key, (k, old) -> {
            if (old != null && old.problem().equals(problem)) {
                return old;
            }
            LOG.warnf("%s %s: %s%s", t.key(), endpoint, problem, setting == null ? "" : " — set " + setting);
            return new Finding(t.component(), t.name(), endpoint, problem, setting, Instant.now());
        });
    }

    public void clear(ScrapeTarget t, String endpoint) {
        current.remove(t.key() + " " + endpoint);
    }

    /**
     * Drops the target's findings without a log line: its lease went to another replica, which finds them again if
     * they still hold.
     */
    public void forget(ScrapeTarget t) {
        current.values().removeIf(f -> f.component().equals(t.component()) && f.target().equals(t.name()));
    }

    /** Open findings of one target. */
    public int count(String component, String target) {
        int n = 0;
        for (Finding f : current.values()) {
            if (f.component().equals(component) && f.target().equals(target)) {
                n++;
            }
        }
        return n;
    }

    public List<Finding> all() {
        List<Finding> list = new ArrayList<>(current.values());
        list.sort(Comparator.comparing(Finding::component).thenComparing(Finding::target).thenComparing(Finding::endpoint));
        return list;
    }
}
