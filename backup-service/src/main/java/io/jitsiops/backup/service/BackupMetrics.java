package io.jitsiops.backup.service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.jitsiops.backup.repository.BackupCatalogue;
import io.jitsiops.backup.repository.BackupRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * Prometheus series: backups by schedule and outcome, their duration and size, and per component the recovery
 * figures: RPO (age of the newest verified backup) and RTO (how long that backup's verification restore took). The
 * recovery figures are seeded from the catalogue at start-up, so that a restart does not turn them into NaN until the
 * next verification; NaN then means that the catalogue holds no verified backup of the component (or has not been
 * read yet: PostgreSQL away since the start).
 */
@ApplicationScoped
public class BackupMetrics {
    /** The prefix of the retry buffers' series: {@code jitsiops_backup_buffer_items{buffer="kafka"}} and the like. */
    public static final String BUFFER_METERS = "jitsiops.backup.buffer";
    private static final Logger LOG = Logger.getLogger(BackupMetrics.class);
    private final MeterRegistry registry;
    private final BackupCatalogue catalogue;
    private final Map<String, Instant> newestVerified = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> rtoMillis = new ConcurrentHashMap<>();
    private volatile Cancellable seeding;

    public BackupMetrics(MeterRegistry registry, BackupCatalogue catalogue) {
        this.registry = registry;
        this.catalogue = catalogue;
        for (String c : new String[] { "configurations", "certificates", "databases" }) {
            component(c);
        }
    }

    void start(@Observes StartupEvent start) {
        seeding = seedFromCatalogue().subscribe().with(components -> seeding = null);
    }

    void stop(@Observes ShutdownEvent stop) {
        Cancellable s = seeding;
        if (s != null) {
            s.cancel();
        }
    }

    /**
     * Takes, per component, the newest verified backup in the catalogue as if its verification had just been recorded
     * (a newer one recorded meanwhile stays: {@link #verified} keeps the newest). Reactive client, so neither start-up
     * nor an event loop waits; while PostgreSQL is away it retries in the background (1 s doubling to 30 s), the
     * figures staying NaN meanwhile, as readiness already says that PostgreSQL is away. Answers the components seeded.
     * Called at start-up (and by the outage test).
     */
    public Uni<Integer> seedFromCatalogue() {
        AtomicBoolean told = new AtomicBoolean();
        return catalogue.newestVerifiedPerComponent()
                .onFailure().invoke(e -> {
                    if (told.compareAndSet(false, true)) {
                        LOG.warnf("RPO and RTO not read from the backup catalogue yet (retrying in the background): %s",
                                e.getMessage());
                    }
                })
                .onFailure().retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(30)).indefinitely()
                .map(newest -> {
                    newest.forEach(n -> verified(n.component(), n.completedAt(), n.rtoMs()));
                    LOG.infof("RPO and RTO read from the backup catalogue: %s", newest.isEmpty() ? "no verified backup"
                            : newest.stream().map(n -> n.component() + " completed " + n.completedAt()).toList());
                    return newest.size();
                });
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

    /**
     * A verified backup that failed a later read-check no longer counts: each of its components whose newest verified
     * backup it was falls back to the catalogue's newest VERIFIED one, or to NaN when none is left. Without this the
     * running service kept reporting the failed backup's age as RPO (and its restore as RTO) until a restart, whose
     * catalogue read already leaves it out. A verification recorded meanwhile stays (the figure is replaced only while
     * it is still the withdrawn backup's). Call after the catalogue has recorded the failure.
     */
    private Uni<Void> withdrawn(List<String> components, Instant completedAt) {
        return catalogue.newestVerifiedPerComponent().invoke(newest -> {
            for (String c : components) {
                Instant current = newestVerified.get(c);
                if (current == null || !current.equals(completedAt)) {
                    continue;
                }
                var fallback = newest.stream().filter(n -> n.component().equals(c)).findFirst();
                if (fallback.isEmpty()) {
                    if (newestVerified.remove(c, current)) {
                        rtoMillis.get(c).set(-1);
                    }
                } else if (newestVerified.replace(c, current, fallback.get().completedAt())) {
                    rtoMillis.get(c).set(fallback.get().rtoMs());
                }
            }
        }).replaceWithVoid();
    }

    /**
     * A backup whose verification or read-check has just failed: if it was VERIFIED until then, it stops counting
     * ({@link #withdrawn}); one that never passed counted for nothing.
     */
    public Uni<Void> failedAgain(BackupRecord before, List<String> components) {
        return "VERIFIED".equals(before.status()) ? withdrawn(components, before.completedAt()) : Uni.createFrom().voidItem();
    }

    /** When the newest verified backup of the component completed, if any. */
    public Optional<Instant> newestVerified(String component) {
        return Optional.ofNullable(newestVerified.get(component));
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
