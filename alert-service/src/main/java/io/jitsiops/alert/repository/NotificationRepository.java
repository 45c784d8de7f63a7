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

    public Uni<Void> record(NotificationLogEntry e) {
        return pool.preparedQuery("""
                        INSERT INTO alerts.notification_log (receiver, group_key, firing, resolved, sent_at)
                        VALUES ($1, $2, $3, $4, $5)
                        ON CONFLICT (receiver, group_key) DO UPDATE SET firing = EXCLUDED.firing,
                            resolved = EXCLUDED.resolved, sent_at = EXCLUDED.sent_at""")
                .execute(Tuple.of(e.receiver(), e.groupKey(), e.firing().toArray(String[]::new),
                        e.resolved().toArray(String[]::new), odt(e.sentAt())))
                .replaceWithVoid();
    }

    public Uni<Void> recordDelivery(String receiver, String groupKey, List<String> fingerprints, boolean delivered,
                                    int attempts, boolean digest, String error, Instant at) {
        return pool.preparedQuery("INSERT INTO alerts.delivery (receiver, group_key, fingerprints, delivered, attempts, "
                        + "digest, error, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                .execute(Tuple.from(Arrays.asList(receiver, groupKey, fingerprints.toArray(String[]::new), delivered,
                        attempts, digest, error, odt(at))))
                .replaceWithVoid();
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
