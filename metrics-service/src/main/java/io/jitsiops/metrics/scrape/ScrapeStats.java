package io.jitsiops.metrics.scrape;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

/** Per target and endpoint: scrapes, errors, last duration and last error — re-exported as jitsi_ops_metrics_scrape_*. */
@ApplicationScoped
public class ScrapeStats {
    public static final class Endpoint {
        public final AtomicLong scrapes = new AtomicLong();
        public final AtomicLong errors = new AtomicLong();
        public volatile double lastSeconds;
        public volatile boolean up;
        public volatile String lastError;
        public volatile Instant lastAt;
    }

    private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();

    public Endpoint of(ScrapeTarget t, String endpoint) {
        return endpoints.computeIfAbsent(t.component() + "\u0000" + t.name() + "\u0000" + endpoint, k -> new Endpoint());
    }

    public void record(ScrapeTarget t, String endpoint, long millis, String error) {
        Endpoint e = of(t, endpoint);
        e.scrapes.incrementAndGet();
        e.lastSeconds = millis / 1000.0;
        e.lastAt = Instant.now();
        e.up = error == null;
        e.lastError = error;
        if (error != null) {
            e.errors.incrementAndGet();
        }
    }

    /** Drops every endpoint of the target: its series leave /q/metrics (its lease went to another replica). */
    public void forget(ScrapeTarget t) {
        String prefix = t.component() + "\u0000" + t.name() + "\u0000";
        endpoints.keySet().removeIf(k -> k.startsWith(prefix));
    }

    /** key = component NUL target NUL endpoint. */
    public Map<String, Endpoint> all() {
        return endpoints;
    }
}
