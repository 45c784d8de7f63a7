package io.jitsiops.backup;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.jitsiops.backup.repository.BackupCatalogue;
import io.jitsiops.backup.repository.BackupRecord;
import io.jitsiops.backup.service.BackupEngine;
import io.jitsiops.backup.service.BackupFailedException;
import io.jitsiops.backup.service.BackupMetrics;
import io.jitsiops.backup.service.BackupService;
import io.jitsiops.backup.service.Janitor;
import io.jitsiops.backup.service.Manifest;
import io.jitsiops.backup.service.Verifier;
import io.jitsiops.backup.store.BackupStore;
import io.jitsiops.backup.store.BackupStores;
import io.jitsiops.backup.verify.Check;
import io.jitsiops.testkit.KafkaRecords;
import io.jitsiops.testkit.LocalServers;
import io.jitsiops.testkit.server.PostgresServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The worst days: S3 killed in the middle of uploads (a loop of kills), pg_dump killed mid-dump, retention, stale
 * backups. Each failure is a FAILED backup with its reason, nothing half-written is listed or left in a store,
 * and earlier backups stay intact.
 */
@QuarkusTest
@QuarkusTestResource(BackupTestResource.class)
class FaultsTest {
    /** How many S3 kills the loop does; the 20 with -Djitsiops.test.s3-kills=20. */
    static final int KILLS = Integer.getInteger("jitsiops.test.s3-kills", 4);
    @Inject
    BackupEngine engine;
    @Inject
    BackupService service;
    @Inject
    Janitor janitor;
    @Inject
    Verifier verifier;
    @Inject
    BackupStores stores;
    @Inject
    BackupCatalogue catalogue;
    @Inject
    BackupMetrics metrics;

    @Test
    void s3KilledMidUploadNeverLeavesAHalfWrittenBackupVisibleNorTouchesEarlierOnes() throws Exception {
        Path big = BackupTestResource.etc().resolve("jitsi/recordings.bin");
        byte[] noise = new byte[14 << 20];
        new SecureRandom().nextBytes(noise);
        Files.write(big, noise);
        try {
            BackupRecord earlier = engine.run("manual", List.of("configurations"));
            SecureRandom random = new SecureRandom();
            int failed = 0;
            for (int i = 0; i < KILLS; i++) {
                CompletableFuture<BackupRecord> run = CompletableFuture.supplyAsync(() -> engine.run("manual", List.of("configurations")));
                Thread.sleep(150 + random.nextInt(500));
                LocalServers.s3().stop();
                try {
                    run.get(120, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(BackupFailedException.class);
                    assertThat(e.getCause().getMessage()).containsIgnoringCase("S3");
                    failed++;
                } finally {
                    LocalServers.s3().start();
                }
                assertThat(janitor.cleanUp()).as("clean-ups still owed after S3 came back").isZero();
                assertNothingHalfVisible();
            }
            assertThat(failed).as("kills that hit an upload").isPositive();
            Manifest m = verifier.manifest(catalogue.find(earlier.id()).await().indefinitely().orElseThrow());
            for (BackupStore store : stores.all()) {
                assertThat(verifier.checksums(store, earlier, m)).allMatch(Check::ok);
            }
        } finally {
            Files.deleteIfExists(big);
        }
    }

    /** Every listed backup has all its objects, with the manifest's sizes, in both stores; failed ones have none. */
    void assertNothingHalfVisible() throws Exception {
        List<BackupRecord> all = catalogue.list(List.of("RUNNING", "COMPLETED", "FAILED", "VERIFIED", "VERIFICATION_FAILED"),
                null, null, null, null, 1000).await().indefinitely();
        for (BackupRecord b : all) {
            for (BackupStore store : stores.all()) {
                if (b.usable() || "VERIFICATION_FAILED".equals(b.status())) {
                    Manifest m = verifier.manifest(b);
                    for (Manifest.Item item : m.items()) {
                        assertThat(store.size(b.id(), item.object())).as(store.name() + " " + b.id() + " " + item.object())
                                .isEqualTo(item.storedBytes());
                    }
                    assertThat(store.size(b.id(), Manifest.FILE)).isPositive();
                } else if ("FAILED".equals(b.status())) {
                    assertThat(store.backupIds()).as("objects of failed backup " + b.id() + " in " + store.name()).doesNotContain(b.id());
                }
            }
        }
    }

    @Test
    void pgDumpKilledMidDumpFailsTheBackupWithItsReasonAndLeavesNothing() throws Exception {
        PostgresServer pg = LocalServers.postgres();
        pg.psql("jicofo", "CREATE TABLE bulk AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, 1500000) g");
        try {
            CompletableFuture<BackupRecord> run = CompletableFuture.supplyAsync(() -> engine.run("manual", List.of("databases")));
            Instant deadline = Instant.now().plusSeconds(60);
            String killed = "";
            while (killed.isBlank() && Instant.now().isBefore(deadline) && !run.isDone()) {
                killed = pg.psql("postgres", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        + "WHERE application_name = 'pg_dump' AND datname = 'jicofo'").trim();
                Thread.sleep(20);
            }
            assertThat(killed).as("pg_dump seen and terminated").contains("t");
            assertThatThrownBy(() -> run.get(60, TimeUnit.SECONDS)).hasCauseInstanceOf(BackupFailedException.class)
                    .hasMessageContaining("database jicofo").hasMessageContaining("pg_dump exited with status");
            String id = ((BackupFailedException) catchCause(run)).backupId();
            BackupRecord r = catalogue.find(id).await().indefinitely().orElseThrow();
            assertThat(r.status()).isEqualTo("FAILED");
            assertThat(r.error()).contains("pg_dump");
            given().get("/api/backups").then().body("id", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(id)));
            for (BackupStore store : stores.all()) {
                assertThat(store.backupIds()).doesNotContain(id);
            }
            var event = KafkaRecords.first("jitsi-ops.backups", rec -> ("backup/" + id).equals(rec.key())
                    && new String(rec.value(), StandardCharsets.UTF_8).contains("\"FAILED\""));
            assertThat(new String(event.value(), StandardCharsets.UTF_8)).contains("pg_dump exited with status");
        } finally {
            pg.psql("jicofo", "DROP TABLE IF EXISTS bulk");
        }
    }

    @Test
    void aFullDiskFailsTheBackupWithItsReasonLeavesNothingAndEarlierBackupsStayIntact() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")),
                "disk-full test skipped: mounting a 2 MiB tmpfs over the backup folder needs root");
        BackupRecord earlier = engine.run("manual", List.of("configurations"));
        Path big = BackupTestResource.etc().resolve("jitsi/recording-too-big-for-the-disk.bin");
        byte[] noise = new byte[4 << 20];
        new SecureRandom().nextBytes(noise);
        Files.write(big, noise);
        Path localDir = stores.local().root();
        // a real small file system where the backups are written: 2 MiB, full long before the 4 MiB archive is
        mount("mount", "-t", "tmpfs", "-o", "size=2m", "jitsi-ops-disk-full", localDir.toString());
        String id;
        try {
            assertThatThrownBy(() -> engine.run("manual", List.of("configurations")))
                    .isInstanceOf(BackupFailedException.class).hasMessageContaining("No space left on device");
            id = catalogue.list(List.of("FAILED"), "manual", null, null, null, 1).await().indefinitely().get(0).id();
            BackupRecord failed = catalogue.find(id).await().indefinitely().orElseThrow();
            assertThat(failed.error()).contains("No space left on device");
            for (BackupStore store : stores.all()) {
                assertThat(store.backupIds()).as(store.name()).doesNotContain(id);
            }
            given().get("/api/backups").then().body("id", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(id)));
        } finally {
            Files.deleteIfExists(big);
            mount("umount", localDir.toString());
        }
        Manifest m = verifier.manifest(catalogue.find(earlier.id()).await().indefinitely().orElseThrow());
        for (BackupStore store : stores.all()) {
            assertThat(verifier.checksums(store, earlier, m)).as("earlier backup in " + store.name()).allMatch(Check::ok);
        }
        assertNothingHalfVisible();
    }

    static void mount(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0 && "umount".equals(command[0])) {
            p = new ProcessBuilder("umount", "-l", command[1]).redirectErrorStream(true).start(); // busy: detach it
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(p.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
    }

    private static Throwable catchCause(CompletableFuture<?> f) {
        try {
            f.get();
            return null;
        } catch (Exception e) {
            return e.getCause();
        }
    }

    @Test
    void retentionKeepsTheScheduleCountInBothStoresAndSaysSo() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(service.backup("tiny", null).id());
        }
        BackupRecord oldest = catalogue.find(ids.get(0)).await().indefinitely().orElseThrow();
        assertThat(oldest.status()).isEqualTo("PRUNED");
        for (BackupStore store : stores.all()) {
            assertThat(store.backupIds()).doesNotContain(ids.get(0)).contains(ids.get(1), ids.get(2));
        }
        KafkaRecords.first("jitsi-ops.backups", rec -> ("backup/" + ids.get(0)).equals(rec.key())
                && new String(rec.value(), StandardCharsets.UTF_8).contains("\"PRUNED\""));
    }

    @Test
    void aStaleEventWhenTheNewestVerifiedBackupIsOlderThan26Hours() {
        service.backup("manual", null);
        assertThat(janitor.checkStale(Instant.now())).isEmpty();
        assertThat(janitor.checkStale(Instant.now().plus(Duration.ofHours(27))))
                .containsExactlyInAnyOrder("configurations", "certificates", "databases");
        var stale = KafkaRecords.first("jitsi-ops.backups", rec -> "backup/stale-databases".equals(rec.key()));
        String body = new String(stale.value(), StandardCharsets.UTF_8);
        assertThat(body).contains("\"STALE\"").contains("\"rpoSeconds\"");
        assertThat(janitor.checkStale(Instant.now())).isEmpty(); // fresh again: the next episode is reported anew
    }

    @Test
    void theRollingReadCheckRereadsBackupsDueAndMarksACorruptedOne() throws Exception {
        BackupRecord b = engine.run("manual", List.of("certificates"));
        LocalServers.postgres().psql("jitsiops", "UPDATE backups.backup SET read_checked_at = now() - interval '40 days' WHERE id = '" + b.id() + "'");
        Path object = Path.of(b.localPath()).resolve(verifier.manifest(b).items().get(0).object());
        RestoreTest.corrupt(object);
        assertThat(janitor.readCheck(1000)).isPositive();
        BackupRecord after = catalogue.find(b.id()).await().indefinitely().orElseThrow();
        assertThat(after.status()).isEqualTo("VERIFICATION_FAILED");
        assertThat(after.verification().toString()).contains("checksum mismatch");
        Map<String, Object> unused = after.verification();
        assertThat(unused).containsEntry("readCheck", true);
    }

    @Test
    void aVerifiedBackupThatFailsItsReadCheckNoLongerCountsForRpoAndRto() throws Exception {
        BackupRecord b = service.backup("manual", null);
        assertThat(catalogue.find(b.id()).await().indefinitely().orElseThrow().status()).isEqualTo("VERIFIED");
        List<String> components = verifier.manifest(b).components();
        for (String c : components) {
            assertThat(metrics.newestVerified(c)).as(c).contains(b.completedAt());
        }
        LocalServers.postgres().psql("jitsiops", "UPDATE backups.backup SET read_checked_at = now() - interval '40 days' WHERE id = '" + b.id() + "'");
        RestoreTest.corrupt(Path.of(b.localPath()).resolve(verifier.manifest(b).items().get(0).object()));
        assertThat(janitor.readCheck(1000)).isPositive();
        assertThat(catalogue.find(b.id()).await().indefinitely().orElseThrow().status()).isEqualTo("VERIFICATION_FAILED");
        // each component falls back to the newest backup still VERIFIED in the catalogue (an earlier test's), or NaN
        var stillVerified = catalogue.newestVerifiedPerComponent().await().indefinitely();
        for (String c : components) {
            Optional<Instant> fallback = stillVerified.stream().filter(n -> n.component().equals(c)).map(n -> n.completedAt()).findFirst();
            assertThat(metrics.newestVerified(c)).as(c).isEqualTo(fallback).isNotEqualTo(Optional.of(b.completedAt()));
        }
    }

    @Test
    void aVerifiedBackupThatFailsAVerificationAskedForAgainNoLongerCountsForRpoAndRto() throws Exception {
        BackupRecord b = service.backup("manual", List.of("configurations"));
        assertThat(metrics.newestVerified("configurations")).contains(b.completedAt());
        RestoreTest.corrupt(Path.of(b.localPath()).resolve(verifier.manifest(b).items().get(0).object()));
        assertThat(verifier.verify(b.id()).ok()).isFalse();
        Optional<Instant> fallback = catalogue.newestVerifiedPerComponent().await().indefinitely().stream()
                .filter(n -> n.component().equals("configurations")).map(n -> n.completedAt()).findFirst();
        assertThat(metrics.newestVerified("configurations")).isEqualTo(fallback).isNotEqualTo(Optional.of(b.completedAt()));
    }
}
