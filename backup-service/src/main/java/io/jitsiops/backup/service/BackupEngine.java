package io.jitsiops.backup.service;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.jitsiops.backup.archive.FolderArchiver;
import io.jitsiops.backup.archive.PostgresTools;
import io.jitsiops.backup.config.BackupConfig;
import io.jitsiops.backup.config.BackupPlan;
import io.jitsiops.backup.crypto.SegmentedAesGcm;
import io.jitsiops.backup.repository.BackupCatalogue;
import io.jitsiops.backup.repository.BackupRecord;
import io.jitsiops.backup.store.BackupStores;
import io.jitsiops.backup.store.LocalStore;
import io.jitsiops.backup.store.S3Store;
import io.jitsiops.events.payload.BackupPhase;
import io.jitsiops.readiness.BoundedRetryBuffer;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.vertx.core.json.JsonObject;

/**
 * Writes one backup: each folder as an encrypted tar.gz, each database as an encrypted {@code pg_dump -Fc},
 * streamed into the local staging folder while hashed and, part by part as it is written, to S3 (compression and
 * encryption overlap the network), the manifest last, then the local copy moved into place and the catalogue row made
 * COMPLETED. Anything failing on the way removes what was written in both stores and leaves a FAILED row with the
 * reason: a half-written backup is never listed, and earlier ones are never touched. Blocking: worker threads only.
 */
@Startup // the FAILED rows' buffer is on /q/metrics from start-up (jitsiops_backup_buffer_*{buffer="postgresql"})
@ApplicationScoped
public class BackupEngine {
    private static final Logger LOG = Logger.getLogger(BackupEngine.class);
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();
    private final BackupPlan plan;
    private final BackupStores stores;
    private final BackupCatalogue catalogue;
    private final BackupEvents events;
    private final InUse inUse;
    private final BackupConfig config;
    private final ObjectMapper json;
    private final BackupMetrics metrics;
    private final ReentrantLock oneAtATime = new ReentrantLock(true);
    private volatile String pgDumpVersion;
    private final BoundedRetryBuffer<FailedRow> failedRows;

    public BackupEngine(BackupPlan plan, BackupStores stores, BackupCatalogue catalogue, BackupEvents events, InUse inUse,
                        BackupConfig config, ObjectMapper json, BackupMetrics metrics, MeterRegistry registry,
                        io.vertx.core.Vertx vertx) {
        this.plan = plan;
        this.stores = stores;
        this.catalogue = catalogue;
        this.events = events;
        this.inUse = inUse;
        this.config = config;
        this.json = json;
        this.metrics = metrics;
        this.failedRows = new BoundedRetryBuffer<>("postgresql", 1000, 1,
                rows -> catalogue.fail(rows.get(0).id(), rows.get(0).reason(), rows.get(0).cleanupPending()), vertx);
        failedRows.bindTo(registry, BackupMetrics.BUFFER_METERS);
    }

    /** The components a backup of this schedule (or "manual" with an explicit list) covers. */
    public List<String> componentsFor(String schedule, List<String> requested) {
        List<String> wanted = requested != null && !requested.isEmpty() ? requested
                : plan.schedule(schedule).map(s -> s.components()).orElse(plan.components());
        List<String> available = plan.components();
        for (String c : wanted) {
            if (!BackupPlan.CONFIGURATIONS.equals(c) && !BackupPlan.CERTIFICATES.equals(c) && !BackupPlan.DATABASES.equals(c)) {
                throw new IllegalArgumentException("unknown component '" + c + "': one of configurations, certificates, databases");
            }
        }
        List<String> result = wanted.stream().filter(available::contains).toList();
        if (result.isEmpty()) {
            throw new IllegalArgumentException("nothing to back up: the deployment description has none of " + wanted);
        }
        return result;
    }

    /** A new backup id: time, schedule and a random suffix (two backups in one second stay apart). */
    public static String newId(String schedule, Instant at) {
        byte[] r = new byte[2];
        RANDOM.nextBytes(r);
        return ID_TIME.format(at) + "-" + schedule + "-" + HexFormat.of().formatHex(r);
    }

    /** Runs a backup to completion (or failure); one at a time. */
    public BackupRecord run(String schedule, List<String> components) {
        List<String> parts = componentsFor(schedule, components);
        oneAtATime.lock();
        try {
            Instant started = Instant.now();
            String id = newId(schedule, started);
            await(catalogue.insertRunning(id, schedule, parts, started));
            try (AutoCloseable held = inUse.hold(id)) {
                return write(id, schedule, parts, started);
            } catch (BackupFailedException e) {
                throw e;
            } catch (Exception e) {
                throw new BackupFailedException(id, e.getMessage(), e);
            }
        } finally {
            oneAtATime.unlock();
        }
    }

    private BackupRecord write(String id, String schedule, List<String> parts, Instant started) {
        LocalStore local = stores.local();
        events.phase(id, BackupPhase.STARTED, schedule, parts, local.location(id), null, null, null, null);
        LOG.infof("Backup %s (%s) started: %s", id, schedule, parts);
        try {
            Path staging = local.stage(id);
            List<Manifest.Item> items = new ArrayList<>();
            for (String component : parts) {
                if (BackupPlan.DATABASES.equals(component)) {
                    for (String db : plan.databases().names()) {
                        items.add(database(staging, db));
                    }
                } else {
                    List<Path> folders = plan.folders().get(component);
                    for (int i = 0; i < folders.size(); i++) {
                        items.add(folder(staging, component, i, folders.get(i)));
                    }
                }
            }
            Manifest manifest = new Manifest(Manifest.FORMAT, id, schedule, parts, started, Instant.now(),
                    plan.keys().currentId(), "AES-256-GCM, " + config.encryptionSegmentBytes() + "-byte segments", tools(parts), items);
            byte[] manifestBytes = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest);
            Files.write(staging.resolve(Manifest.FILE), manifestBytes);
            if (stores.s3().isPresent()) {
                stores.s3().get().put(id, Manifest.FILE, staging.resolve(Manifest.FILE)); // last: now the S3 copy is whole
            }
            local.commit(id);
            long size = items.stream().mapToLong(Manifest.Item::storedBytes).sum() + manifestBytes.length;
            String manifestSha = HexFormat.of().formatHex(Streams.sha256().digest(manifestBytes));
            String remote = stores.s3().map(s -> s.location(id)).orElse(null);
            await(catalogue.complete(id, new JsonObject(new String(manifestBytes, java.nio.charset.StandardCharsets.UTF_8)),
                    items.stream().map(Manifest.Item::object).toList(), size, manifestSha, local.location(id), remote,
                    plan.keys().currentId(), manifest.endedAt()));
            events.phase(id, BackupPhase.COMPLETED, schedule, parts, remote != null ? remote : local.location(id), size,
                    manifestSha, null, null);
            metrics.backupFinished(schedule, true, Duration.between(started, Instant.now()), size);
            LOG.infof("Backup %s completed: %d objects, %d bytes", id, items.size(), size);
            return await(catalogue.find(id)).orElseThrow();
        } catch (Exception e) {
            String reason = reason(e);
            boolean pending = cleanUp(id);
            recordFailure(id, reason, pending);
            events.phase(id, BackupPhase.FAILED, schedule, parts, null, null, null, null, reason);
            metrics.backupFinished(schedule, false, Duration.between(started, Instant.now()), 0);
            LOG.warnf("Backup %s failed: %s%s", id, reason, pending ? " (clean-up of a store retried later)" : "");
            throw new BackupFailedException(id, reason, e);
        }
    }

    /** A FAILED row to write once PostgreSQL answers again. */
    record FailedRow(String id, String reason, boolean cleanupPending) {
    }

    /**
     * Marks the backup FAILED in the catalogue; while PostgreSQL is away the row waits in a bounded buffer and is
     * written when it is back, so the catalogue never keeps a RUNNING row of a backup that ended (the objects are
     * already removed from both stores at this point).
     */
    private void recordFailure(String id, String reason, boolean pending) {
        try {
            await(catalogue.fail(id, reason, pending));
        } catch (RuntimeException e) {
            LOG.warnf("Backup %s failed and the catalogue is unreachable (%s): its FAILED row is written when PostgreSQL is back",
                    id, reason(e));
            failedRows.offer(new FailedRow(id, reason, pending));
        }
    }

    /** The FAILED rows waiting for PostgreSQL (tests). */
    public BoundedRetryBuffer<?> failedRows() {
        return failedRows;
    }

    /** Removes whatever a failed backup wrote, in every store; false when all is gone. */
    public boolean cleanUp(String id) {
        boolean pending = false;
        try {
            stores.local().delete(id);
        } catch (IOException e) {
            pending = true;
            LOG.warnf("Could not remove the local objects of failed backup %s: %s", id, e.getMessage());
        }
        if (stores.s3().isPresent()) {
            try {
                stores.s3().get().delete(id);
            } catch (IOException e) {
                pending = true;
                LOG.debugf("S3 objects of %s not removed yet: %s", id, e.getMessage());
            }
        }
        return pending;
    }

    private Manifest.Item folder(Path staging, String component, int index, Path source) throws IOException {
        String object = component + "-" + (index + 1) + "-" + safe(source.getFileName() == null ? "root" : source.getFileName().toString())
                + ".tar.gz.enc";
        S3Store.StreamingUpload remote = stores.s3().map(s -> s.stream(staging.getFileName().toString(), object)).orElse(null);
        try (OutputStream file = Files.newOutputStream(staging.resolve(object))) {
            Streams.Measured stored = new Streams.Measured(Streams.tee(new BufferedOutputStream(file, 256 * 1024), remote));
            Streams.Counted plain;
            FolderArchiver.Summary summary;
            try (OutputStream enc = SegmentedAesGcm.encrypt(stored, plan.keys().current(), plan.keys().currentId(),
                    config.encryptionSegmentBytes())) {
                plain = new Streams.Counted(enc);
                OutputStream gz = Streams.gzip(plain, config.compressionLevel());
                summary = FolderArchiver.archive(source, gz);
                gz.close();
            }
            Map<String, Long> files = new LinkedHashMap<>();
            files.put("files", summary.files());
            files.put("folders", summary.folders());
            files.put("links", summary.links());
            files.put("contentBytes", summary.contentBytes());
            if (remote != null) {
                remote.finish();
            }
            return new Manifest.Item(component, "folder", source.toString(), object, stored.count(), stored.sha256Hex(),
                    plain.count(), files, null, summary.skipped());
        } catch (IOException | RuntimeException e) {
            if (remote != null) {
                remote.abort();
            }
            throw new IOException(component + " " + source + ": " + e.getMessage(), e);
        }
    }

    private Manifest.Item database(Path staging, String db) throws IOException {
        String object = "databases-" + safe(db) + ".dump.enc";
        PostgresTools pg = stores.postgres();
        S3Store.StreamingUpload remote = stores.s3().map(s -> s.stream(staging.getFileName().toString(), object)).orElse(null);
        try (OutputStream file = Files.newOutputStream(staging.resolve(object))) {
            Streams.Measured stored = new Streams.Measured(Streams.tee(new BufferedOutputStream(file, 256 * 1024), remote));
            Streams.Counted plain;
            PostgresTools.DumpResult result;
            try (OutputStream enc = SegmentedAesGcm.encrypt(stored, plan.keys().current(), plan.keys().currentId(),
                    config.encryptionSegmentBytes())) {
                plain = new Streams.Counted(enc);
                result = pg.dump(db, plain);
            }
            if (remote != null) {
                remote.finish();
            }
            return new Manifest.Item(BackupPlan.DATABASES, "postgresql", db, object, stored.count(), stored.sha256Hex(),
                    plain.count(), null, result.rowCounts(), List.of("server " + result.serverVersion()));
        } catch (IOException | RuntimeException e) {
            if (remote != null) {
                remote.abort();
            }
            throw new IOException("database " + db + ": " + e.getMessage(), e);
        }
    }

    private Map<String, String> tools(List<String> parts) {
        Map<String, String> tools = new LinkedHashMap<>();
        tools.put("jitsi-ops", "backup-service " + BackupEngine.class.getPackage().getImplementationVersion());
        tools.put("java", System.getProperty("java.vendor") + " " + System.getProperty("java.version"));
        tools.put("archive", "tar (POSIX/PAX, Apache Commons Compress) + gzip level " + config.compressionLevel());
        if (parts.contains(BackupPlan.DATABASES)) {
            try {
                if (pgDumpVersion == null) {
                    pgDumpVersion = stores.postgres().pgDumpVersion();
                }
                tools.put("pg_dump", pgDumpVersion + ", custom format (-Fc)");
            } catch (IOException e) {
                tools.put("pg_dump", "version unknown: " + e.getMessage());
            }
        }
        return tools;
    }

    static String reason(Throwable e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t instanceof java.util.concurrent.CompletionException
                || t instanceof java.io.UncheckedIOException) && t.getCause() != null) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    io.smallrye.mutiny.Uni<BackupRecord> catalogueFind(String id) {
        return catalogue.find(id).map(o -> o.orElseThrow());
    }

    static <T> T await(io.smallrye.mutiny.Uni<T> uni) {
        return uni.await().atMost(Duration.ofSeconds(30));
    }
}
