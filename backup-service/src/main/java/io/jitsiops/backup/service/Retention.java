package io.jitsiops.backup.service;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.jitsiops.backup.config.BackupConfig;
import io.jitsiops.backup.config.BackupPlan;
import io.jitsiops.backup.repository.BackupCatalogue;
import io.jitsiops.backup.repository.BackupRecord;
import io.jitsiops.backup.store.BackupStore;
import io.jitsiops.backup.store.BackupStores;
import io.jitsiops.events.payload.BackupPhase;

/**
 * Grandfather-father-son retention: each schedule keeps its newest {@code retention} backups (daily 7, weekly 4,
 * monthly 3 by default; manual ones {@code jitsiops.backup.manual-retention}), in both stores. Never pruned: the
 * newest verified backup of any component, a backup being written, verified or restored, and backups of a schedule
 * no longer in the description (removing a schedule must not silently delete its history).
 */
@ApplicationScoped
public class Retention {
    private static final Logger LOG = Logger.getLogger(Retention.class);
    private final BackupPlan plan;
    private final BackupStores stores;
    private final BackupCatalogue catalogue;
    private final BackupEvents events;
    private final InUse inUse;
    private final BackupConfig config;

    public Retention(BackupPlan plan, BackupStores stores, BackupCatalogue catalogue, BackupEvents events, InUse inUse,
                     BackupConfig config) {
        this.plan = plan;
        this.stores = stores;
        this.catalogue = catalogue;
        this.events = events;
        this.inUse = inUse;
        this.config = config;
    }

    /** What retention would remove now, oldest first. */
    public List<BackupRecord> candidates(List<BackupRecord> complete) {
        Map<String, Integer> keep = new LinkedHashMap<>();
        plan.schedules().forEach(s -> keep.put(s.name(), s.retention()));
        keep.put("manual", config.manualRetention());
        return candidates(complete, keep, inUse.ids());
    }

    /**
     * The pure rule: per schedule, everything beyond its newest {@code keep} backups, except the newest verified
     * backup of each component and those in use; schedules without a count keep everything.
     */
    public static List<BackupRecord> candidates(List<BackupRecord> complete, Map<String, Integer> keep, Set<String> inUse) {
        Set<String> protectedIds = new HashSet<>(inUse);
        for (String component : BackupPlan.COMPONENTS_ALL) {
            complete.stream().filter(b -> "VERIFIED".equals(b.status()) && b.components().contains(component))
                    .max(Comparator.comparing(BackupRecord::startedAt)).ifPresent(b -> protectedIds.add(b.id()));
        }
        Map<String, List<BackupRecord>> bySchedule = new LinkedHashMap<>();
        complete.stream().sorted(Comparator.comparing(BackupRecord::startedAt).reversed())
                .forEach(b -> bySchedule.computeIfAbsent(b.schedule(), k -> new ArrayList<>()).add(b));
        List<BackupRecord> prune = new ArrayList<>();
        bySchedule.forEach((schedule, newestFirst) -> {
            Integer n = keep.get(schedule);
            if (n == null) {
                return;
            }
            for (int i = n; i < newestFirst.size(); i++) {
                if (!protectedIds.contains(newestFirst.get(i).id())) {
                    prune.add(newestFirst.get(i));
                }
            }
        });
        prune.sort(Comparator.comparing(BackupRecord::startedAt));
        return prune;
    }

    /** Prunes; answers the ids removed. A store that cannot delete now leaves the backup for the next run. */
    public synchronized List<String> apply() {
        List<BackupRecord> complete = BackupEngine.await(catalogue.list(BackupCatalogue.LISTED, null, null, null, null, 100_000));
        List<String> pruned = new ArrayList<>();
        for (BackupRecord b : candidates(complete)) {
            if (inUse.contains(b.id())) {
                continue;
            }
            // Out of the catalogue first: a backup half-deleted from a store must never be offered for a restore.
            BackupEngine.await(catalogue.pruned(b.id(), Instant.now()));
            try {
                for (BackupStore store : stores.all()) {
                    store.delete(b.id());
                }
            } catch (IOException e) {
                BackupEngine.await(catalogue.cleanupPending(b.id()));
                LOG.warnf("Backup %s pruned; removing its objects is retried later: %s", b.id(), e.getMessage());
            }
            events.phase(b.id(), BackupPhase.PRUNED, b.schedule(), b.components(), null, b.sizeBytes(), null, null, null);
            pruned.add(b.id());
            LOG.infof("Backup %s (%s) pruned by retention", b.id(), b.schedule());
        }
        return pruned;
    }
}
