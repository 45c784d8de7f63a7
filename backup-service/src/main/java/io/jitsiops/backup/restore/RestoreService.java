package io.jitsiops.backup.restore;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.jitsiops.backup.archive.FolderArchiver;
import io.jitsiops.backup.archive.FolderExtractor;
import io.jitsiops.backup.archive.PostgresTools;
import io.jitsiops.backup.config.BackupConfig;
import io.jitsiops.backup.config.BackupPlan;
import io.jitsiops.backup.crypto.SegmentedAesGcm;
import io.jitsiops.backup.repository.BackupCatalogue;
import io.jitsiops.backup.repository.BackupRecord;
import io.jitsiops.backup.service.BackupEvents;
import io.jitsiops.backup.service.InUse;
import io.jitsiops.backup.service.Manifest;
import io.jitsiops.backup.service.Verifier;
import io.jitsiops.backup.store.BackupStore;
import io.jitsiops.backup.store.BackupStores;
import io.jitsiops.backup.verify.Check;
import io.jitsiops.events.payload.BackupLifecycle;
import io.jitsiops.events.payload.BackupPhase;

/**
 * The seed's DisasterRecovery, with a way back: check the backup (every object's checksum, then a full
 * decryption, before anything is touched), take a safety snapshot of what will be overwritten, stop the affected
 * services, restore folders and databases, start the services, verify (restored files against the archive, row
 * counts against the manifest, each service's health check). If any step after the snapshot fails, the snapshot
 * is put back the same way. Every step is a row of the restore and an event. A dry run stops after the checks
 * and reports what would be overwritten. Blocking: worker threads only; one restore at a time.
 */
@ApplicationScoped
public class RestoreService {
    private static final Logger LOG = Logger.getLogger(RestoreService.class);
    private final BackupPlan plan;
    private final BackupStores stores;
    private final BackupCatalogue catalogue;
    private final RestoreRecords records;
    private final Verifier verifier;
    private final BackupEvents events;
    private final InUse inUse;
    private final BackupConfig config;
    private final ServiceControl services;
    private final ReentrantLock oneAtATime = new ReentrantLock();

    public RestoreService(BackupPlan plan, BackupStores stores, BackupCatalogue catalogue, RestoreRecords records,
                          Verifier verifier, BackupEvents events, InUse inUse, BackupConfig config) {
        this.plan = plan;
        this.stores = stores;
        this.catalogue = catalogue;
        this.records = records;
        this.verifier = verifier;
        this.events = events;
        this.inUse = inUse;
        this.config = config;
        this.services = new ServiceControl(config.restore().services(), config.restore().startTimeout());
    }

    /** A failed step: its name and reason. */
    static final class StepFailed extends Exception {
        StepFailed(String step, String reason, Throwable cause) {
            super(step + ": " + reason, cause);
        }
    }

    /** Checks the request before any work: the backup exists, is complete and holds the components. */
    public List<String> validate(String backupId, List<String> components) {
        BackupRecord b = await(catalogue.find(backupId)).orElseThrow(() -> new IllegalArgumentException("no backup " + backupId));
        if (!BackupCatalogue.LISTED.contains(b.status())) {
            throw new IllegalStateException("backup " + backupId + " is " + b.status() + ": only complete backups can be restored");
        }
        List<String> wanted = components == null || components.isEmpty() ? b.components() : components;
        for (String c : wanted) {
            if (!b.components().contains(c)) {
                throw new IllegalArgumentException("backup " + backupId + " holds " + b.components() + ", not '" + c + "'");
            }
        }
        return wanted;
    }

    public String newId() {
        byte[] r = new byte[4];
        new SecureRandom().nextBytes(r);
        return "restore-" + Instant.now().getEpochSecond() + "-" + HexFormat.of().formatHex(r);
    }

    public RestoreRecords.Restore restore(String restoreId, String backupId, List<String> components, boolean dryRun) {
        List<String> parts = validate(backupId, components);
        oneAtATime.lock();
        try (AutoCloseable held = inUse.hold(backupId)) {
            return run(restoreId, await(catalogue.find(backupId)).orElseThrow(), parts, dryRun);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        } finally {
            oneAtATime.unlock();
        }
    }

    private RestoreRecords.Restore run(String id, BackupRecord b, List<String> parts, boolean dryRun) {
        Instant started = Instant.now();
        await(records.start(id, b.id(), parts, dryRun, started));
        Steps steps = new Steps(id, b);
        events.publish(event(b, BackupPhase.RESTORE_STARTED, id, null, null));
        Manifest m = verifier.manifest(b);
        List<Manifest.Item> items = m.items().stream().filter(i -> parts.contains(i.component())).toList();
        Path work = stores.local().root().resolve(".restores").resolve(id);
        List<String> affected = services.affected(parts);
        boolean snapshotTaken = false;
        List<String> stopped = new ArrayList<>();
        try {
            BackupStore source = steps.run("check-backup", () -> sourceStore(b, m, items));
            if (dryRun) {
                steps.run("dry-run", () -> wouldOverwrite(items, affected));
                return finish(id, b, "COMPLETED", null, BackupPhase.RESTORE_COMPLETED);
            }
            steps.run("safety-snapshot", () -> {
                Files.createDirectories(work);
                return snapshot(items, work);
            });
            snapshotTaken = true;
            steps.run("stop-services", () -> {
                for (String s : affected) {
                    services.stop(s);
                    stopped.add(s);
                }
                return affected.isEmpty() ? "no service configured for " + parts : "stopped " + affected;
            });
            Map<String, Map<String, String>> digests = new LinkedHashMap<>();
            for (String component : parts) {
                List<Manifest.Item> of = items.stream().filter(i -> i.component().equals(component)).toList();
                steps.run("restore-" + component, () -> BackupPlan.DATABASES.equals(component)
                        ? restoreDatabases(source, b.id(), of) : restoreFolders(source, b.id(), of, digests));
            }
            steps.run("start-services", () -> {
                for (String s : affected) {
                    services.start(s);
                    stopped.remove(s);
                }
                return affected.isEmpty() ? "none" : "started " + affected;
            });
            steps.run("verify", () -> verifyRestored(items, digests, affected));
            deleteQuietly(work);
            return finish(id, b, "COMPLETED", null, BackupPhase.RESTORE_COMPLETED);
        } catch (StepFailed failed) {
            String reason = failed.getMessage();
            if (!snapshotTaken) {
                deleteQuietly(work);
                return finish(id, b, "FAILED", reason, BackupPhase.RESTORE_FAILED);
            }
            try {
                steps.run("rollback", () -> rollback(items, work, affected));
                return finish(id, b, "ROLLED_BACK", reason, BackupPhase.RESTORE_ROLLED_BACK);
            } catch (StepFailed rollbackFailed) {
                LOG.errorf("Restore %s failed (%s) and so did its rollback (%s); the safety snapshot stays in %s", id, reason,
                        rollbackFailed.getMessage(), work);
                return finish(id, b, "ROLLBACK_FAILED", reason + "; rollback: " + rollbackFailed.getMessage()
                        + " (safety snapshot kept in " + work + ")", BackupPhase.RESTORE_FAILED);
            }
        }
    }

    /** The store to restore from: the local copy when it is intact, else S3; then a full decryption of each object. */

    private BackupStore sourceStore(BackupRecord b, Manifest m, List<Manifest.Item> items) throws IOException {
        Manifest only = new Manifest(m.format(), m.backupId(), m.schedule(), m.components(), m.startedAt(), m.endedAt(), m.keyId(),
                m.encryption(), m.tools(), items);
        List<String> problems = new ArrayList<>();
        for (BackupStore store : stores.all()) {
            List<Check> checks = verifier.checksums(store, b, only);
            List<Check> bad = checks.stream().filter(c -> !c.ok()).toList();
            if (bad.isEmpty()) {
                for (Manifest.Item item : items) {
                    try (InputStream in = SegmentedAesGcm.decrypt(store.open(b.id(), item.object()), plan.keys()::byId)) {
                        in.transferTo(OutputStream.nullOutputStream());
                    } catch (IOException e) {
                        throw new IOException(item.object() + ": " + e.getMessage(), e);
                    }
                }
                return store;
            }
            bad.forEach(c -> problems.add(store.name() + " " + c.item() + ": " + c.detail()));
        }
        throw new IOException("no intact copy to restore from: " + String.join("; ", problems));
    }

    private String wouldOverwrite(List<Manifest.Item> items, List<String> affected) throws IOException {
        List<String> lines = new ArrayList<>();
        for (Manifest.Item i : items) {
            if ("folder".equals(i.kind())) {
                Path p = Path.of(i.source());
                long n = 0;
                if (Files.isDirectory(p)) {
                    try (var walk = Files.walk(p)) {
                        n = walk.filter(Files::isRegularFile).count();
                    }
                }
                lines.add(i.source() + " (" + n + " files now, " + i.files().get("files") + " in the backup)");
            } else {
                boolean exists = stores.postgres().databaseExists(i.source());
                lines.add("database " + i.source() + (exists ? " (exists, replaced)" : " (absent, created)"));
            }
        }
        return "would overwrite " + String.join(", ", lines) + "; would stop " + (affected.isEmpty() ? "no service" : affected);
    }

    private String snapshot(List<Manifest.Item> items, Path work) throws IOException {
        PostgresTools pg = stores.postgres();
        int n = 0;
        for (Manifest.Item i : items) {
            Path out = work.resolve("safety-" + i.object());
            if ("folder".equals(i.kind())) {
                Path source = Path.of(i.source());
                if (!Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
                    continue; // nothing there to keep: the rollback leaves it absent again
                }
                try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(out));
                     OutputStream enc = SegmentedAesGcm.encrypt(file, plan.keys().current(), plan.keys().currentId(),
                             config.encryptionSegmentBytes())) {
                    FolderArchiver.archive(source, enc);
                }
            } else if (pg.databaseExists(i.source())) {
                try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(out));
                     OutputStream enc = SegmentedAesGcm.encrypt(file, plan.keys().current(), plan.keys().currentId(),
                             config.encryptionSegmentBytes())) {
                    pg.dump(i.source(), enc);
                }
            }
            n++;
        }
        return n + " item(s) kept in " + work;
    }

    private String restoreFolders(BackupStore source, String backupId, List<Manifest.Item> items,
                                  Map<String, Map<String, String>> digests) throws IOException {
        long files = 0;
        for (Manifest.Item i : items) {
            Path target = Path.of(i.source());
            Files.createDirectories(target);
            FolderExtractor.empty(target);
            try (InputStream in = new java.util.zip.GZIPInputStream(SegmentedAesGcm.decrypt(source.open(backupId, i.object()),
                    plan.keys()::byId), 256 * 1024)) {
                Map<String, String> d = FolderExtractor.extract(in, target, true);
                digests.put(i.source(), d);
                files += d.size();
            }
        }
        return files + " files restored from " + source.name();
    }

    private String restoreDatabases(BackupStore source, String backupId, List<Manifest.Item> items) throws IOException {
        PostgresTools pg = stores.postgres();
        for (Manifest.Item i : items) {
            replaceDatabase(pg, i.source(), () -> SegmentedAesGcm.decrypt(source.open(backupId, i.object()), plan.keys()::byId));
        }
        return items.size() + " database(s) restored from " + source.name();
    }

    interface Opener {
        InputStream open() throws IOException;
    }

    private static void replaceDatabase(PostgresTools pg, String db, Opener dump) throws IOException {
        pg.dropDatabase(db);
        pg.createDatabase(db);
        try (InputStream in = dump.open()) {
            pg.restoreInto(db, in, true);
        }
    }

    private String verifyRestored(List<Manifest.Item> items, Map<String, Map<String, String>> digests, List<String> affected)
            throws IOException {
        int files = 0;
        for (Manifest.Item i : items) {
            if ("folder".equals(i.kind())) {
                for (Map.Entry<String, String> e : digests.getOrDefault(i.source(), Map.of()).entrySet()) {
                    Path f = Path.of(i.source()).resolve(e.getKey());
                    String[] d;
                    try (InputStream in = Files.newInputStream(f)) {
                        d = digest(in);
                    }
                    if (!d[0].equals(e.getValue())) {
                        throw new IOException(f + " differs from the backup after the restore");
                    }
                    files++;
                }
            } else {
                Map<String, Long> counts = stores.postgres().rowCounts(i.source());
                if (!counts.equals(i.rowCounts())) {
                    throw new IOException("database " + i.source() + " has " + counts + " rows per table, the backup " + i.rowCounts());
                }
            }
        }
        for (String s : affected) {
            services.awaitHealthy(s);
        }
        return files + " files match the backup; database row counts match; " + (affected.isEmpty() ? "no service to check"
                : affected + " healthy");
    }

    private String rollback(List<Manifest.Item> items, Path work, List<String> affected) throws IOException {
        for (String s : affected) {
            try {
                services.stop(s);
            } catch (IOException alreadyStopped) {
                // a service the failed step left stopped: nothing to stop
            }
        }
        PostgresTools pg = stores.postgres();
        for (Manifest.Item i : items) {
            Path safety = work.resolve("safety-" + i.object());
            if ("folder".equals(i.kind())) {
                Path target = Path.of(i.source());
                FolderExtractor.empty(target);
                if (Files.exists(safety)) {
                    try (InputStream in = SegmentedAesGcm.decrypt(Files.newInputStream(safety), plan.keys()::byId)) {
                        FolderExtractor.extract(in, target, true);
                    }
                }
            } else if (Files.exists(safety)) {
                replaceDatabase(pg, i.source(), () -> SegmentedAesGcm.decrypt(Files.newInputStream(safety), plan.keys()::byId));
            } else {
                pg.dropDatabase(i.source());
            }
        }
        for (String s : affected) {
            services.start(s);
        }
        for (String s : affected) {
            services.awaitHealthy(s);
        }
        FolderExtractor.deleteTree(work);
        return "safety snapshot restored" + (affected.isEmpty() ? "" : ", " + affected + " healthy");
    }

    private RestoreRecords.Restore finish(String id, BackupRecord b, String status, String error, BackupPhase phase) {
        await(records.finish(id, status, error, Instant.now()));
        events.publish(event(b, phase, id, "restore", error));
        if (error != null) {
            LOG.warnf("Restore %s of backup %s: %s (%s)", id, b.id(), status, error);
        } else {
            LOG.infof("Restore %s of backup %s: %s", id, b.id(), status);
        }
        return await(records.find(id)).orElseThrow();
    }

    private BackupLifecycle event(BackupRecord b, BackupPhase phase, String restoreId, String step, String error) {
        return new BackupLifecycle(b.id(), phase, b.schedule(), b.components(), restoreId, null, null, step, error, Instant.now());
    }

    /** Runs the steps of one restore, recording each as a row and an event. */
    private final class Steps {
        private final String restoreId;
        private final BackupRecord backup;
        private int seq;

        Steps(String restoreId, BackupRecord backup) {
            this.restoreId = restoreId;
            this.backup = backup;
        }

        <T> T run(String step, StepBody<T> body) throws StepFailed {
            Instant started = Instant.now();
            seq++;
            try {
                T result = body.run();
                String detail = result instanceof BackupStore s ? "every object intact and decryptable in the " + s.name() + " store"
                        : String.valueOf(result);
                await(records.step(restoreId, new RestoreRecords.Step(seq, step, "OK", detail, started, Instant.now())));
                events.publish(event(backup, BackupPhase.RESTORE_STEP, restoreId, step, null));
                return result;
            } catch (Exception e) {
                String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                await(records.step(restoreId, new RestoreRecords.Step(seq, step, "FAILED", reason, started, Instant.now())));
                events.publish(event(backup, BackupPhase.RESTORE_STEP, restoreId, step, reason));
                throw new StepFailed(step, reason, e);
            }
        }
    }

    interface StepBody<T> {
        T run() throws Exception;
    }

    private static String[] digest(InputStream in) throws IOException {
        java.security.MessageDigest sha;
        try {
            sha = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = in.read(buffer)) > 0) {
            sha.update(buffer, 0, n);
        }
        return new String[] { HexFormat.of().formatHex(sha.digest()) };
    }

    private static void deleteQuietly(Path p) {
        try {
            FolderExtractor.deleteTree(p);
        } catch (IOException ignored) {
            // a leftover empty work folder costs nothing
        }
    }

    private static <T> T await(io.smallrye.mutiny.Uni<T> uni) {
        return uni.await().atMost(java.time.Duration.ofSeconds(30));
    }
}
