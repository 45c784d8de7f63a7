package io.jitsiops.backup;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import io.jitsiops.testkit.LocalServers;
import io.jitsiops.testkit.server.PostgresServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The service starting on a catalogue it wrote before (its own database, so that no other test's backups count): RPO
 * and RTO on /q/metrics are those of each component's newest VERIFIED backup from the first scrape on, not NaN until
 * the next verification. A newer backup that failed verification, a half-written, a failed or a pruned one does not
 * count; a component with no verified backup stays NaN. The retry buffers' series are there from start-up.
 */
@QuarkusTest
@TestProfile(RecoveryFiguresAfterRestartTest.ServiceRestartedOnItsCatalogue.class)
class RecoveryFiguresAfterRestartTest {
    /** When the newest verified backup of configurations completed: two hours before the test run. */
    static final Instant NEWEST_VERIFIED = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);

    /** Only the resource below: the shared one's database must not be the catalogue of this start. */
    public static class ServiceRestartedOnItsCatalogue implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(CatalogueBeforeTheRestart.class));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    /** The usual servers and trees, and a catalogue database as the service left it when it stopped. */
    public static class CatalogueBeforeTheRestart extends BackupTestResource {
        static final String DATABASE = "jitsiops_backup_restart";

        @Override
        public Map<String, String> start() {
            Map<String, String> config = new java.util.LinkedHashMap<>(super.start());
            PostgresServer pg = LocalServers.postgres();
            try {
                pg.psql("postgres", "DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
                pg.createDatabaseIfMissing(DATABASE);
                String jdbc = "jdbc:postgresql://" + pg.host() + ":" + pg.port() + "/" + DATABASE;
                Flyway.configure().dataSource(jdbc, pg.user(), pg.password()).schemas("backups").createSchemas(true)
                        .locations("classpath:db/migration").load().migrate();
                String t = "'" + NEWEST_VERIFIED + "'::timestamptz";
                pg.psql(DATABASE, """
                        INSERT INTO backups.backup (id, schedule, status, components, manifest, started_at, completed_at,
                                                    verified_at, rto_ms, error) VALUES
                          ('older-verified', 'daily', 'VERIFIED', '{configurations}', '{"components": ["configurations"]}',
                           %1$s - interval '1 day 5 minutes', %1$s - interval '1 day', %1$s - interval '23 hours', 1111, NULL),
                          ('newest-verified', 'daily', 'VERIFIED', '{configurations}', '{"components": ["configurations"]}',
                           %1$s - interval '5 minutes', %1$s, %1$s + interval '10 minutes', 7777, NULL),
                          ('newer-failed-verification', 'manual', 'VERIFICATION_FAILED', '{configurations,certificates}',
                           '{"components": ["configurations", "certificates"]}',
                           %1$s + interval '55 minutes', %1$s + interval '1 hour', %1$s + interval '70 minutes', 500, NULL),
                          ('newer-failed', 'manual', 'FAILED', '{configurations}', '{"components": ["configurations"]}',
                           %1$s + interval '75 minutes', %1$s + interval '80 minutes', NULL, NULL, 'pg_dump exited 1'),
                          ('pruned-verified', 'weekly', 'PRUNED', '{databases}', '{"components": ["databases"]}',
                           %1$s - interval '5 minutes', %1$s, %1$s + interval '10 minutes', 3000, NULL);
                        INSERT INTO backups.backup (id, schedule, status, components, started_at)
                          VALUES ('half-written', 'manual', 'RUNNING', '{configurations}', %1$s + interval '90 minutes');
                        """.formatted(t));
                config.put("quarkus.datasource.jdbc.url", jdbc);
                config.put("quarkus.datasource.reactive.url", "postgresql://" + pg.host() + ":" + pg.port() + "/" + DATABASE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return config;
        }
    }

    @Test
    void rpoAndRtoAreThoseOfTheNewestVerifiedBackupInTheCatalogueFromStartUp() {
        // read in the background after start-up (reactive client): the first scrapes may precede it by milliseconds
        await().atMost(Duration.ofSeconds(30)).until(() -> !"NaN".equals(series("jitsiops_backup_rpo_seconds", "component", "configurations")));
        long before = Duration.between(NEWEST_VERIFIED, Instant.now()).toSeconds();
        double rpo = Double.parseDouble(series("jitsiops_backup_rpo_seconds", "component", "configurations"));
        long after = Duration.between(NEWEST_VERIFIED, Instant.now()).toSeconds();
        assertThat(rpo).as("now - completion of newest-verified").isBetween((double) before, (double) after);
        assertThat(series("jitsiops_backup_rto_seconds", "component", "configurations")).as("its verification restore")
                .isEqualTo("7.777");
        // certificates: only a backup that failed verification; databases: only a pruned one
        assertThat(series("jitsiops_backup_rpo_seconds", "component", "certificates")).isEqualTo("NaN");
        assertThat(series("jitsiops_backup_rto_seconds", "component", "certificates")).isEqualTo("NaN");
        assertThat(series("jitsiops_backup_rpo_seconds", "component", "databases")).isEqualTo("NaN");
        assertThat(series("jitsiops_backup_rto_seconds", "component", "databases")).isEqualTo("NaN");
    }

    @Test
    void theRetryBuffersAreSeriesFromStartUp() {
        for (String buffer : new String[] { "kafka", "postgresql" }) {
            // the start-up clean-up tells that half-written was interrupted: that event may be on its way to Kafka
            await().atMost(Duration.ofSeconds(30)).until(() -> "0.0".equals(series("jitsiops_backup_buffer_items", "buffer", buffer)));
            assertThat(series("jitsiops_backup_buffer_dropped_total", "buffer", buffer)).as(buffer).isEqualTo("0.0");
            assertThat(series("jitsiops_backup_buffer_delivered_total", "buffer", buffer)).as(buffer).isNotNull();
        }
        assertThat(series("jitsiops_backup_buffer_capacity", "buffer", "kafka")).isEqualTo("10000.0");
        assertThat(series("jitsiops_backup_buffer_capacity", "buffer", "postgresql")).isEqualTo("1000.0");
    }

    /** A sample's value as /q/metrics writes it (Prometheus text), e.g. {@code NaN} or {@code 7.777}. */
    static String series(String name, String label, String value) {
        String metrics = given().accept("text/plain; version=0.0.4").get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*" + label + "=\"" + value + "\"[^}]*} (\\S+)$").matcher(metrics);
        assertThat(m.find()).as(name + "{" + label + "=\"" + value + "\"} on /q/metrics").isTrue();
        return m.group(1);
    }
}
