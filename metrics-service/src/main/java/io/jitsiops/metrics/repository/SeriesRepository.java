package io.jitsiops.metrics.repository;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.jitsiops.metrics.model.Point;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Scraped series in {@code metrics.metric_sample} (raw) and {@code metrics.metric_rollup_1m}. Inserts send a whole
 * batch as one statement of column arrays ({@code unnest}): one round trip and one plan for thousands of rows,
 * which is what makes hundreds of bridges every few seconds cheap for PostgreSQL.
 */
@ApplicationScoped
public class SeriesRepository {
    private final Pool pool;

    public SeriesRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Void> insert(List<Point> points) {
        int n = points.size();
        String[] component = new String[n];
        String[] target = new String[n];
        String[] name = new String[n];
        String[] labels = new String[n];
        OffsetDateTime[] at = new OffsetDateTime[n];
        Double[] value = new Double[n];
        for (int i = 0; i < n; i++) {
            Point p = points.get(i);
            component[i] = p.key().component();
            target[i] = p.key().target();
            name[i] = p.key().name();
            labels[i] = p.key().labels();
            at[i] = p.at().atOffset(ZoneOffset.UTC);
            value[i] = p.value();
        }
        return pool.preparedQuery("""
                        INSERT INTO metrics.metric_sample (component, target, name, labels, sampled_at, value)
                        SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::float8[])
                        ON CONFLICT DO NOTHING""")
                .execute(Tuple.tuple().addArrayOfString(component).addArrayOfString(target).addArrayOfString(name)
                        .addArrayOfString(labels).addArrayOfOffsetDateTime(at).addArrayOfDouble(value))
                .replaceWithVoid();
    }

    /** One series' points: label set → [time, avg, min, max] per step; from rollups when the step is a minute or more. */
    public record SeriesPoint(Instant at, double avg, double min, double max) {
    }

    public record Series(String component, String target, String name, String labels, List<SeriesPoint> points) {
    }

    public Uni<List<Series>> series(String name, String target, Instant from, Instant to, Duration step) {
        long stepSeconds = Math.max(1, step.toSeconds());
        boolean rollup = stepSeconds >= 60 && stepSeconds % 60 == 0;
        String sql = rollup ? """
                SELECT component, target, labels,
                       to_timestamp(floor(extract(epoch FROM bucket) / $5) * $5) AS t,
                       sum(avg_value * samples) / sum(samples) AS avg, min(min_value) AS min, max(max_value) AS max
                FROM metrics.metric_rollup_1m
                WHERE name = $1 AND ($2::text IS NULL OR target = $2) AND bucket >= $3 AND bucket < $4
                GROUP BY component, target, labels, t ORDER BY component, target, labels, t LIMIT 100000""" : """
                SELECT component, target, labels,
                       to_timestamp(floor(extract(epoch FROM sampled_at) / $5) * $5) AS t,
                       avg(value) AS avg, min(value) AS min, max(value) AS max
                FROM metrics.metric_sample
                WHERE name = $1 AND ($2::text IS NULL OR target = $2) AND sampled_at >= $3 AND sampled_at < $4
                GROUP BY component, target, labels, t ORDER BY component, target, labels, t LIMIT 100000""";
        return pool.preparedQuery(sql)
                .execute(Tuple.of(name, target, from.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC), (double) stepSeconds))
                .map(rows -> {
                    Map<String, Series> out = new LinkedHashMap<>();
                    for (Row r : rows) {
                        String key = r.getString("component") + "\u0000" + r.getString("target") + "\u0000" + r.getString("labels");
                        Series s = out.computeIfAbsent(key, k -> new Series(r.getString("component"), r.getString("target"), name,
                                r.getString("labels"), new ArrayList<>()));
                        s.points().add(new SeriesPoint(r.getOffsetDateTime("t").toInstant(), r.getDouble("avg"),
                                r.getDouble("min"), r.getDouble("max")));
                    }
                    return List.copyOf(out.values());
                });
    }

    /** Rolls the complete minutes in [from, to) up into metric_rollup_1m; re-running a minute replaces it. */
    public Uni<Integer> rollup(Instant from, Instant to) {
        return pool.preparedQuery("""
                        INSERT INTO metrics.metric_rollup_1m (component, target, name, labels, bucket, min_value, max_value, avg_value, samples)
                        SELECT component, target, name, labels, date_trunc('minute', sampled_at), min(value), max(value), avg(value), count(*)
                        FROM metrics.metric_sample WHERE sampled_at >= $1 AND sampled_at < $2
                        GROUP BY component, target, name, labels, date_trunc('minute', sampled_at)
                        ON CONFLICT (name, target, component, labels, bucket) DO UPDATE SET min_value = EXCLUDED.min_value,
                          max_value = EXCLUDED.max_value, avg_value = EXCLUDED.avg_value, samples = EXCLUDED.samples""")
                .execute(Tuple.of(from.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC))).map(rows -> rows.rowCount());
    }

    /** Deletes raw rows older than {@code rawCutoff} and rollups older than {@code rollupCutoff}; the number deleted. */
    public Uni<Integer> deleteOlderThan(Instant rawCutoff, Instant rollupCutoff) {
        return pool.preparedQuery("DELETE FROM metrics.metric_sample WHERE sampled_at < $1")
                .execute(Tuple.of(rawCutoff.atOffset(ZoneOffset.UTC))).map(r -> r.rowCount())
                .flatMap(raw -> pool.preparedQuery("DELETE FROM metrics.metric_rollup_1m WHERE bucket < $1")
                        .execute(Tuple.of(rollupCutoff.atOffset(ZoneOffset.UTC))).map(r -> raw + r.rowCount()));
    }

    /** min/avg/p50/p95/max of each named metric over [from, to), across targets. */
    public Uni<Map<String, double[]>> statistics(List<String> names, Instant from, Instant to) {
        return pool.preparedQuery("""
                        SELECT name, min(value) AS min, avg(value) AS avg,
                               percentile_cont(0.5) WITHIN GROUP (ORDER BY value) AS p50,
                               percentile_cont(0.95) WITHIN GROUP (ORDER BY value) AS p95, max(value) AS max, count(*) AS n
                        FROM metrics.metric_sample
                        WHERE name = ANY($1) AND labels = '' AND sampled_at >= $2 AND sampled_at < $3 AND value = value
                        GROUP BY name""")
                .execute(Tuple.tuple().addArrayOfString(names.toArray(new String[0])).addOffsetDateTime(from.atOffset(ZoneOffset.UTC))
                        .addOffsetDateTime(to.atOffset(ZoneOffset.UTC)))
                .map(rows -> {
                    Map<String, double[]> out = new LinkedHashMap<>();
                    for (Row r : rows) {
                        out.put(r.getString("name"), new double[] { r.getDouble("min"), r.getDouble("avg"), r.getDouble("p50"),
                                r.getDouble("p95"), r.getDouble("max"), r.getLong("n") });
                    }
                    return out;
                });
    }
}
