package io.jitsiops.alert.repository;

import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/**
 * Runs this service's Flyway migrations ({@code db/migration}, schema {@value #SCHEMA}, created if absent; Flyway's
 * defaults otherwise, as {@code quarkus-flyway} ran them before) over JDBC when the application starts, before
 * anything reads a table or consumes a record.
 * <p>
 * Flyway's own Java API rather than the {@code quarkus-flyway} extension: the extension needs a JDBC datasource
 * (Agroal), and Agroal brings Narayana, whose JTA context provider then joined every Mutiny context capture of
 * the service (a JTA look-up per Uni operator on the event loops, in the fan-out and intake profiles), although
 * the service never uses JDBC once the schema is migrated: all of its own I/O is the reactive PostgreSQL client.
 * The operators' keys are unchanged: {@code JITSIOPS_DB_JDBC_URL} (or {@code quarkus.datasource.jdbc.url}),
 * {@code quarkus.datasource.username}, {@code quarkus.datasource.password}. The URL reaches this class through the
 * service's own key {@code jitsiops.alert.migration.jdbc-url}, which application.properties derives from those two:
 * without the JDBC extension Quarkus warns at every start that a {@code quarkus.datasource.jdbc.url} it finds in the
 * configuration "will be ignored" (a {@code @ConfigMapping} of the key did not silence it), a misleading line for an
 * operator.
 * <p>
 * Runs in a {@link StartupEvent} observer of the highest priority, on the main thread (a blocking thread, never an
 * event loop), before SmallRye Reactive Messaging starts the Kafka consumers (its observer has priority 1000) and
 * before the services' own start-up observers read their state. A database that cannot be reached or a migration
 * that fails stops the start-up with an error naming the datasource.
 */
@ApplicationScoped
public class SchemaMigrations {
    private static final Logger LOG = Logger.getLogger(SchemaMigrations.class);
    /** The schema this service owns (its Flyway history table is there too). */
    static final String SCHEMA = "alerts";
    static final String LOCATION = "classpath:db/migration";

    private final String url;
    private final Optional<String> username;
    private final Optional<String> password;
    private final String location;

    @Inject
    public SchemaMigrations(io.jitsiops.alert.config.AlertConfig config,
                            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> username,
                            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this(config.migration().jdbcUrl(), username, password, LOCATION);
    }

    /** @param location where the migrations are (another one only in tests: a migration that fails) */
    SchemaMigrations(String url, Optional<String> username, Optional<String> password, String location) {
        this.url = url;
        this.username = username;
        this.password = password;
        this.location = location;
    }

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        migrate();
    }

    /** Migrates the schema; a failure is a {@link SchemaMigrationException} naming the datasource and the cause. */
    public MigrateResult migrate() {
        try {
            Flyway flyway = Flyway.configure(SchemaMigrations.class.getClassLoader())
                    .dataSource(url, username.orElse(null), password.orElse(null))
                    .schemas(SCHEMA).createSchemas(true).locations(location)
                    .load();
            MigrateResult result = flyway.migrate();
            LOG.infof("Schema %s of datasource %s: %d migrations applied, now at version %s", SCHEMA, shown(url),
                    result.migrationsExecuted, result.targetSchemaVersion == null ? result.initialSchemaVersion
                            : result.targetSchemaVersion);
            return result;
        } catch (RuntimeException e) {
            throw new SchemaMigrationException("Migrating schema " + SCHEMA + " of datasource " + shown(url)
                    + " (jitsiops.alert.migration.jdbc-url, from JITSIOPS_DB_JDBC_URL or quarkus.datasource.jdbc.url) failed: " + rootMessage(e), e);
        }
    }

    /** The JDBC URL without its query, where a password may be given ({@code ?password=…}). */
    static String shown(String jdbcUrl) {
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query) + "?…";
    }

    private static String rootMessage(Throwable e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()).strip());
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != e && root.getMessage() != null && !text.toString().contains(root.getMessage())) {
            text.append(" (").append(root.getClass().getSimpleName()).append(": ").append(root.getMessage()).append(')');
        }
        return text.toString();
    }

    /** The schema could not be migrated: the service does not start. */
    public static final class SchemaMigrationException extends RuntimeException {
        SchemaMigrationException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
