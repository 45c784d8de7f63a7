package io.jitsiops.health.repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.jitsiops.events.payload.HealthCheckResult;
import io.jitsiops.events.payload.HealthStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Check history in the health-service's own schema {@code health}. */
@ApplicationScoped
public class CheckResultRepository {
    private final Pool pool;

    public CheckResultRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Void> insert(List<HealthCheckResult> results) {
        List<Tuple> rows = new ArrayList<>(results.size());
        for (HealthCheckResult r : results) {
            rows.add(Tuple.tuple().addString(r.component()).addString(r.target()).addString(r.check())
                    .addString(r.status().name()).addLong(r.latencyMs()).addString(r.error())
                    .addJsonObject(new JsonObject(new java.util.HashMap<>(r.measurements())))
                    .addOffsetDateTime(r.checkedAt().atOffset(ZoneOffset.UTC)));
        }
        return pool.preparedQuery("""
                INSERT INTO health.check_result (component, target, check_name, status, latency_ms, error, measurements, checked_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""").executeBatch(rows).replaceWithVoid();
    }

    /** Results in [since, until), newest first; null filters match everything. */
    public Uni<List<HealthCheckResult>> history(String component, String target, Instant since, Instant until, int limit) {
        return pool.preparedQuery("""
                        SELECT component, target, check_name, status, latency_ms, error, measurements, checked_at
                        FROM health.check_result
                        WHERE ($1::text IS NULL OR component = $1) AND ($2::text IS NULL OR target = $2)
                          AND checked_at >= $3 AND checked_at < $4
                        ORDER BY checked_at DESC LIMIT $5""")
                .execute(Tuple.of(component, target, since.atOffset(ZoneOffset.UTC), until.atOffset(ZoneOffset.UTC), limit))
                .map(rows -> {
                    List<HealthCheckResult> list = new ArrayList<>();
                    for (Row r : rows) {
                        list.add(toResult(r));
                    }
                    return list;
                });
    }

    public Uni<Integer> deleteOlderThan(Instant cutoff) {
        return pool.preparedQuery("DELETE FROM health.check_result WHERE checked_at < $1")
                .execute(Tuple.of(cutoff.atOffset(ZoneOffset.UTC))).map(rows -> rows.rowCount());
    }

    private static HealthCheckResult toResult(Row r) {
        JsonObject m = r.getJsonObject("measurements");
        java.util.Map<String, Double> measurements = new java.util.HashMap<>();
        if (m != null) {
            m.forEach(e -> measurements.put(e.getKey(), ((Number) e.getValue()).doubleValue()));
        }
        OffsetDateTime at = r.getOffsetDateTime("checked_at");
        return new HealthCheckResult(r.getString("component"), r.getString("target"), r.getString("check_name"),
                HealthStatus.valueOf(r.getString("status")), r.getLong("latency_ms"), r.getString("error"),
                measurements, at.toInstant());
    }
}
