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

    /**
     * One statement per batch: the rows travel as eight arrays and {@code unnest} turns them back into rows, so
     * a batch of hundreds costs one Bind/Execute instead of one per row (client encoding and server parsing
     * were a visible share of the service's CPU at 200 checks/s).
     */
    public Uni<Void> insert(List<HealthCheckResult> results) {
        int n = results.size();
        String[] component = new String[n], target = new String[n], check = new String[n], status = new String[n],
                error = new String[n];
        Long[] latency = new Long[n];
        String[] measurements = new String[n];
        OffsetDateTime[] at = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            HealthCheckResult r = results.get(i);
            component[i] = r.component();
            target[i] = r.target();
            check[i] = r.check();
            status[i] = r.status().name();
            latency[i] = r.latencyMs();
            error[i] = r.error();
            measurements[i] = new JsonObject(new java.util.HashMap<>(r.measurements())).encode();
            at[i] = r.checkedAt().atOffset(ZoneOffset.UTC);
        }
        return pool.preparedQuery("""
                INSERT INTO health.check_result (component, target, check_name, status, latency_ms, error, measurements, checked_at)
                SELECT c, t, k, s, l, e, m::jsonb, a FROM unnest($1::text[], $2::text[], $3::text[], $4::text[],
                        $5::bigint[], $6::text[], $7::text[], $8::timestamptz[]) AS u(c, t, k, s, l, e, m, a)""")
                .execute(Tuple.tuple().addArrayOfString(component).addArrayOfString(target).addArrayOfString(check)
                        .addArrayOfString(status).addArrayOfLong(latency).addArrayOfString(error)
                        .addArrayOfString(measurements).addArrayOfOffsetDateTime(at))
                .replaceWithVoid();
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
