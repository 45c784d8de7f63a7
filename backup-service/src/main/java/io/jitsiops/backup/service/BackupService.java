package io.jitsiops.backup.service;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.jitsiops.backup.config.BackupConfig;
import io.jitsiops.backup.repository.BackupRecord;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/** A backup from start to proof: write it, verify it, then apply retention. Everything on worker threads. */
@ApplicationScoped
public class BackupService {
    private static final Logger LOG = Logger.getLogger(BackupService.class);
    private final BackupEngine engine;
    private final Verifier verifier;
    private final Retention retention;
    private final BackupConfig config;

    public BackupService(BackupEngine engine, Verifier verifier, Retention retention, BackupConfig config) {
        this.engine = engine;
        this.verifier = verifier;
        this.retention = retention;
        this.config = config;
    }

    /** Blocking: the backup's catalogue row after writing (and verifying) it. */
    public BackupRecord backup(String schedule, List<String> components) {
        BackupRecord r = engine.run(schedule, components);
        if (config.verifyAfterBackup()) {
            verifier.verify(r.id());
        }
        try {
            retention.apply();
        } catch (RuntimeException e) {
            LOG.warnf("Retention after backup %s skipped: %s", r.id(), e.getMessage());
        }
        return BackupEngine.await(engine.catalogueFind(r.id()));
    }

    /** Throws IllegalArgumentException naming what is wrong with the schedule or the components asked for. */
    public void validate(String schedule, List<String> components) {
        engine.componentsFor(schedule, components);
    }

    /** The backup on a worker thread; bad input fails at once, before any work. */
    public Uni<BackupRecord> backupAsync(String schedule, List<String> components) {
        validate(schedule, components);
        return Uni.createFrom().item(() -> backup(schedule, components)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
