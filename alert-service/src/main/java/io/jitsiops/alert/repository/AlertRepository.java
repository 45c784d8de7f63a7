package io.jitsiops.alert.repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.jitsiops.alert.evaluate.RuleEvaluator;
import io.jitsiops.alert.evaluate.ShardLabels;
import io.jitsiops.alert.evaluate.Transition;
import io.jitsiops.alert.notify.Alert;
import io.jitsiops.events.payload.AlertSeverity;
import io.jitsiops.events.payload.AlertState;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Alerts and their history, in the schema {@code alerts}. */
@ApplicationScoped
public class AlertRepository {
    private static final String COLUMNS = "fingerprint, rule, source, labels, severity, page, state, value, threshold, "
            + "summary, description, dashboard_url, generator_url, active_since, fired_at, resolved_at, last_breach, "
            + "acked_until, acked_by, updated_at, source_partition";
    private final Pool pool;
    private final ShardLabels shards;

    /**
     * @param shards every alert read back gets the derived shard of its target: rows written before the shard label
     *               existed have none (the fingerprint does not include it, so they are the same alerts)
     */
    public AlertRepository(Pool pool, ShardLabels shards) {
        this.pool = pool;
        this.shards = shards;
    }

    /** One change in the alert's history, for the API. */
    public record HistoryEntry(String from, String to, Double value, String eventId, Instant at) {
    }

    /**
     * Filters of {@code GET /api/alerts}; null = any. {@code mostSevereFirst}: critical, then warning, info and alerts
     * without a severity, paging ones first within each, then most recently changed; otherwise most recently changed
     * first.
     */
    public record Filter(String state, String severity, Map<String, String> labels, int limit, boolean mostSevereFirst) {
    }

    /**
     * Writes the changes of one or more evaluations atomically: alert rows and history entries, each as one
     * statement over arrays ({@code unnest}) rather than one round trip per change. An alert that changes twice
     * in the batch is written in a second round (a statement may change a row only once), so rows end in the
     * state of their last change and the history keeps every change in order.
     */
    public Uni<Void> persist(List<Transition> transitions) {
        if (transitions.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<List<Transition>> rounds = rounds(transitions, Transition::fingerprint);
        return pool.withTransaction(tx -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (List<Transition> round : rounds) {
                chain = chain.chain(() -> upsert(tx, round));
            }
            return chain.chain(() -> history(tx, transitions));
        });
    }

    /**
     * Claims the resolution of active alerts whose rule changed: marks those still active RESOLVED and returns
     * their fingerprints. Several replicas started together (or reloading the same rules file) each find the same
     * changed alerts; PostgreSQL's row lock lets exactly one of them see each row still active, so exactly one
     * sends the resolved notice. The claimer then writes the change in full (history, event) as any other.
     */
    public Uni<java.util.Set<String>> claimResolution(List<String> fingerprints, Instant at) {
        if (fingerprints.isEmpty()) {
            return Uni.createFrom().item(java.util.Set.of());
        }
        return pool.preparedQuery("""
                        UPDATE alerts.alert SET state = 'RESOLVED', resolved_at = $2, updated_at = $2
                        WHERE fingerprint = ANY($1) AND state <> 'RESOLVED' RETURNING fingerprint""")
                .execute(Tuple.of(fingerprints.toArray(String[]::new), odt(at)))
                .map(rows -> {
                    java.util.Set<String> claimed = new java.util.HashSet<>();
                    rows.forEach(r -> claimed.add(r.getString("fingerprint")));
                    return claimed;
                });
    }

    /** Splits a batch so that no fingerprint occurs twice in a part; order is kept within each fingerprint. */
    static <T> List<List<T>> rounds(List<T> items, java.util.function.Function<T, String> key) {
        List<List<T>> rounds = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (T item : items) {
            int round = seen.merge(key.apply(item), 1, Integer::sum) - 1;
            if (round == rounds.size()) {
                rounds.add(new ArrayList<>());
            }
            rounds.get(round).add(item);
        }
        return rounds;
    }

    // An UPDATE ... FROM then an INSERT of the rest rather than INSERT ... ON CONFLICT: whether a change starts a new
    // episode (which clears the last episode's acknowledgement) is a per-row input that ON CONFLICT cannot see.
    private static final String UPSERT = """
            WITH t AS (
                SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bool[], $6::text[], $7::float8[],
                                     $8::float8[], $9::text[], $10::text[], $11::text[], $12::timestamptz[],
                                     $13::timestamptz[], $14::timestamptz[], $15::timestamptz[], $16::bool[], $17::text[])
                    AS t(fp, rule, labels, severity, page, state, value, threshold, summary, description, dashboard_url,
                         active_since, fired_at, resolved_at, at, new_episode, source_partition)
            ), updated AS (
                UPDATE alerts.alert a SET
                    state = t.state, value = COALESCE(t.value, a.value), threshold = t.threshold,
                    severity = COALESCE(t.severity, a.severity), page = t.page,
                    summary = t.summary, description = t.description, dashboard_url = t.dashboard_url,
                    active_since = t.active_since,
                    fired_at = CASE WHEN t.new_episode THEN t.fired_at ELSE COALESCE(t.fired_at, a.fired_at) END,
                    resolved_at = t.resolved_at,
                    acked_until = CASE WHEN t.new_episode THEN NULL ELSE a.acked_until END,
                    acked_by = CASE WHEN t.new_episode THEN NULL ELSE a.acked_by END,
                    last_breach = t.at, updated_at = t.at,
                    source_partition = COALESCE(t.source_partition, a.source_partition)
                FROM t WHERE a.fingerprint = t.fp
                RETURNING a.fingerprint
            )
            INSERT INTO alerts.alert (fingerprint, rule, source, labels, severity, page, state, value, threshold, summary,
                description, dashboard_url, active_since, fired_at, resolved_at, last_breach, updated_at, source_partition)
            SELECT t.fp, t.rule, 'rule', t.labels::jsonb, t.severity, t.page, t.state, t.value, t.threshold, t.summary,
                t.description, t.dashboard_url, t.active_since, t.fired_at, t.resolved_at, t.at, t.at, t.source_partition
            FROM t WHERE t.fp NOT IN (SELECT fingerprint FROM updated)""";

    private Uni<Void> upsert(SqlClient tx, List<Transition> round) {
        int n = round.size();
        String[] fp = new String[n], rule = new String[n], labels = new String[n], severity = new String[n],
                state = new String[n], summary = new String[n], description = new String[n], dashboard = new String[n],
                partition = new String[n];
        Boolean[] page = new Boolean[n], newEpisode = new Boolean[n];
        Double[] value = new Double[n], threshold = new Double[n];
        OffsetDateTime[] activeSince = new OffsetDateTime[n], firedAt = new OffsetDateTime[n],
                resolvedAt = new OffsetDateTime[n], at = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            Transition t = round.get(i);
            fp[i] = t.fingerprint();
            rule[i] = t.rule();
            labels[i] = new JsonObject(new HashMap<>(t.labels())).encode();
            severity[i] = t.severity() == null ? null : t.severity().name();
            page[i] = t.page();
            state[i] = t.to().name();
            value[i] = t.value();
            threshold[i] = t.threshold();
            summary[i] = t.summary();
            description[i] = t.description();
            dashboard[i] = t.dashboardUrl();
            activeSince[i] = odt(t.activeSince());
            firedAt[i] = t.to() == AlertState.FIRING ? odt(t.at()) : null;
            resolvedAt[i] = t.to() == AlertState.RESOLVED ? odt(t.at()) : null;
            at[i] = odt(t.at());
            // a new episode (from null) starts clean: no fired/resolved time, no acknowledgement of the last episode
            newEpisode[i] = t.from() == null;
            partition[i] = t.partition();
        }
        return tx.preparedQuery(UPSERT).execute(Tuple.from(java.util.Arrays.<Object>asList(fp, rule, labels, severity, page,
                state, value, threshold, summary, description, dashboard, activeSince, firedAt, resolvedAt, at, newEpisode,
                partition)))
                .replaceWithVoid();
    }

    private static Uni<Void> history(SqlClient tx, List<Transition> transitions) {
        int n = transitions.size();
        String[] fp = new String[n], from = new String[n], to = new String[n], eventId = new String[n];
        Double[] value = new Double[n];
        OffsetDateTime[] at = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            Transition t = transitions.get(i);
            fp[i] = t.fingerprint();
            from[i] = t.from() == null ? null : t.from().name();
            to[i] = t.to().name();
            value[i] = t.value();
            eventId[i] = t.eventId();
            at[i] = odt(t.at());
        }
        return tx.preparedQuery("INSERT INTO alerts.alert_history (fingerprint, from_state, to_state, value, event_id, at) "
                        + "SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::text[], $6::timestamptz[])")
                .execute(Tuple.from(java.util.Arrays.<Object>asList(fp, from, to, value, eventId, at)))
                .replaceWithVoid();
    }

    /**
     * Alerts posted on the Alertmanager v2 API whose state changed (new and firing, resolved, firing again):
     * written in one transaction, with a history entry each. Each part is one statement over arrays ({@code unnest})
     * rather than a pipelined statement per alert: PostgreSQL runs on the same cores as the intake, and one
     * executor run per batch instead of one per row is most of what the write costs it. An alert that changes twice
     * in the batch is written in a second round (ON CONFLICT may change a row only once per statement).
     */
    public Uni<Void> upsertExternal(List<PostedChange> changed) {
        if (changed.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<List<PostedChange>> rounds = rounds(changed, c -> c.alert().fingerprint());
        OffsetDateTime now = odt(Instant.now());
        return pool.withTransaction(tx -> {
            // committed without waiting for the WAL flush, as the notification log is (NotificationRepository.RECORD):
            // a posted alert is already answered before it is written, and Prometheus re-posts what a crash of
            // PostgreSQL's machine would lose in those at most 600 ms
            Uni<Void> chain = tx.query("SELECT set_config('synchronous_commit', 'off', true)").execute().replaceWithVoid();
            for (List<PostedChange> round : rounds) {
                chain = chain.chain(() -> upsertExternalRound(tx, round, now));
            }
            return chain.chain(() -> historyExternal(tx, changed.stream().map(PostedChange::alert).toList(), now));
        });
    }

    private static final String UPSERT_EXTERNAL = """
            INSERT INTO alerts.alert (fingerprint, rule, source, labels, severity, page, state, summary,
                description, generator_url, active_since, fired_at, resolved_at, updated_at, source_partition)
            SELECT fp, rule, 'prometheus', labels::jsonb, severity, false, state, summary, description, generator_url,
                active_since, fired_at, resolved_at, $12, source_partition
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                        $9::timestamptz[], $10::timestamptz[], $11::timestamptz[], $13::text[])
                AS t(fp, rule, labels, severity, state, summary, description, generator_url, active_since, fired_at,
                     resolved_at, source_partition)
            ON CONFLICT (fingerprint) DO UPDATE SET state = EXCLUDED.state, summary = EXCLUDED.summary,
                description = EXCLUDED.description, generator_url = EXCLUDED.generator_url,
                active_since = CASE WHEN alert.state = 'RESOLVED' THEN EXCLUDED.active_since ELSE alert.active_since END,
                fired_at = COALESCE(EXCLUDED.fired_at, alert.fired_at),
                acked_until = CASE WHEN alert.state = 'RESOLVED' THEN NULL ELSE alert.acked_until END,
                resolved_at = EXCLUDED.resolved_at, updated_at = EXCLUDED.updated_at,
                source_partition = COALESCE(EXCLUDED.source_partition, alert.source_partition)""";

    private static Uni<Void> upsertExternalRound(SqlClient tx, List<PostedChange> round, OffsetDateTime now) {
        int n = round.size();
        String[] fp = new String[n], rule = new String[n], labels = new String[n], severity = new String[n],
                state = new String[n], summary = new String[n], description = new String[n], generator = new String[n],
                partition = new String[n];
        OffsetDateTime[] activeSince = new OffsetDateTime[n], firedAt = new OffsetDateTime[n], resolvedAt = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            Alert a = round.get(i).alert();
            partition[i] = round.get(i).partition();
            fp[i] = a.fingerprint();
            rule[i] = a.rule();
            labels[i] = io.vertx.core.json.Json.encode(a.labels());
            severity[i] = a.severity() == null ? null : a.severity().name();
            state[i] = a.state().name();
            summary[i] = a.summary();
            description[i] = a.description();
            generator[i] = a.generatorUrl();
            activeSince[i] = odt(a.startsAt());
            firedAt[i] = a.firing() ? odt(a.startsAt()) : null;
            resolvedAt[i] = a.firing() ? null : odt(a.endsAt());
        }
        return tx.preparedQuery(UPSERT_EXTERNAL).execute(Tuple.from(java.util.Arrays.<Object>asList(fp, rule, labels, severity,
                state, summary, description, generator, activeSince, firedAt, resolvedAt, now, partition))).replaceWithVoid();
    }

    private static Uni<Void> historyExternal(SqlClient tx, List<Alert> changed, OffsetDateTime now) {
        int n = changed.size();
        String[] fp = new String[n], to = new String[n];
        OffsetDateTime[] at = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            Alert a = changed.get(i);
            fp[i] = a.fingerprint();
            to[i] = a.state().name();
            at[i] = a.firing() ? now : odt(a.endsAt());
        }
        return tx.preparedQuery("INSERT INTO alerts.alert_history (fingerprint, from_state, to_state, value, event_id, at) "
                        + "SELECT fp, NULL, t, NULL, NULL, at FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS u(fp, t, at)")
                .execute(Tuple.of(fp, to, at)).replaceWithVoid();
    }

    /** Pending and firing alerts of our rules, for the evaluator after a restart. */
    /**
     * The active alerts of our rules that belong to one of these partitions ({@code topic-partition}): what a replica
     * adopts when Kafka assigns it those partitions.
     */
    public Uni<List<RuleEvaluator.Active>> activeForEvaluator(Collection<String> partitions) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM alerts.alert WHERE source = 'rule' AND state <> 'RESOLVED' "
                + "AND source_partition = ANY($1)").execute(Tuple.of(partitions.toArray(String[]::new))).map(this::actives);
    }

    /**
     * The active alerts of our rules that belong to no partition (persisted before partitions were recorded, or
     * about no Kafka record): restored at start-up by every replica, as before partitions were recorded.
     */
    public Uni<List<RuleEvaluator.Active>> activeWithoutPartition() {
        return pool.query("SELECT " + COLUMNS + " FROM alerts.alert WHERE source = 'rule' AND state <> 'RESOLVED' "
                + "AND source_partition IS NULL").execute().map(this::actives);
    }

    private List<RuleEvaluator.Active> actives(RowSet<Row> rows) {
        List<RuleEvaluator.Active> list = new ArrayList<>();
        for (Row r : rows) {
            list.add(new RuleEvaluator.Active(r.getString("fingerprint"), r.getString("rule"), labels(r),
                    AlertState.valueOf(r.getString("state")), instant(r, "active_since"),
                    r.getDouble("value"), instant(r, "last_breach"), r.getString("source_partition")));
        }
        return list;
    }

    /**
     * Firing alerts about one of these partitions (of our rules, or posted by Prometheus and routed to one of them),
     * those resolved since {@code resolvedSince}, and the posted alerts persisted without a partition that the intake
     * adopted with them ({@code posted}, by fingerprint): what the notification pipeline adopts when Kafka assigns a
     * replica those partitions.
     */
    public Uni<List<Alert>> forPipeline(Instant resolvedSince, Collection<String> partitions, Collection<String> posted) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM alerts.alert WHERE (state = 'FIRING' "
                        + "OR (state = 'RESOLVED' AND fired_at IS NOT NULL AND resolved_at >= $1)) "
                        + "AND (source_partition = ANY($2) OR (source_partition IS NULL AND source = 'prometheus' "
                        + "AND fingerprint = ANY($3)))")
                .execute(Tuple.of(odt(resolvedSince), partitions.toArray(String[]::new), posted.toArray(String[]::new)))
                .map(this::alerts);
    }

    /** A change of state of a posted alert, and its partition of {@code jitsi-ops.alert-intake} ({@code topic-partition}). */
    public record PostedChange(Alert alert, String partition) {
    }

    /** A posted alert's row and its partition ({@code topic-partition}; null for rows of before the routing). */
    public record PostedRow(Alert alert, String partition) {
    }

    /**
     * What the intake adopts with these partitions: the FIRING posted alerts routed to one of them, and every posted
     * alert without a partition that is firing or was resolved within a day (the caller keeps those whose fingerprint
     * hashes to one of its partitions).
     */
    public Uni<List<PostedRow>> postedForAdoption(Collection<String> partitions) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM alerts.alert WHERE source = 'prometheus' AND ("
                        + "(source_partition = ANY($1) AND state = 'FIRING') OR (source_partition IS NULL AND (state = 'FIRING' "
                        + "OR (state = 'RESOLVED' AND fired_at IS NOT NULL AND resolved_at >= $2))))")
                .execute(Tuple.of(partitions.toArray(String[]::new), odt(Instant.now().minus(java.time.Duration.ofDays(1)))))
                .map(rows -> {
                    List<Alert> alerts = alerts(rows);
                    List<PostedRow> list = new ArrayList<>(alerts.size());
                    int i = 0;
                    for (Row r : rows) {
                        list.add(new PostedRow(alerts.get(i++), r.getString("source_partition")));
                    }
                    return list;
                });
    }

    /**
     * Firing alerts of our rules, and those resolved since {@code resolvedSince}, that belong to no partition
     * (persisted before partitions were recorded). The notification pipeline restores them at start-up; the others
     * come with the partitions, posted alerts without a partition too (by the hash of their fingerprint).
     */
    public Uni<List<Alert>> forPipelineWithoutPartition(Instant resolvedSince) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM alerts.alert WHERE (state = 'FIRING' "
                        + "OR (state = 'RESOLVED' AND fired_at IS NOT NULL AND resolved_at >= $1)) "
                        + "AND source_partition IS NULL AND source = 'rule'")
                .execute(Tuple.of(odt(resolvedSince))).map(this::alerts);
    }

    public Uni<List<Alert>> find(Filter f) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM alerts.alert WHERE true");
        List<Object> args = new ArrayList<>();
        where(sql, args, f.state(), f.severity(), f.labels());
        args.add(f.limit());
        sql.append(f.mostSevereFirst()
                        ? " ORDER BY CASE severity WHEN 'CRITICAL' THEN 0 WHEN 'WARNING' THEN 1 WHEN 'INFO' THEN 2 ELSE 3 END, page DESC, "
                        : " ORDER BY ")
                .append("updated_at DESC, fingerprint LIMIT $").append(args.size());
        return pool.preparedQuery(sql.toString()).execute(Tuple.from(args)).map(this::alerts);
    }

    /** How many alerts match the filter, whatever its limit: a list cut at its limit can say what it left out. */
    public Uni<Long> count(Filter f) {
        StringBuilder sql = new StringBuilder("SELECT count(*) FROM alerts.alert WHERE true");
        List<Object> args = new ArrayList<>();
        where(sql, args, f.state(), f.severity(), f.labels());
        return pool.preparedQuery(sql.toString()).execute(Tuple.from(args)).map(rows -> rows.iterator().next().getLong(0));
    }

    /**
     * One page of the firing alerts with these label values, in fingerprint order, after the fingerprint
     * {@code after} (null: from the first): keyset pages over the primary key, so a caller that filters further can
     * read on until it has what it needs, whatever the number of rows. The {@code shard} label is resolved as in
     * {@link #find(Filter)}.
     */
    public Uni<List<Alert>> firingAfter(Map<String, String> labels, String after, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM alerts.alert WHERE true");
        List<Object> args = new ArrayList<>();
        where(sql, args, "FIRING", null, labels);
        if (after != null) {
            args.add(after);
            sql.append(" AND fingerprint > $").append(args.size());
        }
        args.add(limit);
        sql.append(" ORDER BY fingerprint LIMIT $").append(args.size());
        return pool.preparedQuery(sql.toString()).execute(Tuple.from(args)).map(this::alerts);
    }

    private void where(StringBuilder sql, List<Object> args, String state, String severity, Map<String, String> filter) {
        if (state != null) {
            args.add(state.toUpperCase(java.util.Locale.ROOT));
            sql.append(" AND state = $").append(args.size());
        }
        if (severity != null) {
            args.add(severity.toUpperCase(java.util.Locale.ROOT));
            sql.append(" AND severity = $").append(args.size());
        }
        Map<String, String> labels = new HashMap<>(filter);
        String shard = labels.remove(ShardLabels.SHARD);
        if (shard != null) {
            // rows written before the shard label existed have none: their target's shard (derived) counts as theirs
            args.add(shard);
            sql.append(" AND (labels->>'shard' = $").append(args.size());
            args.add(shards.shardByTarget().entrySet().stream().filter(e -> e.getValue().equals(shard))
                    .map(Map.Entry::getKey).toArray(String[]::new));
            sql.append(" OR (labels->>'shard' IS NULL AND labels->>'target' = ANY($").append(args.size()).append(")))");
        }
        if (!labels.isEmpty()) {
            args.add(new JsonObject(new HashMap<>(labels)));
            sql.append(" AND labels @> $").append(args.size());
        }
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

    /** The acknowledged firing alerts and until when, whichever replica recorded the acknowledgement. */
    public Uni<Map<String, Instant>> acknowledgedFiring() {
        return pool.query("SELECT fingerprint, acked_until FROM alerts.alert WHERE state = 'FIRING' AND acked_until > now()")
                .execute().map(rows -> {
                    Map<String, Instant> acked = new HashMap<>();
                    rows.forEach(r -> acked.put(r.getString("fingerprint"), instant(r, "acked_until")));
                    return acked;
                });
    }

    public Uni<Integer> deleteResolvedBefore(Instant cutoff) {
        return pool.preparedQuery("DELETE FROM alerts.alert WHERE state = 'RESOLVED' AND resolved_at < $1")
                .execute(Tuple.of(odt(cutoff))).chain(a -> pool.preparedQuery("DELETE FROM alerts.alert_history WHERE at < $1")
                        .execute(Tuple.of(odt(cutoff))).map(h -> a.rowCount() + h.rowCount()));
    }

    List<Alert> alerts(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
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

    private Map<String, String> labels(Row r) {
        Map<String, String> m = new HashMap<>();
        r.getJsonObject("labels").forEach(e -> m.put(e.getKey(), String.valueOf(e.getValue())));
        return shards.derive(Map.copyOf(m));
    }

    static Instant instant(Row r, String column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }

    static OffsetDateTime odt(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }
}
