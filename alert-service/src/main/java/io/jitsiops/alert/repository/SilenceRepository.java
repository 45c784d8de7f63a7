package io.jitsiops.alert.repository;

import static io.jitsiops.alert.repository.AlertRepository.instant;
import static io.jitsiops.alert.repository.AlertRepository.odt;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.jitsiops.alert.notify.Silence;
import io.jitsiops.alert.rule.Matcher;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Silences, kept after they end (expired) until the retention removes them. */
@ApplicationScoped
public class SilenceRepository {
    private final Pool pool;

    public SilenceRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<Silence>> all() {
        return pool.query("SELECT * FROM alerts.silence ORDER BY ends_at DESC").execute().map(rows -> {
            List<Silence> list = new ArrayList<>();
            for (Row r : rows) {
                List<Matcher> matchers = new ArrayList<>();
                r.getJsonArray("matchers").forEach(m -> matchers.add(Matcher.parse(String.valueOf(m))));
                list.add(new Silence(r.getUUID("id"), List.copyOf(matchers), instant(r, "starts_at"), instant(r, "ends_at"),
                        r.getString("created_by"), r.getString("comment"), instant(r, "updated_at")));
            }
            return list;
        });
    }

    public Uni<Void> save(Silence s) {
        JsonArray matchers = new JsonArray();
        s.matchers().forEach(m -> matchers.add(m.toString()));
        return pool.preparedQuery("""
                        INSERT INTO alerts.silence (id, matchers, starts_at, ends_at, created_by, comment, updated_at)
                        VALUES ($1, $2, $3, $4, $5, $6, $7)
                        ON CONFLICT (id) DO UPDATE SET matchers = EXCLUDED.matchers, starts_at = EXCLUDED.starts_at,
                            ends_at = EXCLUDED.ends_at, created_by = EXCLUDED.created_by, comment = EXCLUDED.comment,
                            updated_at = EXCLUDED.updated_at""")
                .execute(Tuple.from(java.util.Arrays.asList(s.id(), matchers, odt(s.startsAt()), odt(s.endsAt()),
                        s.createdBy(), s.comment(), odt(s.updatedAt()))))
                .replaceWithVoid();
    }

    /**
     * Ends a silence now (it stays visible as expired); false when there is none with this id. A pending one starts
     * and ends now, as Alertmanager's {@code Silences.Expire} does (with only its end moved, it ended before it began
     * and was listed as pending). One already over keeps its times.
     */
    public Uni<Boolean> expire(UUID id, Instant now) {
        return pool.preparedQuery("""
                        UPDATE alerts.silence SET starts_at = LEAST(starts_at, $2), ends_at = LEAST(ends_at, $2),
                            updated_at = CASE WHEN ends_at > $2 THEN $2 ELSE updated_at END
                        WHERE id = $1""")
                .execute(Tuple.of(id, odt(now))).map(rows -> rows.rowCount() == 1);
    }

    public Uni<Integer> deleteEndedBefore(Instant cutoff) {
        return pool.preparedQuery("DELETE FROM alerts.silence WHERE ends_at < $1").execute(Tuple.of(odt(cutoff)))
                .map(rows -> rows.rowCount());
    }
}
