package io.jitsiops.backup;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.jitsiops.backup.repository.BackupCatalogue;
import io.jitsiops.backup.repository.BackupRecord;
import io.jitsiops.backup.service.BackupEngine;
import io.jitsiops.backup.service.BackupEvents;
import io.jitsiops.backup.service.BackupFailedException;
import io.jitsiops.backup.service.BackupMetrics;
import io.jitsiops.backup.store.BackupStore;
import io.jitsiops.backup.store.BackupStores;
import io.jitsiops.testkit.KafkaRecords;
import io.jitsiops.testkit.LocalServers;
import io.jitsiops.testkit.OidcTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Kafka or PostgreSQL stopped (the real servers) while a backup runs: a backup does not need Kafka, and its events
 * wait and arrive in order when Kafka is back; a backup whose catalogue goes away mid-write ends FAILED in the
 * catalogue once PostgreSQL is back, with nothing of it left in either store.
 */
@QuarkusTest
@QuarkusTestResource(BackupTestResource.class)
class OutageTest {
    @Inject
    BackupEngine engine;
    @Inject
    BackupEvents events;
    @Inject
    BackupCatalogue catalogue;
    @Inject
    BackupStores stores;
    @Inject
    BackupMetrics metrics;

    @Test
    void aBackupTakenWhileKafkaIsAwayIsWrittenAndVerifiedAndItsEventsArriveInOrderWhenKafkaIsBack() {
        var kafka = LocalServers.kafka();
        long dropped = events.buffer().dropped();
        double delivered = Double.parseDouble(RecoveryFiguresAfterRestartTest.series("jitsiops_backup_buffer_delivered_total", "buffer", "kafka"));
        kafka.stop();
        String id;
        try {
            var b = given().auth().oauth2(OidcTokens.withRoles(OidcTokens.ADMIN)).contentType(ContentType.JSON)
                    .body("{\"schedule\":\"manual\",\"components\":[\"configurations\"]}").queryParam("wait", true)
                    .post("/api/backups").then().statusCode(201).extract().jsonPath();
            assertThat(b.getString("status")).isEqualTo("VERIFIED");
            id = b.getString("id");
            assertThat(events.buffer().backlog()).as("events waiting for Kafka").isPositive();
            assertThat(Double.parseDouble(RecoveryFiguresAfterRestartTest.series("jitsiops_backup_buffer_items", "buffer", "kafka")))
                    .as("jitsiops_backup_buffer_items{buffer=\"kafka\"} while Kafka is away").isPositive();
        } finally {
            kafka.start();
        }
        var records = KafkaRecords.collect(List.of("jitsi-ops.backups"), r -> ("backup/" + id).equals(r.key()), 3,
                Duration.ofSeconds(150));
        assertThat(records.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8))
                .map(v -> v.replaceAll("(?s).*\"phase\"\\s*:\\s*\"([A-Z_]+)\".*", "$1")).distinct().toList())
                .containsSubsequence("STARTED", "COMPLETED", "VERIFIED");
        await().atMost(Duration.ofSeconds(60)).until(() -> events.buffer().backlog() == 0);
        assertThat(events.buffer().dropped()).isEqualTo(dropped);
        // as /q/metrics shows it: drained, the three events delivered, nothing dropped
        assertThat(RecoveryFiguresAfterRestartTest.series("jitsiops_backup_buffer_items", "buffer", "kafka")).isEqualTo("0.0");
        assertThat(Double.parseDouble(RecoveryFiguresAfterRestartTest.series("jitsiops_backup_buffer_delivered_total", "buffer", "kafka"))
                - delivered).isGreaterThanOrEqualTo(3);
        assertThat(Double.parseDouble(RecoveryFiguresAfterRestartTest.series("jitsiops_backup_buffer_dropped_total", "buffer", "kafka")))
                .isEqualTo((double) dropped);
    }

    @Test
    void theRecoveryFiguresAreReadFromTheCatalogueOncePostgresqlIsBackInsteadOfGivingUp() throws Exception {
        var postgres = LocalServers.postgres();
        postgres.stop();
        CompletableFuture<Integer> seeded;
        try {
            // what start-up does, with the catalogue away: the first read is refused at once, then retried
            seeded = metrics.seedFromCatalogue().subscribeAsCompletionStage();
            await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> true);
            assertThat(seeded).as("still retrying, not failed, while PostgreSQL is away").isNotDone();
        } finally {
            postgres.start();
        }
        assertThat(seeded.get(90, TimeUnit.SECONDS)).as("components with a verified backup").isNotNegative();
    }

    @Test
    void aBackupWhoseCatalogueGoesAwayMidWriteEndsFailedWhenPostgresqlIsBackAndLeavesNothingInTheStores() throws Exception {
        var postgres = LocalServers.postgres();
        Path big = BackupTestResource.etc().resolve("jitsi/recording-during-outage.bin");
        byte[] noise = new byte[40 << 20];
        new SecureRandom().nextBytes(noise);
        Files.write(big, noise);
        Path staging = stores.local().root().resolve(".staging");
        String id = null;
        try {
            CompletableFuture<BackupRecord> run = CompletableFuture.supplyAsync(() -> engine.run("manual", List.of("configurations")));
            // the RUNNING row is written before the first object is staged: stop PostgreSQL once writing has begun
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.isDirectory(staging) && Files.list(staging).findAny().isPresent());
            id = Files.list(staging).findFirst().orElseThrow().getFileName().toString();
            postgres.stop();
            try {
                Throwable failure = null;
                try {
                    run.get(180, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    failure = e.getCause();
                }
                assertThat(failure).as("the backup ends failed: its catalogue row cannot be completed")
                        .isInstanceOf(BackupFailedException.class);
                assertThat(engine.failedRows().backlog()).as("the FAILED row waits for PostgreSQL").isEqualTo(1);
                for (BackupStore store : stores.all()) {
                    assertThat(store.backupIds()).as(store.name()).doesNotContain(id);
                }
            } finally {
                postgres.start();
            }
            String failedId = id;
            await().atMost(Duration.ofSeconds(60)).until(() -> catalogue.find(failedId).await().indefinitely()
                    .map(r -> "FAILED".equals(r.status())).orElse(false));
            assertThat(catalogue.find(id).await().indefinitely().orElseThrow().error()).isNotBlank();
            assertThat(engine.failedRows().backlog()).isZero();
            given().get("/api/backups").then().statusCode(200).body("id", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(id)));
        } finally {
            Files.deleteIfExists(big);
        }
    }
}
