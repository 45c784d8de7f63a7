package io.jitsiops.backup;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import io.jitsiops.testkit.LocalServers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * A schedule whose due time passed while the service was down runs once when it starts: the catalogue says the
 * schedule {@code missed} last ran two days ago, the service starts with schedules on, and the backup runs without
 * waiting for the next due time.
 */
@QuarkusTest
@TestProfile(CatchUpTest.ServiceStartingAfterAnOutage.class)
class CatchUpTest {
    static final Instant TEST_START = Instant.now();

    /** Only the resource below: the shared one's settings (schedules off) must not apply to this start. */
    public static class ServiceStartingAfterAnOutage implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(MissedScheduleResource.class));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    /** The usual servers and trees, a description with the one schedule {@code missed}, and its run of two days ago. */
    public static class MissedScheduleResource extends BackupTestResource {
        @Override
        public Map<String, String> start() {
            Map<String, String> config = new java.util.LinkedHashMap<>(super.start());
            try {
                Path usual = Path.of(config.get("jitsiops.deployment.file"));
                String description = Files.readString(usual).replaceAll("(?s)  schedules:\\n(    - \\{[^\\n]*\\n)+",
                        "  schedules:\n    - {name: missed, time: \"05:00\", retention: 2, components: [configurations]}\n");
                Path file = BackupTestResource.root().resolve("deployment-missed-schedule.yaml");
                Files.writeString(file, description);
                config.put("jitsiops.deployment.file", file.toString());
                // the catalogue as the service left it: migrated, with the schedule's run before the outage
                Flyway.configure().dataSource(LocalServers.postgres().jdbcUrl(), "postgres", "").schemas("backups")
                        .createSchemas(true).locations("classpath:db/migration").load().migrate();
                LocalServers.postgres().psql(LocalServers.postgres().database(), """
                        INSERT INTO backups.backup (id, schedule, status, components, started_at, completed_at, error)
                        VALUES ('20261127T030000Z-missed-0000', 'missed', 'FAILED', '{configurations}',
                                now() - interval '2 days', now() - interval '2 days', 'the run before the outage')
                        ON CONFLICT (id) DO NOTHING""");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            config.put("jitsiops.backup.schedule-enabled", "true");
            config.put("jitsiops.backup.catch-up", "true");
            return config;
        }
    }

    @Test
    void aScheduleMissedWhileTheServiceWasDownRunsOnceAtStart() {
        await().atMost(Duration.ofSeconds(90)).until(() -> !runsSinceStart().isEmpty());
        List<Map<String, Object>> runs = runsSinceStart();
        assertThat(runs).hasSize(1);
        assertThat(runs.get(0)).containsEntry("schedule", "missed");
        await().atMost(Duration.ofSeconds(60)).until(() -> "VERIFIED".equals(given().get("/api/backups/" + runs.get(0).get("id"))
                .then().extract().jsonPath().getString("status")));
    }

    static List<Map<String, Object>> runsSinceStart() {
        JsonPath list = given().queryParam("schedule", "missed").queryParam("since", TEST_START.minusSeconds(120).toString())
                .get("/api/backups").then().statusCode(200).extract().jsonPath();
        return list.getList("", Map.class).stream().map(m -> (Map<String, Object>) m)
                .filter(m -> !"20261127T030000Z-missed-0000".equals(m.get("id"))).toList();
    }
}
