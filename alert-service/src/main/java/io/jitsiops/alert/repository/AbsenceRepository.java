package io.jitsiops.alert.repository;

import static io.jitsiops.alert.repository.AlertRepository.instant;
import static io.jitsiops.alert.repository.AlertRepository.odt;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.jitsiops.alert.evaluate.RuleEvaluator;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** The absence rules' windows (schema {@code alerts}): last report per series, watch start per rule, heartbeat. */
@ApplicationScoped
public class AbsenceRepository {
    private final Pool pool;

    public AbsenceRepository(Pool pool) {
        this.pool = pool;
    }

    /** What is persisted: the windows, and when an evaluation last wrote (null: never). */
    public record AbsenceState(List<RuleEvaluator.SeenEntry> seen, Map<String, Instant> watched, Instant heartbeat) {
    }

    public Uni<AbsenceState> load() {
        return pool.query("SELECT rule, series, last_seen, partition FROM alerts.absence_seen").execute().chain(seenRows -> {
            List<RuleEvaluator.SeenEntry> seen = new ArrayList<>();
            for (Row r : seenRows) {
                Map<String, String> series = new HashMap<>();
                new JsonObject(r.getString("series")).forEach(e -> series.put(e.getKey(), String.valueOf(e.getValue())));
                seen.add(new RuleEvaluator.SeenEntry(r.getString("rule"), Map.copyOf(series), instant(r, "last_seen"),
                        r.getString("partition")));
            }
            return pool.query("SELECT rule, since FROM alerts.absence_watch").execute().chain(watchRows -> {
                Map<String, Instant> watched = new HashMap<>();
                for (Row r : watchRows) {
                    watched.put(r.getString("rule"), instant(r, "since"));
                }
                return pool.query("SELECT at FROM alerts.evaluation_heartbeat WHERE id = 1").execute()
                        .map(hb -> new AbsenceState(seen, watched, hb.iterator().hasNext() ? instant(hb.iterator().next(), "at") : null));
            });
        });
    }

    /** Writes changed windows (one statement each over arrays) and the heartbeat, in one transaction. */
    public Uni<Void> save(RuleEvaluator.AbsenceChanges changes, Instant heartbeat) {
        int n = changes.seen().size();
        String[] rule = new String[n], series = new String[n], partition = new String[n];
        OffsetDateTime[] at = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            RuleEvaluator.SeenEntry e = changes.seen().get(i);
            rule[i] = e.rule();
            series[i] = new JsonObject(new TreeMap<String, Object>(e.series())).encode();
            at[i] = odt(e.at());
            partition[i] = e.partition();
        }
        String[] watchRule = changes.watched().keySet().toArray(String[]::new);
        OffsetDateTime[] since = Arrays.stream(watchRule).map(r -> odt(changes.watched().get(r))).toArray(OffsetDateTime[]::new);
        return pool.withTransaction(tx -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            if (n > 0) {
                chain = chain.chain(() -> tx.preparedQuery("""
                                INSERT INTO alerts.absence_seen (rule, series, last_seen, partition)
                                SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[])
                                ON CONFLICT (rule, series) DO UPDATE SET last_seen = GREATEST(absence_seen.last_seen, EXCLUDED.last_seen),
                                    partition = EXCLUDED.partition""")
                        .execute(Tuple.from(Arrays.<Object>asList(rule, series, at, partition))).replaceWithVoid());
            }
            if (watchRule.length > 0) {
                chain = chain.chain(() -> tx.preparedQuery("""
                                INSERT INTO alerts.absence_watch (rule, since)
                                SELECT * FROM unnest($1::text[], $2::timestamptz[])
                                ON CONFLICT (rule) DO UPDATE SET since = EXCLUDED.since""")
                        .execute(Tuple.from(Arrays.<Object>asList(watchRule, since))).replaceWithVoid());
            }
            return chain.chain(() -> tx.preparedQuery("""
                            INSERT INTO alerts.evaluation_heartbeat (id, at) VALUES (1, $1)
                            ON CONFLICT (id) DO UPDATE SET at = GREATEST(evaluation_heartbeat.at, EXCLUDED.at)""")
                    .execute(Tuple.of(odt(heartbeat))).replaceWithVoid());
        });
    }
}
