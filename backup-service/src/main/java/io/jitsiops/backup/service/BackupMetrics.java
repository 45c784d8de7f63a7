package io.jitsiops.backup.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Prometheus series: backups by schedule and outcome, their duration and size, and per component the recovery
 * figures: RPO (age of the newest verified backup) and RTO (how long that backup's verification restore took).
 */
@ApplicationScoped
public class BackupMetrics {
    private final MeterRegistry registry;
    private final Map<String, Instant> newestVerified = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> rtoMillis = new ConcurrentHashMap<>();

    public BackupMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (String c : new String[] { "configurations", "certificates", "databases" }) {
            component(c);
        }
    }

    public void backupFinished(String schedule, boolean ok, Duration took, long bytes) {
        Counter.builder("jitsiops_backup_runs_total").tag("schedule", schedule).tag("outcome", ok ? "completed" : "failed")
                .register(registry).increment();
        Timer.builder("jitsiops_backup_duration").tag("schedule", schedule).register(registry).record(took);
        if (ok) {
            Counter.builder("jitsiops_backup_stored_bytes_total").tag("schedule", schedule).register(registry).increment(bytes);
        }
    }

    public void verification(boolean ok) {
        Counter.builder("jitsiops_backup_verifications_total").tag("outcome", ok ? "verified" : "failed").register(registry).increment();
    }

    /** A verified backup of this component, completed at {@code completedAt}, whose verification restore took rtoMs. */
    public void verified(String component, Instant completedAt, long rtoMs) {
        component(component);
        newestVerified.merge(component, completedAt, (a, b) -> a.isAfter(b) ? a : b);
        if (completedAt.equals(newestVerified.get(component))) {
            rtoMillis.get(component).set(rtoMs);
        }
    }

    public Long rpoSeconds(String component) {
        Instant t = newestVerified.get(component);
        return t == null ? null : Duration.between(t, Instant.now()).toSeconds();
    }

    private void component(String c) {
        rtoMillis.computeIfAbsent(c, k -> {
            AtomicLong rto = new AtomicLong(-1);
            Gauge.builder("jitsiops_backup_rpo_seconds", () -> {
                Long s = rpoSeconds(k);
                return s == null ? Double.NaN : s;
            }).tag("component", k).description("Age of the newest verified backup of the component").register(registry);
            Gauge.builder("jitsiops_backup_rto_seconds", () -> rto.get() < 0 ? Double.NaN : rto.get() / 1000.0)
                    .tag("component", k).description("Duration of the verification restore of the newest verified backup")
                    .register(registry);
            return rto;
        });
    }
}
