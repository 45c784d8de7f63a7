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
     * <p>
     * One statement, one round trip ({@link #RECORD}): the batch as arrays ({@code unnest}), and the setting made
     * local to the statement's own (implicit) transaction by {@code set_config(..., true)}, which PostgreSQL reads
     * when that transaction commits at the end of the statement. It was BEGIN, SET LOCAL, the batch and COMMIT: four
     * round trips that every slot of the receiver waited for.
     */
    public Uni<Void> record(List<NotificationLogEntry> entries) {
        java.util.Map<String, NotificationLogEntry> latest = new java.util.LinkedHashMap<>();
        entries.forEach(e -> latest.put(e.receiver() + "\u0000" + e.groupKey(), e));
        int n = latest.size();
        String[] receivers = new String[n];
        String[] groupKeys = new String[n];
        String[] firing = new String[n];
        String[] resolved = new String[n];
        java.time.OffsetDateTime[] sentAt = new java.time.OffsetDateTime[n];
        int i = 0;
        for (NotificationLogEntry e : latest.values()) {
            receivers[i] = e.receiver();
            groupKeys[i] = e.groupKey();
            firing[i] = joined(e.firing());
            resolved[i] = joined(e.resolved());
            sentAt[i] = odt(e.sentAt());
            i++;
        }
        return pool.preparedQuery(RECORD).execute(Tuple.of(receivers, groupKeys, firing, resolved, sentAt)).replaceWithVoid();
    }

    /**
     * A row's fingerprint sets travel as one text each, joined by the unit separator (U+001F), and are split by
     * {@code string_to_array}: {@code unnest} of a two-dimensional array would flatten it, not give one array per row.
     * Fingerprints are hexadecimal ({@code Fingerprints}), so the separator never occurs in one; an empty set is ''
     * and {@code string_to_array('', sep)} is the empty array.
     */
    static final String SEPARATOR = "\u001f";

    static String joined(java.util.Set<String> fingerprints) {
        return String.join(SEPARATOR, fingerprints);
    }

    static final String RECORD = """
            WITH async AS MATERIALIZED (SELECT set_config('synchronous_commit', 'off', true))
            INSERT INTO alerts.notification_log (receiver, group_key, firing, resolved, sent_at)
            SELECT t.receiver, t.group_key, string_to_array(t.firing, chr(31)), string_to_array(t.resolved, chr(31)), t.sent_at
            FROM async, unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[])
                AS t(receiver, group_key, firing, resolved, sent_at)
            ON CONFLICT (receiver, group_key) DO UPDATE SET firing = EXCLUDED.firing,
                resolved = EXCLUDED.resolved, sent_at = EXCLUDED.sent_at
            WHERE alerts.notification_log.sent_at <= EXCLUDED.sent_at""";

    /** A delivery outcome to record. */
    public record DeliveryRecord(String receiver, String groupKey, List<String> fingerprints, boolean delivered,
                                 int attempts, boolean digest, String error, Instant at) {
    }

    public Uni<Void> recordDeliveries(List<DeliveryRecord> records) {
        // one INSERT per record, pipelined (executeBatch). One unnest statement per batch, as the notification log,
        // was measured in session 23 (bench/alerts FANOUT_ONLY, PostgreSQL + Kafka CPU-s per round of 5,000
        // notifications): 0.44 against 0.42 before, no gain, so it was not kept.
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
