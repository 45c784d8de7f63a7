package io.jitsiops.alert.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.util.Optional;
import java.util.UUID;

import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;

import io.jitsiops.testkit.LocalServers;
import io.jitsiops.testkit.server.PostgresServer;

/**
 * The schema migrations run with Flyway's API at start-up (no quarkus-flyway, no JDBC pool), against the real
 * PostgreSQL of the test kit: each case in a database of its own, so the shared one of the Quarkus tests is untouched.
 */
class SchemaMigrationsTest {

    private static String freshDatabase(PostgresServer pg) throws Exception {
        String name = "alert_migrations_" + UUID.randomUUID().toString().substring(0, 8);
        pg.createDatabaseIfMissing(name);
        return "jdbc:postgresql://" + pg.host() + ":" + pg.port() + "/" + name;
    }

    private static SchemaMigrations migrations(PostgresServer pg, String url, String location) {
        return new SchemaMigrations(url, Optional.of(pg.user()), Optional.ofNullable(pg.password()).filter(p -> !p.isEmpty()),
                location);
    }

    @Test
    void migratesAnEmptyDatabaseIntoSchemaAlertsAndAppliesNothingTheSecondTime() throws Exception {
        PostgresServer pg = LocalServers.postgres();
        String url = freshDatabase(pg);

        MigrateResult first = migrations(pg, url, SchemaMigrations.LOCATION).migrate();
        MigrateResult second = migrations(pg, url, SchemaMigrations.LOCATION).migrate();

        assertThat(first.migrationsExecuted).isGreaterThanOrEqualTo(3);
        assertThat(first.schemaName).isEqualTo("alerts");
        assertThat(second.migrationsExecuted).isZero();
        String database = url.substring(url.lastIndexOf('/') + 1);
        assertThat(pg.psql(database, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'alerts' "
                + "AND table_name IN ('alert', 'notification_log', 'flyway_schema_history')").trim()).isEqualTo("3");
    }

    @Test
    void anUnreachableDatabaseStopsTheStartUpNamingTheDatasourceButNotItsPassword() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort(); // nothing listens there once the socket is closed
        }
        String url = "jdbc:postgresql://127.0.0.1:" + closed + "/jitsiops?password=url-secret-4711";
        SchemaMigrations migrations = new SchemaMigrations(url, Optional.of("postgres"), Optional.of("secret-4711"),
                SchemaMigrations.LOCATION);

        assertThatThrownBy(migrations::migrate)
                .isInstanceOf(SchemaMigrations.SchemaMigrationException.class)
                .hasMessageContaining("datasource jdbc:postgresql://127.0.0.1:" + closed + "/jitsiops")
                .hasMessageContaining("JITSIOPS_DB_JDBC_URL")
                .hasMessageNotContaining("secret-4711");
    }

    @Test
    void aMigrationThatFailsStopsTheStartUpNamingTheDatasourceAndTheScript() throws Exception {
        PostgresServer pg = LocalServers.postgres();
        String url = freshDatabase(pg);

        assertThatThrownBy(() -> migrations(pg, url, "classpath:db/failing-migration").migrate())
                .isInstanceOf(SchemaMigrations.SchemaMigrationException.class)
                .hasMessageContaining("Migrating schema alerts of datasource " + url)
                .hasMessageContaining("V1__half_written.sql")
                .hasMessageContaining("no_such_table");
    }
}
