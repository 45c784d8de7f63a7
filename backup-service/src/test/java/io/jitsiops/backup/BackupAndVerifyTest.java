package io.jitsiops.backup;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.jitsiops.testkit.KafkaRecords;
import io.jitsiops.testkit.LocalServers;
import io.jitsiops.testkit.OidcTokens;
import io.jitsiops.testkit.SelfMonitoringRules;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** A backup through the API, against real PostgreSQL, S3Proxy, Kafka, luac and nginx: written, verified, listed. */
@QuarkusTest
@QuarkusTestResource(BackupTestResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackupAndVerifyTest {
    static String id;

    static String admin() {
        return OidcTokens.withRoles(OidcTokens.ADMIN);
    }

    @Test
    @Order(1)
    void mutationsNeedAnAdminBearerTokenForTheJitsiOpsAudience() {
        given().contentType(ContentType.JSON).body("{}").post("/api/backups").then().statusCode(401);
        given().auth().oauth2(OidcTokens.forAudience("other", OidcTokens.ADMIN)).contentType(ContentType.JSON).body("{}")
                .post("/api/backups").then().statusCode(401);
        given().auth().oauth2(OidcTokens.withRoles(OidcTokens.OPERATOR)).contentType(ContentType.JSON).body("{}")
                .post("/api/backups").then().statusCode(403);
        given().contentType(ContentType.JSON).post("/api/backups/x/verify").then().statusCode(401);
    }

    @Test
    @Order(2)
    void aManualBackupOfEverythingIsWrittenToBothStoresVerifiedAndListed() throws Exception {
        JsonPath b = given().auth().oauth2(admin()).contentType(ContentType.JSON).body("{\"schedule\":\"manual\"}")
                .queryParam("wait", true).post("/api/backups").then().statusCode(201).extract().jsonPath();
        id = b.getString("id");
        assertThat(b.getString("status")).as(b.prettify()).isEqualTo("VERIFIED");
        assertThat(b.getList("components", String.class)).containsExactly("configurations", "certificates", "databases");
        assertThat(b.getString("remoteUri")).isEqualTo("s3://jitsi-backups/test/" + id + "/");
        // the manifest: every item with size, sha256, source, tools, schedule, start and end, the key id
        List<Map<String, Object>> items = b.getList("manifest.items");
        assertThat(items).extracting(i -> i.get("source")).contains(BackupTestResource.etc().resolve("jitsi").toString(),
                BackupTestResource.etc().resolve("letsencrypt").toString(), "jicofo", "prosody");
        assertThat(items).allSatisfy(i -> assertThat((String) i.get("sha256")).hasSize(64));
        assertThat(b.getString("manifest.keyId")).hasSize(16).isEqualTo(b.getString("keyId"));
        assertThat(b.getString("manifest.tools.pg_dump")).contains("pg_dump (PostgreSQL)");
        assertThat(b.getString("manifest.schedule")).isEqualTo("manual");
        Map<String, Object> prosody = items.stream().filter(i -> "prosody".equals(i.get("source"))).findFirst().orElseThrow();
        assertThat(((Map<?, ?>) prosody.get("rowCounts")).get("public.prosody")).isEqualTo(500);
        // the verification: checksums in both stores, restores, parses, certificates
        List<Map<String, Object>> checks = b.getList("verification.checks");
        assertThat(checks).allSatisfy(c -> assertThat(c.get("ok")).as(c.toString()).isEqualTo(true));
        assertThat(checks).extracting(c -> c.get("check")).contains("checksum-local", "checksum-s3", "row-counts", "lua",
                "nginx", "hocon", "json", "certificate-chain", "private-key");
        assertThat(checks.stream().filter(c -> "row-counts".equals(c.get("check")))).hasSize(2);
        assertThat(b.getLong("rtoMillis")).isPositive();
        // stored encrypted: no plaintext of a config file in the local object
        Path local = Path.of(b.getString("localPath"));
        try (var files = Files.list(local)) {
            for (Path f : files.toList()) {
                if (!f.getFileName().toString().equals("manifest.json")) {
                    assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).doesNotContain("VirtualHost", "BEGIN");
                }
            }
        }
        given().get("/api/backups").then().statusCode(200).body("id", hasItem(id));
        given().queryParam("component", "databases").queryParam("status", "VERIFIED").get("/api/backups").then()
                .statusCode(200).body("id", hasItem(id));
        given().queryParam("schedule", "daily").get("/api/backups").then().statusCode(200).body("id", not(hasItem(id)));
        given().queryParam("status", "BOGUS").get("/api/backups").then().statusCode(400);
        given().get("/api/backups/nope").then().statusCode(404);
    }

    @Test
    @Order(3)
    void lifecycleEventsTellStartedCompletedAndVerifiedWithRecoveryFiguresAndNoSecret() {
        var records = KafkaRecords.collect(List.of("jitsi-ops.backups"), r -> ("backup/" + id).equals(r.key()), 3, Duration.ofSeconds(30));
        List<String> bodies = records.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
        assertThat(bodies).anyMatch(s -> s.contains("\"STARTED\"")).anyMatch(s -> s.contains("\"COMPLETED\""))
                .anyMatch(s -> s.contains("\"VERIFIED\"") && s.contains("\"rtoSeconds\"") && s.contains("\"rpoSeconds\""));
        assertThat(bodies).noneMatch(s -> s.contains(BackupTestResource.KEY) || s.contains(LocalServers.s3().secretKey()));
        String api = given().get("/api/backups/" + id).asString();
        assertThat(api).doesNotContain(BackupTestResource.KEY).doesNotContain(LocalServers.s3().secretKey());
    }

    @Test
    @Order(4)
    void verificationOnDemandRereadsAndRestoresAgain() {
        given().auth().oauth2(admin()).post("/api/backups/" + id + "/verify").then().statusCode(200)
                .body("ok", equalTo(true)).body("backupId", equalTo(id));
        given().auth().oauth2(admin()).post("/api/backups/nope/verify").then().statusCode(404);
    }

    @Test
    @Order(5)
    void recoveryFiguresArePrometheusSeries() {
        String metrics = given().accept("text/plain; version=0.0.4").get("/q/metrics").asString();
        assertThat(metrics).contains("jitsiops_backup_rpo_seconds{component=\"databases\"")
                .contains("jitsiops_backup_rto_seconds{component=\"configurations\"")
                .contains("jitsiops_backup_runs_total{outcome=\"completed\",schedule=\"manual\"");
    }

    @Test
    @Order(6)
    void everySeriesTheShippedSelfMonitoringAlertsReadIsExposed() {
        // k8s/base/backup-service-rules.yaml: an alert on a series this service does not expose would never fire
        var read = SelfMonitoringRules.seriesRead("backup-service");
        assertThat(read).contains("jitsiops_backup_rpo_seconds", "process_start_time_seconds", "kafka_producer_record_error_total",
                "jitsiops_backup_buffer_items", "jitsiops_backup_buffer_dropped_total");
        assertThat(SelfMonitoringRules.exposed(given().get("/q/metrics").asString())).containsAll(read);
    }
}
