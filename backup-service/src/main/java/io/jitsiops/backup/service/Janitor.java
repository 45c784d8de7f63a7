package io.jitsiops.backup.service;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.jitsiops.backup.config.BackupConfig;
import io.jitsiops.backup.config.BackupPlan;
import io.jitsiops.backup.repository.BackupCatalogue;
import io.jitsiops.backup.repository.BackupRecord;
import io.jitsiops.backup.store.BackupStore;
import io.jitsiops.backup.store.BackupStores;
import io.jitsiops.backup.verify.Check;
import io.jitsiops.events.payload.BackupLifecycle;
import io.jitsiops.events.payload.BackupPhase;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.json.JsonObject;

/**
 * Keeps the stores honest in the background: removes what half-written backups left (after a crash, or while a
 * store was unreachable), re-reads stored objects so that all of them are checked within
 * {@code read-check-period}, and raises STALE when the newest verified backup of a component is too old.
 */
@ApplicationScoped
public class Janitor {
    private static final Logger LOG = Logger.getLogger(Janitor.class);
    private final BackupPlan plan;
    private final BackupStores stores;
    private final BackupCatalogue catalogue;
    private final BackupEngine engine;
    private final Verifier verifier;
    private final BackupEvents events;
    private final InUse inUse;
    private final BackupConfig config;
    private final BackupMetrics metrics;
    private final Instant startedAt = Instant.now();
    private final Set<String> staleReported = ConcurrentHashMap.newKeySet();

    public Janitor(BackupPlan plan, BackupStores stores, BackupCatalogue catalogue, BackupEngine engine, Verifier verifier,
                   BackupEvents events, InUse inUse, BackupConfig config, BackupMetrics metrics) {
        this.plan = plan;
        this.stores = stores;
        this.catalogue = catalogue;
        this.engine = engine;
        this.verifier = verifier;
        this.events = events;
        this.inUse = inUse;
        this.config = config;
        this.metrics = metrics;
    }

    void start(@Observes StartupEvent start) {
        Infrastructure.getDefaultWorkerPool().execute(() -> {
            try {
                cleanUp(true);
                removeOrphans();
            } catch (RuntimeException e) {
                LOG.warnf("Start-up clean-up of half-written backups deferred: %s", e.getMessage());
            }
        });
    }

    @Scheduled(every = "1m", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void everyMinute() {
        try {
            cleanUp(false);
        } catch (RuntimeException e) {
            LOG.debugf("Clean-up deferred: %s", e.getMessage());
        }
    }

    /** Clean-ups a store refused earlier (what the loop after an S3 outage calls). Answers how many remain. */
    public int cleanUp() {
        return cleanUp(false);
    }

    /**
     * Clean-ups a store refused earlier and, with {@code running} (at start-up only: a backup RUNNING in the
     * catalogue then was interrupted by the stop), backups left RUNNING. Answers how many clean-ups remain owed.
     */
    public int cleanUp(boolean running) {
        List<BackupRecord> unfinished = BackupEngine.await(catalogue.unfinished(running));
        int remaining = 0;
        for (BackupRecord b : unfinished) {
            if (inUse.contains(b.id())) {
                continue;
            }
            boolean pending = engine.cleanUp(b.id());
            if ("RUNNING".equals(b.status())) {
                BackupEngine.await(catalogue.fail(b.id(), "interrupted: the service stopped while the backup was being written", pending));
                events.phase(b.id(), BackupPhase.FAILED, b.schedule(), b.components(), null, null, null, null,
                        "interrupted: the service stopped while the backup was being written");
            } else if (!pending) {
                BackupEngine.await(catalogue.cleanedUp(b.id()));
            }
            if (pending) {
                remaining++;
            } else {
                LOG.infof("Removed the objects of unfinished backup %s", b.id());
            }
        }
        return remaining;
    }

    /** Objects in a store under an id the catalogue has as FAILED or PRUNED; ids it does not know are left alone. */
    public void removeOrphans() {
        Map<String, String> status = new HashMap<>();
        BackupEngine.await(catalogue.all()).forEach(b -> status.put(b.id(), b.status()));
        for (BackupStore store : stores.all()) {
            try {
                for (String id : store.backupIds()) {
                    String s = status.get(id);
                    if (!inUse.contains(id) && ("FAILED".equals(s) || "PRUNED".equals(s))) {
                        store.delete(id);
                        LOG.infof("Removed orphaned objects of %s from the %s store", id, store.name());
                    }
                }
            } catch (IOException e) {
                LOG.warnf("Orphan sweep of the %s store deferred: %s", store.name(), e.getMessage());
            }
        }
    }

    @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void readCheckBatch() {
        try {
            readCheck(20);
        } catch (RuntimeException e) {
            LOG.warnf("Read-check deferred: %s", e.getMessage());
        }
    }

    /**
     * Re-reads the objects of the backups checked least recently, in every store. With one batch an hour, each
     * backup is re-read well within the period (a backup is due when its last read is older than the period less
     * a day). A mismatch makes the backup VERIFICATION_FAILED and is an event.
     */
    public int readCheck(int batch) {
        Instant due = Instant.now().minus(config.readCheckPeriod()).plus(Duration.ofDays(1));
        int checked = 0;
        for (BackupRecord r : BackupEngine.await(catalogue.leastRecentlyReadChecked(due, batch))) {
            Manifest m = verifier.manifest(r);
            List<Check> checks = new java.util.ArrayList<>();
            for (BackupStore store : stores.all()) {
                checks.addAll(verifier.checksums(store, r, m));
            }
            List<Check> bad = checks.stream().filter(c -> !c.ok()).toList();
            if (bad.isEmpty()) {
                BackupEngine.await(catalogue.readChecked(r.id(), Instant.now()));
            } else {
                String reason = bad.stream().limit(3).map(c -> c.item() + " " + c.check() + ": " + c.detail())
                        .reduce((a, b) -> a + "; " + b).orElse("");
                JsonObject doc = new JsonObject().put("ok", false).put("readCheck", true).put("failures",
                        new io.vertx.core.json.JsonArray(bad.stream().map(c -> new JsonObject().put("item", c.item())
                                .put("check", c.check()).put("detail", c.detail())).toList()));
                BackupEngine.await(catalogue.verified(r.id(), false, doc, r.rtoMs() == null ? 0 : r.rtoMs(), Instant.now()));
                BackupEngine.await(metrics.failedAgain(r, m.components()));
                events.phase(r.id(), BackupPhase.FAILED, r.schedule(), r.components(), null, null, null, "read-check", reason);
                LOG.warnf("Read-check of backup %s failed: %s", r.id(), reason);
            }
            checked++;
        }
        return checked;
    }

    @Scheduled(every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void staleCheck() {
        try {
            checkStale(Instant.now());
        } catch (RuntimeException e) {
            LOG.warnf("Staleness check deferred: %s", e.getMessage());
        }
    }

    /** Publishes STALE once per component each time its newest verified backup passes the limit; answers them. */
    public List<String> checkStale(Instant now) {
        List<BackupRecord> verified = BackupEngine.await(catalogue.list(List.of("VERIFIED"), null, null, null, null, 100_000));
        List<String> stale = new java.util.ArrayList<>();
        for (String component : plan.components()) {
            Instant newest = verified.stream().filter(b -> b.components().contains(component)).map(BackupRecord::completedAt)
                    .max(Instant::compareTo).orElse(null);
            Instant reference = newest != null ? newest : startedAt;
            if (Duration.between(reference, now).compareTo(config.staleAfter()) > 0) {
                stale.add(component);
                if (staleReported.add(component)) {
                    Long rpo = newest == null ? null : Duration.between(newest, now).toSeconds();
                    String why = newest == null ? "no verified backup of " + component + " since the service started " + startedAt
                            : "the newest verified backup of " + component + " completed " + newest + ", older than " + config.staleAfter();
                    events.publish(new BackupLifecycle("stale-" + component, BackupPhase.STALE, null, List.of(component), null,
                            null, null, "stale", why, now, rpo, null));
                    LOG.warnf("Backups stale: %s", why);
                }
            } else {
                staleReported.remove(component);
            }
        }
        return stale;
    }
}
