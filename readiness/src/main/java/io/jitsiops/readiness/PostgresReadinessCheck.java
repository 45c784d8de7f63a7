package io.jitsiops.readiness;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * PostgreSQL is ready when the service's reactive pool runs {@code SELECT 1} within the bound. Replaces
 * Quarkus' check ({@code quarkus.datasource.health.enabled=false}) so that a database that drops packets
 * instead of refusing connections cannot hold the readiness answer for the pool's connect timeout.
 */
@Readiness
@ApplicationScoped
public class PostgresReadinessCheck implements AsyncHealthCheck {
    static final String NAME = "Reactive PostgreSQL connections health check";
    private final Pool pool;
    private final ReadinessBound bound;

    public PostgresReadinessCheck(Pool pool,
                                  @ConfigProperty(name = "jitsiops.readiness.timeout", defaultValue = "1500ms") Duration timeout) {
        this.pool = pool;
        this.bound = new ReadinessBound(NAME, timeout);
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return bound.check(() -> pool.query("SELECT 1").execute().map(rows -> "SELECT 1 answered"), "query");
    }
}
