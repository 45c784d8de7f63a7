package io.jitsiops.alert.repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.jitsiops.alert.evaluate.RuleEvaluator;
import io.jitsiops.alert.evaluate.Transition;
import io.jitsiops.alert.notify.Alert;
import io.jitsiops.events.payload.AlertSeverity;
import io.jitsiops.events.payload.AlertState;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Alerts and their history, in the schema {@code alerts}. */
@ApplicationScoped
public class AlertRepository {
    private static final String COLUMNS = "fingerprint, rule, source, labels, severity, page, state, value, threshold, "
            + "summary, description, dashboard_url, generator_url, active_since, fired_at, resolved_at, last_breach, "
            + "acked_until, acked_by, updated_at";
    private final Pool pool;

    public AlertRepository(Pool pool) {
        this.pool = pool;
    }

    /** One change in the alert's history, for the API. */
    public record HistoryEntry(String from, String to, Double value, String eventId, Instant at) {
    }

    /** Filters of {@code GET /api/alerts}; null = any. */
    public record Filter(String state, String severity, Map<String, String> labels, int limit) {
    }

    /** Writes the changes of one evaluation atomically: alert rows and history entries. */
    public Uni<Void> persist(List<Transition> transitions) {
        if (transitions.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return pool.withTransaction(tx -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Transition t : transitions) {
                chain = chain.chain(() -> upsert(tx, t)).chain(() -> history(tx, t.fingerprint(), t.from(), t.to(), t.value(),
                        t.eventId(), t.at()));
            }
            return chain;
        });
    }

    private Uni<Void> upsert(SqlClient tx, Transition t) {
        Instant firedAt = t.to() == AlertState.FIRING ? t.at() : null;
        Instant resolvedAt = t.to() == AlertState.RESOLVED ? t.at() : null;
        // A new episode (from null) starts clean: no fired/resolved time, no acknowledgement of the last episode.
        return tx.preparedQuery("""
                        INSERT INTO alerts.alert (fingerprint, rule, source, labels, severity, page, state, value, threshold,
                            summary, description, dashboard_url, active_since, fired_at, resolved_at, last_breach, updated_at)
                        VALUES ($1, $2, 'rule', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15)
                        ON CONFLICT (fingerprint) DO UPDATE SET
                            state = EXCLUDED.state, value = COALESCE(EXCLUDED.value, alert.value), threshold = EXCLUDED.threshold,
                            severity = COALESCE(EXCLUDED.severity, alert.severity), page = EXCLUDED.page,
                            summary = EXCLUDED.summary, description = EXCLUDED.description, dashboard_url = EXCLUDED.dashboard_url,
                            active_since = EXCLUDED.active_since,
                            fired_at = CASE WHEN $16 THEN EXCLUDED.fired_at ELSE COALESCE(EXCLUDED.fired_at, alert.fired_at) END,
                            resolved_at = EXCLUDED.resolved_at,
                            acked_until = CASE WHEN $16 THEN NULL ELSE alert.acked_until END,
                            acked_by = CASE WHEN $16 THEN NULL ELSE alert.acked_by END,
                            last_breach = EXCLUDED.last_breach, updated_at = EXCLUDED.updated_at""")
                .execute(Tuple.from(java.util.Arrays.asList(t.fingerprint(), t.rule(), new JsonObject(new HashMap<>(t.labels())),
                        t.severity() == null ? null : t.severity().name(), t.page(), t.to().name(), t.value(), t.threshold(),
                        t.summary(), t.description(), t.dashboardUrl(), odt(t.activeSince()), odt(firedAt), odt(resolvedAt),
                        odt(t.at()), t.from() == null)))
                .replaceWithVoid();
    }

    private static Uni<Void> history(SqlClient tx, String fp, AlertState from, AlertState to, Double value, String eventId, Instant at) {
        return tx.preparedQuery("INSERT INTO alerts.alert_history (fingerprint, from_state, to_state, value, event_id, at) "
                        + "VALUES ($1, $2, $3, $4, $5, $6)")
                .execute(Tuple.of(fp, from == null ? null : from.name(), to.name(), value, eventId, odt(at)))
                .replaceWithVoid();
    }

    /**
     * Alerts posted on the Alertmanager v2 API whose state changed (new and firing, resolved, firing again):
     * written in one transaction, with a history entry each.
     */
    public Uni<Void> upsertExternal(List<Alert> changed) {
        List<Tuple> rows = new ArrayList<>();
        List<Tuple> history = new ArrayList<>();
        Instant now = Instant.now();
        for (Alert a : changed) {
            rows.add(Tuple.from(java.util.Arrays.asList(a.fingerprint(), a.rule(), new JsonObject(new HashMap<>(a.labels())),
                    a.severity() == null ? null : a.severity().name(), a.state().name(), a.summary(), a.description(),
                    a.generatorUrl(), odt(a.startsAt()), a.firing() ? odt(a.startsAt()) : null,
                    a.firing() ? null : odt(a.endsAt()), odt(now))));
            history.add(Tuple.of(a.fingerprint(), null, a.state().name(), null, null, odt(a.firing() ? now : a.endsAt())));
        }
        return pool.withTransaction(tx -> tx.preparedQuery("""
                        INSERT INTO alerts.alert (fingerprint, rule, source, labels, severity, page, state, summary,
                            description, generator_url, active_since, fired_at, resolved_at, updated_at)
                        VALUES ($1, $2, 'prometheus', $3, $4, false, $5, $6, $7, $8, $9, $10, $11, $12)
                        ON CONFLICT (fingerprint) DO UPDATE SET state = EXCLUDED.state, summary = EXCLUDED.summary,
                            description = EXCLUDED.description, generator_url = EXCLUDED.generator_url,
                            active_since = CASE WHEN alert.state = 'RESOLVED' THEN EXCLUDED.active_since ELSE alert.active_since END,
                            fired_at = COALESCE(EXCLUDED.fired_at, alert.fired_at),
                            acked_until = CASE WHEN alert.state = 'RESOLVED' THEN NULL ELSE alert.acked_until END,
                            resolved_at = EXCLUDED.resolved_at, updated_at = EXCLUDED.updated_at""")
                .executeBatch(rows)
                .chain(() -> tx.preparedQuery("INSERT INTO alerts.alert_history (fingerprint, from_state, to_state, value, "
                        + "event_id, at) VALUES ($1, $2, $3, $4, $5, $6)").executeBatch(history))
                .replaceWithVoid());
    }

    /** Pending and firing alerts of our rules, for the evaluator after a restart. */
    public Uni<List<RuleEvaluator.Active>> activeForEvaluator() {
        return pool.query("SELECT " + COLUMNS + " FROM alerts.alert WHERE source = 'rule' AND state <> 'RESOLVED'").execute()
                .map(rows -> {
                    List<RuleEvaluator.Active> list = new ArrayList<>();
                    for (Row r : rows) {
                        list.add(new RuleEvaluator.Active(r.getString("fingerprint"), r.getString("rule"), labels(r),
                                AlertState.valueOf(r.getString("state")), instant(r, "active_since"),
                                r.getDouble("value"), instant(r, "last_breach")));
                    }
                    return list;
                });
    }

    /** Firing alerts and those resolved since {@code resolvedSince}, for the notification pipeline after a restart. */
    public Uni<List<Alert>> forPipeline(Instant resolvedSince) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM alerts.alert WHERE state = 'FIRING' "
                        + "OR (state = 'RESOLVED' AND fired_at IS NOT NULL AND resolved_at >= $1)")
                .execute(Tuple.of(odt(resolvedSince))).map(AlertRepository::alerts);
    }

    public Uni<List<Alert>> find(Filter f) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM alerts.alert WHERE true");
        List<Object> args = new ArrayList<>();
        if (f.state() != null) {
            args.add(f.state().toUpperCase(java.util.Locale.ROOT));
            sql.append(" AND state = $").append(args.size());
        }
        if (f.severity() != null) {
            args.add(f.severity().toUpperCase(java.util.Locale.ROOT));
            sql.append(" AND severity = $").append(args.size());
        }
        if (!f.labels().isEmpty()) {
            args.add(new JsonObject(new HashMap<>(f.labels())));
            sql.append(" AND labels @> $").append(args.size());
        }
        args.add(f.limit());
        sql.append(" ORDER BY updated_at DESC LIMIT $").append(args.size());
        return pool.preparedQuery(sql.toString()).execute(Tuple.from(args)).map(AlertRepository::alerts);
    }

    public Uni<Optional<Alert>> find(String fingerprint) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM alerts.alert WHERE fingerprint = $1")
                .execute(Tuple.of(fingerprint)).map(rows -> alerts(rows).stream().findFirst());
    }

    public Uni<List<HistoryEntry>> history(String fingerprint) {
        return pool.preparedQuery("SELECT from_state, to_state, value, event_id, at FROM alerts.alert_history "
                        + "WHERE fingerprint = $1 ORDER BY at DESC, id DESC LIMIT 200")
                .execute(Tuple.of(fingerprint)).map(rows -> {
                    List<HistoryEntry> list = new ArrayList<>();
                    for (Row r : rows) {
                        list.add(new HistoryEntry(r.getString("from_state"), r.getString("to_state"), r.getDouble("value"),
                                r.getString("event_id"), instant(r, "at")));
                    }
                    return list;
                });
    }

    /** Acknowledges an alert that is not resolved; false when there is no such alert. */
    public Uni<Boolean> acknowledge(String fingerprint, Instant until, String by) {
        return pool.preparedQuery("UPDATE alerts.alert SET acked_until = $2, acked_by = $3, updated_at = now() "
                        + "WHERE fingerprint = $1 AND state <> 'RESOLVED'")
                .execute(Tuple.of(fingerprint, odt(until), by)).map(rows -> rows.rowCount() == 1);
    }

    public Uni<Integer> deleteResolvedBefore(Instant cutoff) {
        return pool.preparedQuery("DELETE FROM alerts.alert WHERE state = 'RESOLVED' AND resolved_at < $1")
                .execute(Tuple.of(odt(cutoff))).chain(a -> pool.preparedQuery("DELETE FROM alerts.alert_history WHERE at < $1")
                        .execute(Tuple.of(odt(cutoff))).map(h -> a.rowCount() + h.rowCount()));
    }

    static List<Alert> alerts(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        List<Alert> list = new ArrayList<>();
        for (Row r : rows) {
            String sev = r.getString("severity");
            list.add(new Alert(r.getString("fingerprint"), r.getString("rule"), labels(r),
                    sev == null ? null : AlertSeverity.valueOf(sev), Boolean.TRUE.equals(r.getBoolean("page")),
                    AlertState.valueOf(r.getString("state")), r.getDouble("value"), r.getDouble("threshold"),
                    r.getString("summary"), r.getString("description"), r.getString("dashboard_url"),
                    r.getString("generator_url"), instant(r, "active_since"), instant(r, "resolved_at"),
                    instant(r, "acked_until"), r.getString("source")));
        }
        return list;
    }

    private static Map<String, String> labels(Row r) {
        Map<String, String> m = new HashMap<>();
        r.getJsonObject("labels").forEach(e -> m.put(e.getKey(), String.valueOf(e.getValue())));
        return Map.copyOf(m);
    }

    static Instant instant(Row r, String column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }

    static OffsetDateTime odt(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }
}
