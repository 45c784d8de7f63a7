package io.jitsiops.alert.repository;

import static io.jitsiops.alert.repository.AlertRepository.instant;
import static io.jitsiops.alert.repository.AlertRepository.odt;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.jitsiops.alert.notify.NotificationLogEntry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** The notification log (what each receiver was last told about each group) and the delivery records. */
@ApplicationScoped
public class NotificationRepository {
    private final Pool pool;

    public NotificationRepository(Pool pool) {
        this.pool = pool;
    }

    /** One notification's outcome, for the API. */
    public record Delivery(long id, String receiver, String groupKey, List<String> fingerprints, boolean delivered,
                           int attempts, boolean digest, String error, Instant at) {
    }

    public Uni<List<NotificationLogEntry>> logEntries() {
        return pool.query("SELECT receiver, group_key, firing, resolved, sent_at FROM alerts.notification_log").execute()
                .map(rows -> {
                    List<NotificationLogEntry> list = new ArrayList<>();
                    for (Row r : rows) {
                        list.add(new NotificationLogEntry(r.getString("receiver"), r.getString("group_key"),
                                new LinkedHashSet<>(Arrays.asList(r.getArrayOfStrings("firing"))),
                                new LinkedHashSet<>(Arrays.asList(r.getArrayOfStrings("resolved"))), instant(r, "sent_at")));
                    }
                    return list;
                });
    }

    /**
     * Notification-log entries, one batch (the latest entry per receiver and group wins), committed with
     * {@code synchronous_commit = off}: the commit returns once the rows are in PostgreSQL's WAL buffers, without
     * waiting for the WAL flush to disk (at most 3 × wal_writer_delay, 600 ms by default, later). A receiver's slot
     * waits for this commit, and waiting for the disk made the flush the bound of every slot. What it risks is
     * only a crash of PostgreSQL itself (or of its machine) in those 600 ms: the entries are lost and those
     * notifications are sent again — a repeat, never a loss, as with Alertmanager's nflog. A kill -9 of this
     * service loses nothing committed here. The upsert keeps the newer entry whatever order two batches commit in.
     */
    public Uni<Void> record(List<NotificationLogEntry> entries) {
        java.util.Map<String, NotificationLogEntry> latest = new java.util.LinkedHashMap<>();
        entries.forEach(e -> latest.put(e.receiver() + "\u0000" + e.groupKey(), e));
        List<Tuple> rows = latest.values().stream().map(e -> Tuple.of(e.receiver(), e.groupKey(),
                e.firing().toArray(String[]::new), e.resolved().toArray(String[]::new), odt(e.sentAt()))).toList();
        return pool.withTransaction(conn -> conn.query("SET LOCAL synchronous_commit = off").execute()
                .chain(() -> conn.preparedQuery("""
                        INSERT INTO alerts.notification_log (receiver, group_key, firing, resolved, sent_at)
                        VALUES ($1, $2, $3, $4, $5)
                        ON CONFLICT (receiver, group_key) DO UPDATE SET firing = EXCLUDED.firing,
                            resolved = EXCLUDED.resolved, sent_at = EXCLUDED.sent_at
                        WHERE alerts.notification_log.sent_at <= EXCLUDED.sent_at""")
                        .executeBatch(rows))).replaceWithVoid();
    }

    /** A delivery outcome to record. */
    public record DeliveryRecord(String receiver, String groupKey, List<String> fingerprints, boolean delivered,
                                 int attempts, boolean digest, String error, Instant at) {
    }

    public Uni<Void> recordDeliveries(List<DeliveryRecord> records) {
        List<Tuple> rows = records.stream().map(d -> Tuple.from(Arrays.asList(d.receiver(), d.groupKey(),
                d.fingerprints().toArray(String[]::new), d.delivered(), d.attempts(), d.digest(), d.error(), odt(d.at()))))
                .toList();
        return pool.preparedQuery("INSERT INTO alerts.delivery (receiver, group_key, fingerprints, delivered, attempts, "
                        + "digest, error, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                .executeBatch(rows).replaceWithVoid();
    }

    public Uni<List<Delivery>> deliveriesOf(String fingerprint) {
        return pool.preparedQuery("SELECT * FROM alerts.delivery WHERE fingerprints @> ARRAY[$1]::text[] "
                + "ORDER BY at DESC, id DESC LIMIT 200").execute(Tuple.of(fingerprint)).map(NotificationRepository::deliveries);
    }

    public Uni<List<Delivery>> undeliverable(int limit) {
        return pool.preparedQuery("SELECT * FROM alerts.delivery WHERE NOT delivered ORDER BY at DESC, id DESC LIMIT $1")
                .execute(Tuple.of(limit)).map(NotificationRepository::deliveries);
    }

    public Uni<Integer> deleteBefore(Instant cutoff) {
        return pool.preparedQuery("DELETE FROM alerts.delivery WHERE at < $1").execute(Tuple.of(odt(cutoff)))
                .chain(d -> pool.preparedQuery("DELETE FROM alerts.notification_log WHERE sent_at < $1")
                        .execute(Tuple.of(odt(cutoff))).map(n -> d.rowCount() + n.rowCount()));
    }

    private static List<Delivery> deliveries(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        List<Delivery> list = new ArrayList<>();
        for (Row r : rows) {
            list.add(new Delivery(r.getLong("id"), r.getString("receiver"), r.getString("group_key"),
                    Arrays.asList(r.getArrayOfStrings("fingerprints")), r.getBoolean("delivered"), r.getInteger("attempts"),
                    r.getBoolean("digest"), r.getString("error"), instant(r, "at")));
        }
        return list;
    }
}
