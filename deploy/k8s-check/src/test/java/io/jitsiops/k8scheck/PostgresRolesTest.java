package io.jitsiops.k8scheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.jitsiops.testkit.LocalServers;
import io.jitsiops.testkit.server.PostgresServer;

/**
 * k8s/postgres/roles.sql on a real PostgreSQL (the test kit's): each service's own Flyway migrations run as its own
 * role, and no role can touch another service's schema, create schemas or use public.
 */
class PostgresRolesTest {
    /** service -> (role, schema), as in the manifests (JITSIOPS_DB_USER) and quarkus.flyway.schemas. */
    private static final Map<String, String[]> SERVICES = Map.of(
            "health-service", new String[] {"jitsiops_health", "health"},
            "metrics-service", new String[] {"jitsiops_metrics", "metrics"},
            "log-service", new String[] {"jitsiops_logs", "logs"},
            "backup-service", new String[] {"jitsiops_backups", "backups"},
            "alert-service", new String[] {"jitsiops_alerts", "alerts"});

    private static PostgresServer postgres;

    @BeforeAll
    static void createRoles() throws Exception {
        postgres = LocalServers.postgres();
        // The database of the manifests' JDBC URL is "jitsiops", as the test kit's.
        assertThat(postgres.database()).isEqualTo("jitsiops");
        postgres.psql("jitsiops", Files.readString(Manifests.k8s().resolve("postgres/roles.sql")));
        for (var e : SERVICES.entrySet()) {
            Flyway.configure().dataSource(postgres.jdbcUrl(), e.getValue()[0], null).schemas(e.getValue()[1])
                    .createSchemas(false)
                    .locations("filesystem:" + Manifests.root().resolve(e.getKey()).resolve("src/main/resources/db/migration"))
                    .load().migrate();
        }
    }

    @Test
    void everyServicesMigrationsRanAsItsOwnRoleInItsOwnSchema() throws SQLException {
        for (String[] roleAndSchema : SERVICES.values()) {
            try (Connection c = connect(roleAndSchema[0]); var rs = c.createStatement().executeQuery(
                    "SELECT count(*), min(tableowner) FROM pg_tables WHERE schemaname = '" + roleAndSchema[1] + "'")) {
                rs.next();
                assertThat(rs.getInt(1)).as(roleAndSchema[1] + " tables").isGreaterThan(1);
                assertThat(rs.getString(2)).isEqualTo(roleAndSchema[0]);
            }
        }
    }

    @Test
    void aServiceRoleCannotReadOrWriteAnotherServicesSchema() throws SQLException {
        try (Connection health = connect("jitsiops_health")) {
            assertThatThrownBy(() -> health.createStatement().execute("SELECT * FROM alerts.alert"))
                    .hasMessageContaining("permission denied for schema alerts");
            assertThatThrownBy(() -> health.createStatement().execute("CREATE TABLE metrics.intruder (x int)"))
                    .hasMessageContaining("permission denied for schema metrics");
        }
    }

    @Test
    void aServiceRoleCannotCreateSchemasOrUsePublic() throws SQLException {
        try (Connection alerts = connect("jitsiops_alerts")) {
            assertThatThrownBy(() -> alerts.createStatement().execute("CREATE SCHEMA other"))
                    .hasMessageContaining("permission denied for database");
            assertThatThrownBy(() -> alerts.createStatement().execute("CREATE TABLE public.intruder (x int)"))
                    .hasMessageContaining("permission denied for schema public");
        }
    }

    private static Connection connect(String role) throws SQLException {
        // The test kit's cluster trusts loopback connections: the role's rights are what is tested, not its password.
        return DriverManager.getConnection(postgres.jdbcUrl(), role, "");
    }
}
