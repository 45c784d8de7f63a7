package io.jitsiops.backup.service;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.jitsiops.backup.archive.FolderExtractor;
import io.jitsiops.backup.archive.PostgresTools;
import io.jitsiops.backup.config.BackupConfig;
import io.jitsiops.backup.config.BackupPlan;
import io.jitsiops.backup.repository.BackupCatalogue;
import io.jitsiops.backup.repository.BackupRecord;
import io.jitsiops.backup.store.BackupStore;
import io.jitsiops.backup.store.BackupStores;
import io.jitsiops.backup.verify.CertificateChecks;
import io.jitsiops.backup.verify.Check;
import io.jitsiops.backup.verify.ConfigChecks;
import io.jitsiops.backup.verify.Verification;
import io.jitsiops.events.payload.BackupLifecycle;
import io.jitsiops.events.payload.BackupPhase;
import io.vertx.core.json.JsonObject;

/**
 * Proves a backup restores: every object in every store re-read against its size and SHA-256; then, from the
 * remote copy when there is one (the copy a lost host leaves), every folder extracted into a scratch folder and its
 * configuration parsed and certificates checked, every database dump restored into a scratch database and its
 * rows counted per table against the counts taken at dump time. Only when all of that passed is it VERIFIED.
 */
@ApplicationScoped
public class Verifier {
    private static final Logger LOG = Logger.getLogger(Verifier.class);
    private final BackupPlan plan;
    private final BackupStores stores;
    private final BackupCatalogue catalogue;
    private final BackupEvents events;
    private final InUse inUse;
    private final BackupConfig config;
    private final ObjectMapper json;
    private final BackupMetrics metrics;

    public Verifier(BackupPlan plan, BackupStores stores, BackupCatalogue catalogue, BackupEvents events, InUse inUse,
                    BackupConfig config, ObjectMapper json, BackupMetrics metrics) {
        this.plan = plan;
        this.stores = stores;
        this.catalogue = catalogue;
        this.events = events;
        this.inUse = inUse;
        this.config = config;
        this.json = json;
        this.metrics = metrics;
    }

    public Manifest manifest(BackupRecord r) {
        if (r.manifest() == null) {
            throw new IllegalStateException("backup " + r.id() + " has no manifest (status " + r.status() + ")");
        }
        return json.convertValue(r.manifest(), Manifest.class);
    }

    public Verification verify(String id) {
        BackupRecord r = BackupEngine.await(catalogue.find(id)).orElseThrow(() -> new IllegalArgumentException("no backup " + id));
        if (!BackupCatalogue.LISTED.contains(r.status())) {
            throw new IllegalStateException("backup " + id + " is " + r.status() + ": only complete backups can be verified");
        }
        Manifest m = manifest(r);
        Instant started = Instant.now();
        List<Check> checks = new ArrayList<>();
        long restoreMillis = 0;
        try (AutoCloseable held = inUse.hold(id)) {
            BackupStore source = null;
            for (BackupStore store : stores.all()) {
                List<Check> storeChecks = checksums(store, r, m);
                checks.addAll(storeChecks);
                if (storeChecks.stream().allMatch(Check::ok)) {
                    source = store; // the last whole store: S3 when configured
                }
            }
            if (source == null) {
                checks.add(Check.failed("*", "restore", "no store holds every object intact: nothing to restore from"));
            } else {
                long t0 = System.nanoTime();
                checks.addAll(restoreTest(source, r, m));
                restoreMillis = (System.nanoTime() - t0) / 1_000_000;
            }
        } catch (Exception e) {
            checks.add(Check.failed("*", "verify", BackupEngine.reason(e)));
        }
        Verification v = new Verification(id, checks.stream().allMatch(Check::ok), started, Instant.now(), restoreMillis, checks);
        record(r, m, v);
        return v;
    }

    /** Re-reads every object of a backup in one store; the rolling read-check uses it alone. */
    public List<Check> checksums(BackupStore store, BackupRecord r, Manifest m) {
        List<Check> checks = new ArrayList<>();
        String where = store.name();
        try (InputStream in = store.open(r.id(), Manifest.FILE)) {
            String[] d = Streams.digest(in);
            checks.add(Objects.equals(d[0], r.manifestSha256()) ? Check.ok(Manifest.FILE, "checksum-" + where, "sha256 " + d[0])
                    : Check.failed(Manifest.FILE, "checksum-" + where, "sha256 " + d[0] + ", catalogue has " + r.manifestSha256()));
        } catch (IOException e) {
            checks.add(Check.failed(Manifest.FILE, "checksum-" + where, BackupEngine.reason(e)));
        }
        for (Manifest.Item item : m.items()) {
            try (InputStream in = store.open(r.id(), item.object())) {
                String[] d = Streams.digest(in);
                long size = Long.parseLong(d[1]);
                if (!d[0].equals(item.sha256()) || size != item.storedBytes()) {
                    checks.add(Check.failed(item.object(), "checksum-" + where, "checksum mismatch: sha256 " + d[0] + " (" + size
                            + " bytes), manifest has " + item.sha256() + " (" + item.storedBytes() + " bytes)"));
                } else {
                    checks.add(Check.ok(item.object(), "checksum-" + where, "sha256 " + d[0]));
                }
            } catch (IOException e) {
                checks.add(Check.failed(item.object(), "checksum-" + where, BackupEngine.reason(e)));
            }
        }
        return checks;
    }

    /**
     * Restores every item at once (folders extracted and parsed while the dumps load into scratch databases): the
     * items are independent, and a folder's decrypt-gunzip-untar is CPU work in this JVM while a dump's load is
     * pg_restore's and PostgreSQL's, so running them side by side is what makes the RTO shorter than their sum.
     */
    private List<Check> restoreTest(BackupStore source, BackupRecord r, Manifest m) throws IOException {
        List<Check> checks = new ArrayList<>();
        Path scratch = stores.local().root().resolve(".verify").resolve(r.id() + "-" + System.nanoTime());
        Files.createDirectories(scratch);
        try {
            List<java.util.concurrent.Future<List<Check>>> running = new ArrayList<>();
            for (Manifest.Item item : m.items()) {
                running.add(Streams.PARALLEL.submit(() -> {
                    try {
                        return "folder".equals(item.kind()) ? folder(source, r.id(), item, scratch)
                                : List.of(database(source, r.id(), item));
                    } catch (IOException | RuntimeException e) {
                        return List.of(Check.failed(item.object(), "restore", BackupEngine.reason(e)));
                    }
                }));
            }
            for (var f : running) {
                try {
                    checks.addAll(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    checks.add(Check.failed("*", "restore", BackupEngine.reason(e)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while restoring", e);
                }
            }
        } finally {
            FolderExtractor.deleteTree(scratch);
        }
        return checks;
    }

    private List<Check> folder(BackupStore source, String id, Manifest.Item item, Path scratch) throws IOException {
        List<Check> checks = new ArrayList<>();
        Path target = scratch.resolve(item.object());
        Map<String, String> digests;
        long t0 = System.nanoTime();
        try (InputStream in = Streams.tarOf(source.open(id, item.object()), plan.keys())) {
            digests = FolderExtractor.extract(in, target, false, false);
        }
        long took = System.nanoTime() - t0;
        long expected = item.files() == null ? -1 : item.files().getOrDefault("files", -1L);
        checks.add(expected == digests.size()
                ? Check.ok(item.object(), "restore", digests.size() + " files restored from " + source.name() + " in "
                        + took / 1_000_000 + " ms")
                : Check.failed(item.object(), "restore", digests.size() + " files restored, manifest has " + expected));
        Path tmp = Files.createDirectories(scratch.resolve(".tools-" + item.object()));
        if (BackupPlan.CERTIFICATES.equals(item.component())) {
            checks.addAll(CertificateChecks.check(item.object(), target));
        } else {
            boolean nginx = item.source().contains("nginx");
            checks.addAll(ConfigChecks.check(item.object(), target, nginx, tmp));
        }
        return checks;
    }

    private Check database(BackupStore source, String id, Manifest.Item item) throws IOException {
        PostgresTools pg = stores.postgres();
        byte[] r = new byte[4];
        new java.security.SecureRandom().nextBytes(r);
        String scratchDb = (config.scratchDatabasePrefix() + "_" + item.source()).replaceAll("[^A-Za-z0-9_]", "_").toLowerCase()
                + "_" + HexFormat.of().formatHex(r);
        pg.createDatabase(scratchDb);
        long t0 = System.nanoTime();
        try (InputStream in = Streams.decrypt(source.open(id, item.object()), plan.keys())) {
            pg.restoreInto(scratchDb, in, false);
            Map<String, Long> counts = pg.rowCounts(scratchDb);
            Map<String, Long> expected = item.rowCounts() == null ? Map.of() : item.rowCounts();
            if (!counts.equals(expected)) {
                List<String> diff = new ArrayList<>();
                for (String t : new java.util.TreeSet<>(java.util.stream.Stream.concat(counts.keySet().stream(), expected.keySet().stream()).toList())) {
                    if (!Objects.equals(counts.get(t), expected.get(t))) {
                        diff.add(t + ": " + counts.get(t) + " restored, " + expected.get(t) + " at dump time");
                    }
                }
                return Check.failed(item.object(), "row-counts", String.join("; ", diff));
            }
            long rows = counts.values().stream().mapToLong(Long::longValue).sum();
            return Check.ok(item.object(), "row-counts", counts.size() + " tables, " + rows + " rows, equal to the dump-time counts"
                    + " (restored and counted in " + (System.nanoTime() - t0) / 1_000_000 + " ms)");
        } finally {
            try {
                pg.dropDatabase(scratchDb);
            } catch (IOException e) {
                LOG.warnf("Scratch database %s not dropped: %s", scratchDb, e.getMessage());
            }
        }
    }

    private void record(BackupRecord r, Manifest m, Verification v) {
        JsonObject doc = new JsonObject(json.convertValue(v, Map.class));
        BackupEngine.await(catalogue.verified(r.id(), v.ok(), doc, v.restoreMillis(), v.endedAt()));
        metrics.verification(v.ok());
        if (v.ok()) {
            for (String c : m.components()) {
                metrics.verified(c, r.completedAt(), v.restoreMillis());
            }
            Long rpo = m.components().stream().map(metrics::rpoSeconds).filter(Objects::nonNull).max(Long::compare).orElse(null);
            events.publish(new BackupLifecycle(r.id(), BackupPhase.VERIFIED, r.schedule(), m.components(),
                    r.remoteUri() != null ? r.remoteUri() : r.localPath(), r.sizeBytes(), r.manifestSha256(), "verify", null,
                    Instant.now(), rpo, Duration.ofMillis(v.restoreMillis()).toSeconds()));
            LOG.infof("Backup %s verified: %d checks passed, restore took %d ms", r.id(), v.checks().size(), v.restoreMillis());
        } else {
            String reason = v.failures().stream().limit(3).map(c -> c.item() + " " + c.check() + ": " + c.detail())
                    .reduce((a, b) -> a + "; " + b).orElse("failed");
            BackupEngine.await(metrics.failedAgain(r, m.components())); // re-verified on request, and failed this time
            events.phase(r.id(), BackupPhase.FAILED, r.schedule(), m.components(), null, null, null, "verify", reason);
            LOG.warnf("Backup %s failed verification: %s", r.id(), reason);
        }
    }
}
