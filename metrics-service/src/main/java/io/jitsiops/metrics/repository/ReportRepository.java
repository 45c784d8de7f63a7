package io.jitsiops.metrics.repository;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Stored reports ({@code metrics.performance_report}), one per kind and window end; storing again replaces it. */
@ApplicationScoped
public class ReportRepository {
    private final Pool pool;

    public ReportRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Void> store(String kind, Instant start, Instant end, JsonObject report) {
        return pool.preparedQuery("""
                        INSERT INTO metrics.performance_report (kind, window_start, window_end, report) VALUES ($1, $2, $3, $4)
                        ON CONFLICT (kind, window_end) DO UPDATE SET report = EXCLUDED.report, window_start = EXCLUDED.window_start,
                          created_at = now()""")
                .execute(Tuple.of(kind, start.atOffset(ZoneOffset.UTC), end.atOffset(ZoneOffset.UTC), report)).replaceWithVoid();
    }

    /** The report of {@code kind} whose window ends at {@code end}, or the latest one when end is null. */
    public Uni<Optional<JsonObject>> find(String kind, Instant end) {
        return pool.preparedQuery("""
                        SELECT report FROM metrics.performance_report WHERE kind = $1 AND ($2::timestamptz IS NULL OR window_end = $2)
                        ORDER BY window_end DESC LIMIT 1""")
                .execute(Tuple.of(kind, end == null ? null : end.atOffset(ZoneOffset.UTC)))
                .map(rows -> {
                    var it = rows.iterator();
                    if (!it.hasNext()) {
                        return Optional.<JsonObject>empty();
                    }
                    Row r = it.next();
                    Object report = r.getValue("report");
                    return Optional.of(report instanceof JsonObject j ? j : new JsonObject(String.valueOf(report)));
                });
    }
}
