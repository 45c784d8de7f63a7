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
