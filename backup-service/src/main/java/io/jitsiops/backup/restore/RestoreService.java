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
                          Verifier verifier, BackupEvents events, InUse inUse, BackupConfig config, ServiceControl services) {
        this.plan = plan;
        this.stores = stores;
        this.catalogue = catalogue;
        this.records = records;
        this.verifier = verifier;
        this.events = events;
        this.inUse = inUse;
        this.config = config;
        this.services = services;
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
            Map<String, Instant> restarted = new LinkedHashMap<>();
            steps.run("start-services", () -> {
                for (String s : affected) {
                    restarted.put(s, Instant.now());
                    services.start(s);
                    stopped.remove(s);
                }
                return affected.isEmpty() ? "none" : "started " + affected;
            });
            steps.run("verify", () -> verifyRestored(items, digests, restarted));
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

    /**
     * The store to restore from: the local copy when it is intact, else S3. Each object is read once: hashed against
     * the manifest and decrypted (every segment authenticated) in the same pass, the objects side by side.
     */
    private BackupStore sourceStore(BackupRecord b, Manifest m, List<Manifest.Item> items) throws IOException {
        List<String> problems = new ArrayList<>();
        Manifest manifestOnly = new Manifest(m.format(), m.backupId(), m.schedule(), m.components(), m.startedAt(), m.endedAt(),
                m.keyId(), m.encryption(), m.tools(), List.of());
        for (BackupStore store : stores.all()) {
            List<String> bad = new ArrayList<>();
            verifier.checksums(store, b, manifestOnly).stream().filter(c -> !c.ok())
                    .forEach(c -> bad.add(store.name() + " " + c.item() + ": " + c.detail()));
            if (bad.isEmpty()) {
                List<java.util.concurrent.Future<String>> reads = new ArrayList<>();
                for (Manifest.Item item : items) {
                    reads.add(io.jitsiops.backup.service.Streams.PARALLEL.submit(() -> readWhole(store, b.id(), item)));
                }
                for (var r : reads) {
                    String problem = join(r);
                    if (problem != null) {
                        bad.add(store.name() + " " + problem);
                    }
                }
            }
            if (bad.isEmpty()) {
                return store;
            }
            problems.addAll(bad);
        }
        throw new IOException("no intact copy to restore from: " + String.join("; ", problems));
    }

    /** Reads one stored object through SHA-256 and decryption; null when it is intact and opens, else the problem. */
    private String readWhole(BackupStore store, String backupId, Manifest.Item item) {
        java.security.MessageDigest sha = sha256();
        long[] size = new long[1];
        IOException decryption = null;
        try (InputStream stored = new java.io.FilterInputStream(new java.io.BufferedInputStream(store.open(backupId, item.object()),
                1 << 20)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    sha.update(b, off, n);
                    size[0] += n;
                }
                return n;
            }

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }
        }) {
            try {
                SegmentedAesGcm.decrypt(stored, plan.keys()::byId).transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                decryption = e;
            }
            stored.transferTo(OutputStream.nullOutputStream()); // the rest still counts for the checksum
        } catch (IOException e) {
            return item.object() + ": " + e.getMessage();
        }
        String hex = HexFormat.of().formatHex(sha.digest());
        // a changed object is named as such first: a failed decryption of intact bytes is then the key's fault
        if (!hex.equals(item.sha256()) || size[0] != item.storedBytes()) {
            return item.object() + ": checksum mismatch: sha256 " + hex + " (" + size[0] + " bytes), manifest has " + item.sha256()
                    + " (" + item.storedBytes() + " bytes)";
        }
        return decryption == null ? null : item.object() + ": " + decryption.getMessage();
    }

    private static <T> T join(java.util.concurrent.Future<T> f) throws IOException {
        try {
            return f.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
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

    /** Each folder emptied and extracted from the archive, the folders side by side. */
    private String restoreFolders(BackupStore source, String backupId, List<Manifest.Item> items,
                                  Map<String, Map<String, String>> digests) throws IOException {
        List<java.util.concurrent.Future<Map<String, String>>> running = new ArrayList<>();
        for (Manifest.Item i : items) {
            running.add(io.jitsiops.backup.service.Streams.PARALLEL.submit(() -> {
                Path target = Path.of(i.source());
                Files.createDirectories(target);
                FolderExtractor.empty(target);
                try (InputStream in = io.jitsiops.backup.service.Streams.tarOf(source.open(backupId, i.object()), plan.keys())) {
                    return FolderExtractor.extract(in, target, true);
                }
            }));
        }
        long files = 0;
        IOException first = null;
        for (int n = 0; n < items.size(); n++) {
            try {
                Map<String, String> d = join(running.get(n));
                digests.put(items.get(n).source(), d);
                files += d.size();
            } catch (IOException e) {
                first = first == null ? new IOException(items.get(n).source() + ": " + e.getMessage(), e) : first;
            }
        }
        if (first != null) {
            throw first;
        }
        return files + " files restored from " + source.name();
    }

    /** Each database dropped, created and loaded with pg_restore, the databases side by side. */
    private String restoreDatabases(BackupStore source, String backupId, List<Manifest.Item> items) throws IOException {
        PostgresTools pg = stores.postgres();
        List<java.util.concurrent.Future<Void>> running = new ArrayList<>();
        for (Manifest.Item i : items) {
            running.add(io.jitsiops.backup.service.Streams.PARALLEL.submit(() -> {
                replaceDatabase(pg, i.source(), () -> SegmentedAesGcm.decrypt(new java.io.BufferedInputStream(
                        source.open(backupId, i.object()), 1 << 20), plan.keys()::byId));
                return null;
            }));
        }
        IOException first = null;
        for (int n = 0; n < items.size(); n++) {
            try {
                join(running.get(n));
            } catch (IOException e) {
                first = first == null ? new IOException("database " + items.get(n).source() + ": " + e.getMessage(), e) : first;
            }
        }
        if (first != null) {
            throw first;
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

    private String verifyRestored(List<Manifest.Item> items, Map<String, Map<String, String>> digests,
                                  Map<String, Instant> restarted) throws IOException {
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
        List<String> healthy = new ArrayList<>();
        for (Map.Entry<String, Instant> s : restarted.entrySet()) {
            healthy.add(services.awaitHealthy(s.getKey(), s.getValue()));
        }
        return files + " files match the backup; database row counts match; " + (healthy.isEmpty() ? "no service to check"
                : String.join("; ", healthy));
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
        Map<String, Instant> restarted = new LinkedHashMap<>();
        for (String s : affected) {
            restarted.put(s, Instant.now());
            services.start(s);
        }
        List<String> healthy = new ArrayList<>();
        for (Map.Entry<String, Instant> s : restarted.entrySet()) {
            healthy.add(services.awaitHealthy(s.getKey(), s.getValue()));
        }
        FolderExtractor.deleteTree(work);
        return "safety snapshot restored" + (healthy.isEmpty() ? "" : "; " + String.join("; ", healthy));
    }

    private RestoreRecords.Restore finish(String id, BackupRecord b, String status, String error, BackupPhase phase) {
        await(retried(records.finish(id, status, error, Instant.now())));
        events.publish(event(b, phase, id, "restore", error));
        if (error != null) {
            LOG.warnf("Restore %s of backup %s: %s (%s)", id, b.id(), status, error);
        } else {
            LOG.infof("Restore %s of backup %s: %s", id, b.id(), status);
        }
        return await(retried(records.find(id))).orElseThrow();
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
                bookkeep(records.step(restoreId, new RestoreRecords.Step(seq, step, "OK", detail, started, Instant.now())), step);
                events.publish(event(backup, BackupPhase.RESTORE_STEP, restoreId, step, null));
                return result;
            } catch (Exception e) {
                String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                bookkeep(records.step(restoreId, new RestoreRecords.Step(seq, step, "FAILED", reason, started, Instant.now())), step);
                events.publish(event(backup, BackupPhase.RESTORE_STEP, restoreId, step, reason));
                throw new StepFailed(step, reason, e);
            }
        }
    }

    interface StepBody<T> {
        T run() throws Exception;
    }

    private static java.security.MessageDigest sha256() {
        try {
            return java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String[] digest(InputStream in) throws IOException {
        java.security.MessageDigest sha = sha256();
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

    /**
     * A step's row is the restore's record, not part of the work: a write that still fails after its retries is logged
     * and the restore goes on (the step's event on Kafka says the same). Letting it throw would leave a restore half
     * done — services stopped, nothing rolled back — for want of one row.
     */
    private static void bookkeep(io.smallrye.mutiny.Uni<?> write, String step) {
        try {
            await(retried(write));
        } catch (RuntimeException e) {
            LOG.warnf("Restore step %s: its row was not written (%s); the restore goes on", step, e.getMessage());
        }
    }

    /** PostgreSQL writes of the restore's record, retried over a dropped pooled connection (e.g. PostgreSQL restarted). */
    private static <T> io.smallrye.mutiny.Uni<T> retried(io.smallrye.mutiny.Uni<T> write) {
        return write.onFailure().retry().withBackOff(java.time.Duration.ofMillis(200)).atMost(3);
    }

    private static <T> T await(io.smallrye.mutiny.Uni<T> uni) {
        return uni.await().atMost(java.time.Duration.ofSeconds(30));
    }
}
