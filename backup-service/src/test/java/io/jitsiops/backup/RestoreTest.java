package io.jitsiops.backup;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.jitsiops.testkit.KafkaRecords;
import io.jitsiops.testkit.LocalServers;
import io.jitsiops.testkit.OidcTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Restores against real folders, a real PostgreSQL and a real process standing for prosody: dry run, a full
 * restore, a restore whose restored configuration makes the service unhealthy (rolled back to the safety
 * snapshot), and a backup corrupted on purpose in both stores (refused before anything is touched).
 */
@QuarkusTest
@QuarkusTestResource(BackupTestResource.class)
class RestoreTest {
    static final Path PROSODY_CFG = BackupTestResource.etc().resolve("prosody/conf.d/meet.jitsi.cfg.lua");
    static final Path PID = BackupTestResource.root().resolve("prosody.pid");

    @BeforeAll
    static void startTheService() throws Exception {
        sh("nohup sleep 900 >/dev/null 2>&1 & echo $! > " + PID);
    }

    @AfterAll
    static void stopTheService() throws Exception {
        sh("if [ -f " + PID + " ]; then kill $(cat " + PID + ") || true; rm -f " + PID + "; fi");
    }

    static String backup(String components) {
        JsonPath b = given().auth().oauth2(OidcTokens.withRoles(OidcTokens.ADMIN)).contentType(ContentType.JSON)
                .body("{\"schedule\":\"manual\",\"components\":" + components + "}").queryParam("wait", true)
                .post("/api/backups").then().statusCode(201).extract().jsonPath();
        assertThat(b.getString("status")).as(b.prettify()).isEqualTo("VERIFIED");
        return b.getString("id");
    }

    static JsonPath restore(String id, String components, boolean dryRun, int status) {
        return given().auth().oauth2(OidcTokens.withRoles(OidcTokens.ADMIN)).contentType(ContentType.JSON)
                .body("{\"backupId\":\"" + id + "\",\"components\":" + components + ",\"dryRun\":" + dryRun + "}")
                .post("/api/restores").then().statusCode(status).extract().jsonPath();
    }

    @Test
    void aDryRunReportsAndChangesNothingThenTheRestoreBringsFilesAndRowsBackAndRestartsTheService() throws Exception {
        String id = backup("[\"configurations\",\"databases\"]");
        String jvb = Files.readString(BackupTestResource.etc().resolve("jitsi/jvb.conf"));
        Files.delete(BackupTestResource.etc().resolve("jitsi/jvb.conf"));
        LocalServers.postgres().psql("prosody", "INSERT INTO prosody VALUES ('meet.jitsi','intruder','accounts','password','string','x')");
        String pidBefore = Files.readString(PID).trim();

        JsonPath dry = restore(id, "[\"configurations\",\"databases\"]", true, 200);
        assertThat(dry.getString("status")).isEqualTo("COMPLETED");
        assertThat(dry.getList("steps.step", String.class)).containsExactly("check-backup", "dry-run");
        assertThat(dry.getString("steps[1].detail")).contains("would overwrite").contains("database prosody (exists, replaced)");
        assertThat(BackupTestResource.etc().resolve("jitsi/jvb.conf")).doesNotExist();

        JsonPath r = restore(id, "[\"configurations\",\"databases\"]", false, 200);
        assertThat(r.getString("status")).as(r.prettify()).isEqualTo("COMPLETED");
        assertThat(r.getList("steps.step", String.class)).containsExactly("check-backup", "safety-snapshot", "stop-services",
                "restore-configurations", "restore-databases", "start-services", "verify");
        assertThat(r.getList("steps.status", String.class)).containsOnly("OK");
        assertThat(r.getString("steps.find { it.step == 'verify' }.detail"))
                .contains("prosody healthy per health-service (1 checks of prosody UP since the restart)");
        assertThat(Files.readString(BackupTestResource.etc().resolve("jitsi/jvb.conf"))).isEqualTo(jvb);
        assertThat(Files.getLastModifiedTime(BackupTestResource.etc().resolve("jitsi/jvb.conf")).toInstant().toString())
                .isEqualTo("2025-01-02T03:04:05Z");
        assertThat(Files.isSymbolicLink(BackupTestResource.etc().resolve("nginx/sites-enabled/meet.jitsi.conf"))).isTrue();
        assertThat(LocalServers.postgres().psql("prosody", "SELECT count(*) FROM prosody").trim()).isEqualTo("500");
        assertThat(Files.readString(PID).trim()).isNotEqualTo(pidBefore); // stopped and started again

        given().get("/api/restores/" + r.getString("id")).then().statusCode(200);
        var events = KafkaRecords.collect(List.of("jitsi-ops.backups"), rec -> ("backup/" + id).equals(rec.key()), 12, Duration.ofSeconds(20));
        assertThat(events.stream().map(e -> new String(e.value(), StandardCharsets.UTF_8)))
                .anyMatch(s -> s.contains("RESTORE_STEP") && s.contains("restore-databases"))
                .anyMatch(s -> s.contains("RESTORE_COMPLETED"));
    }

    @Test
    void theRestoresAreListedNewestFirstOpenToReadEachExactlyAsItsOwnAnswerAndWithoutSecrets() throws Exception {
        String id = backup("[\"configurations\",\"databases\"]");
        String older = restore(id, "[\"configurations\"]", true, 200).getString("id");
        String newer = restore(id, "[\"configurations\",\"databases\"]", true, 200).getString("id");

        String body = given().get("/api/restores").then().statusCode(200).contentType(ContentType.JSON).extract().asString();
        List<Map<String, Object>> list = JsonPath.from(body).getList("");
        assertThat(list).hasSizeBetween(2, 20);
        assertThat(list.stream().map(r -> r.get("id"))).startsWith(newer, older);
        assertThat(list.stream().map(r -> (String) r.get("startedAt")).map(java.time.Instant::parse).toList())
                .isSortedAccordingTo(java.util.Comparator.reverseOrder());
        for (Map<String, Object> item : list) { // the same JSON as GET /api/restores/{id}, steps included
            assertThat(item).isEqualTo(given().get("/api/restores/" + item.get("id")).then().statusCode(200).extract()
                    .jsonPath().getMap(""));
        }
        assertThat(list.get(0)).containsEntry("backupId", id).containsEntry("dryRun", true)
                .containsEntry("status", "COMPLETED").containsEntry("components", List.of("configurations", "databases"));
        assertThat(JsonPath.from(body).getList("[0].steps.step", String.class)).containsExactly("check-backup", "dry-run");
        assertThat(body).doesNotContain(BackupTestResource.KEY).doesNotContain(LocalServers.s3().secretKey());

        given().queryParam("limit", 1).get("/api/restores").then().statusCode(200)
                .body("size()", org.hamcrest.Matchers.equalTo(1)).body("[0].id", org.hamcrest.Matchers.equalTo(newer));
        given().queryParam("limit", 0).get("/api/restores").then().statusCode(400)
                .body("error", org.hamcrest.Matchers.equalTo("limit must be 1..200, got 0"));
        given().queryParam("limit", 201).get("/api/restores").then().statusCode(400);
    }

    @Test
    void aRestoreWhoseServiceDoesNotComeBackHealthyIsRolledBackToTheSafetySnapshot() throws Exception {
        String healthy = Files.readString(PROSODY_CFG);
        Files.writeString(PROSODY_CFG, healthy + "-- BROKEN\n");
        String id = backup("[\"configurations\"]");
        Files.writeString(PROSODY_CFG, healthy);
        Path added = BackupTestResource.etc().resolve("prosody/conf.d/added-after.cfg.lua");
        Files.writeString(added, "-- written after the backup\n");
        try {
            JsonPath r = restore(id, "[\"configurations\"]", false, 409);
            assertThat(r.getString("status")).as(r.prettify()).isEqualTo("ROLLED_BACK");
            assertThat(r.getString("error")).startsWith("verify: prosody is not healthy");
            assertThat(r.getList("steps.step", String.class)).endsWith("verify", "rollback");
            assertThat(r.getString("steps.find { it.step == 'rollback' }.status")).isEqualTo("OK");
            assertThat(Files.readString(PROSODY_CFG)).isEqualTo(healthy);
            assertThat(added).exists();
            sh("kill -0 $(cat " + PID + ")"); // running again
        } finally {
            Files.deleteIfExists(added);
            Files.writeString(PROSODY_CFG, healthy);
        }
    }

    @Test
    void aBackupCorruptedInEveryStoreIsRefusedBeforeAnythingIsTouchedAndFailsVerification() throws Exception {
        String id = backup("[\"configurations\"]");
        Map<String, Object> b = given().get("/api/backups/" + id).then().extract().jsonPath().getMap("");
        String object = given().get("/api/backups/" + id).then().extract().jsonPath().getString("manifest.items[0].object");
        corrupt(Path.of((String) b.get("localPath")).resolve(object));
        corrupt(LocalServers.s3().dir().resolve("blobs/jitsi-backups/test/" + id + "/" + object));
        Path marker = BackupTestResource.etc().resolve("jitsi/after-corruption.conf");
        Files.writeString(marker, "a = 1\n");
        try {
            JsonPath r = restore(id, "[\"configurations\"]", false, 409);
            assertThat(r.getString("status")).isEqualTo("FAILED");
            assertThat(r.getString("error")).contains("check-backup").contains("checksum mismatch");
            assertThat(r.getList("steps.step", String.class)).containsExactly("check-backup");
            assertThat(marker).exists(); // nothing was touched
            given().auth().oauth2(OidcTokens.withRoles(OidcTokens.ADMIN)).post("/api/backups/" + id + "/verify").then()
                    .statusCode(200).body("ok", org.hamcrest.Matchers.equalTo(false));
            given().get("/api/backups/" + id).then().body("status", org.hamcrest.Matchers.equalTo("VERIFICATION_FAILED"));
        } finally {
            Files.deleteIfExists(marker);
        }
    }

    @Test
    void aServiceHealthServiceReportsDownIsRolledBackEvenThoughItsOwnProbePasses() throws Exception {
        String healthy = Files.readString(PROSODY_CFG);
        Files.writeString(PROSODY_CFG, healthy + "-- BOSH-DOWN\n"); // only health-service's BOSH check sees this fault
        String id = backup("[\"configurations\"]");
        Files.writeString(PROSODY_CFG, healthy);
        try {
            JsonPath r = restore(id, "[\"configurations\"]", false, 409);
            assertThat(r.getString("status")).as(r.prettify()).isEqualTo("ROLLED_BACK");
            assertThat(r.getString("error")).startsWith("verify: prosody is not healthy after 3 s: health-service reports "
                    + "prosody-1 bosh-session DOWN: BOSH session refused");
            assertThat(r.getString("steps.find { it.step == 'rollback' }.detail")).contains("prosody healthy per health-service");
            assertThat(Files.readString(PROSODY_CFG)).isEqualTo(healthy);
            sh("kill -0 $(cat " + PID + ")");
        } finally {
            Files.writeString(PROSODY_CFG, healthy);
        }
    }

    @Test
    void whenHealthServiceIsUnreachableTheServicesOwnProbeDecides() throws Exception {
        String id = backup("[\"configurations\"]");
        HealthServiceStandIn.stop();
        try {
            JsonPath r = restore(id, "[\"configurations\"]", false, 200);
            assertThat(r.getString("status")).as(r.prettify()).isEqualTo("COMPLETED");
            assertThat(r.getString("steps.find { it.step == 'verify' }.detail"))
                    .contains("prosody healthy per its own probe (commands; health-service unreachable (");
        } finally {
            HealthServiceStandIn.start();
        }
    }

    @Test
    void aBackupTheConfiguredKeysCannotOpenFailsTheRestoreNamingTheKeyAndOverwritesNothing() throws Exception {
        String id = backup("[\"configurations\"]");
        JsonPath b = given().get("/api/backups/" + id).then().statusCode(200).extract().jsonPath();
        String keyId = b.getString("manifest.keyId");
        Path marker = BackupTestResource.etc().resolve("jitsi/written-after-the-backup.conf");
        Files.writeString(marker, "b = 2\n");
        try {
            // 1: written under a key since rotated away (its id is no longer configured)
            replaceFirstObject(id, b, javax.crypto.KeyGenerator.getInstance("AES").generateKey(), "retired-key");
            JsonPath r = restore(id, "[\"configurations\"]", false, 409);
            assertThat(r.getString("status")).isEqualTo("FAILED");
            assertThat(r.getList("steps.step", String.class)).containsExactly("check-backup");
            assertThat(r.getString("error")).contains("encrypted with key id retired-key, which is not among the configured keys");
            // 2: the configured key id, other key bytes (a key file replaced by another one)
            replaceFirstObject(id, b, javax.crypto.KeyGenerator.getInstance("AES").generateKey(), keyId);
            r = restore(id, "[\"configurations\"]", false, 409);
            assertThat(r.getString("status")).isEqualTo("FAILED");
            assertThat(r.getList("steps.step", String.class)).containsExactly("check-backup");
            assertThat(r.getString("error")).contains("segment 0 does not authenticate with key " + keyId + ": wrong key");
            assertThat(marker).exists(); // nothing was overwritten
            assertThat(Files.readString(PROSODY_CFG)).doesNotContain("BROKEN");
        } finally {
            Files.deleteIfExists(marker);
        }
    }

    /**
     * Replaces the backup's first object in both stores by one encrypted with {@code key} under {@code keyId}, and
     * brings manifest and catalogue in line with it, so that the checksums pass and only the key can fail.
     */
    static void replaceFirstObject(String id, JsonPath backup, javax.crypto.SecretKey key, String keyId) throws Exception {
        String object = backup.getString("manifest.items[0].object");
        byte[] sealed = io.jitsiops.backup.crypto.SegmentedAesGcm.encryptAll(new byte[200_000], key, keyId);
        Path local = Path.of(backup.getString("localPath"));
        Path remote = LocalServers.s3().dir().resolve("blobs/jitsi-backups/test/" + id);
        Files.write(local.resolve(object), sealed);
        Files.write(remote.resolve(object), sealed);
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        var manifest = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(local.resolve("manifest.json").toFile());
        var item = (com.fasterxml.jackson.databind.node.ObjectNode) manifest.get("items").get(0);
        item.put("sha256", java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(sealed)));
        item.put("storedBytes", sealed.length);
        byte[] bytes = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest);
        Files.write(local.resolve("manifest.json"), bytes);
        Files.write(remote.resolve("manifest.json"), bytes);
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        LocalServers.postgres().psql("jitsiops", "UPDATE backups.backup SET manifest = $m$" + new String(bytes, StandardCharsets.UTF_8)
                + "$m$::jsonb, sha256 = '" + sha + "' WHERE id = '" + id + "'");
    }

    @Test
    void aDatabaseStepThatFailsRollsBackToTheSafetySnapshot() throws Exception {
        var pg = LocalServers.postgres();
        // a table owned by a role that exists when the backup is taken, and no longer when it is restored: pg_restore
        // stops at "role ... does not exist" after the database was already dropped and created again
        pg.psql("postgres", "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'jicofo_owner') THEN "
                + "CREATE ROLE jicofo_owner; END IF; END $$");
        pg.psql("jicofo", "CREATE TABLE IF NOT EXISTS owned_by_role (n INT); ALTER TABLE owned_by_role OWNER TO jicofo_owner");
        String id;
        try {
            id = backup("[\"databases\"]");
        } finally {
            pg.psql("jicofo", "ALTER TABLE owned_by_role OWNER TO postgres");
            pg.psql("postgres", "DROP ROLE jicofo_owner");
        }
        pg.psql("jicofo", "INSERT INTO conference (room, started_at) VALUES ('after-the-backup', now())");
        long conferences = Long.parseLong(pg.psql("jicofo", "SELECT count(*) FROM conference").trim());
        try {
            JsonPath r = restore(id, "[\"databases\"]", false, 409);
            assertThat(r.getString("status")).as(r.prettify()).isEqualTo("ROLLED_BACK");
            assertThat(r.getString("error")).startsWith("restore-databases: database jicofo: pg_restore exited with status 1")
                    .contains("role \"jicofo_owner\" does not exist");
            assertThat(r.getList("steps.step", String.class)).containsExactly("check-backup", "safety-snapshot", "stop-services",
                    "restore-databases", "rollback");
            assertThat(r.getString("steps.find { it.step == 'rollback' }.status")).isEqualTo("OK");
            // the state of before the restore, from the safety snapshot: the row written after the backup is there
            assertThat(Long.parseLong(pg.psql("jicofo", "SELECT count(*) FROM conference").trim())).isEqualTo(conferences);
            assertThat(pg.psql("jicofo", "SELECT count(*) FROM conference WHERE room = 'after-the-backup'").trim()).isEqualTo("1");
            assertThat(pg.psql("prosody", "SELECT count(*) FROM prosody").trim()).isNotEmpty();
            sh("kill -0 $(cat " + PID + ")"); // the service runs again
        } finally {
            pg.psql("jicofo", "DELETE FROM conference WHERE room = 'after-the-backup'; DROP TABLE IF EXISTS owned_by_role");
        }
    }

    static void corrupt(Path file) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(f.length() / 2);
            int b = f.read();
            f.seek(f.length() / 2);
            f.write(b ^ 0x55);
        }
    }

    static void sh(String command) throws Exception {
        Process p = new ProcessBuilder("/bin/sh", "-c", command).inheritIO().start();
        assertThat(p.waitFor()).as(command).isZero();
    }
}
