package io.jitsiops.alert.service;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.jitsiops.events.CloudEvent;
import io.jitsiops.events.EventCodec;
import io.jitsiops.events.EventPayload;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** The alert service's record of consumed events, in its own schema {@code alerts}. */
@ApplicationScoped
public class ReceivedEventRepository {
    private final Pool pool;
    private final EventCodec codec = new EventCodec();

    public ReceivedEventRepository(Pool pool) {
        this.pool = pool;
    }

    public record ReceivedEvent(String id, String type, String source, String subject, Instant time, String topic,
                                int partition, long offset, JsonObject data) {
    }

    /** Stores an event once; a redelivered event (same id) changes nothing. True when it was new. */
    public Uni<Boolean> store(CloudEvent<EventPayload> event, String topic, int partition, long offset) {
        return pool.preparedQuery("""
                        INSERT INTO alerts.received_event (id, type, source, subject, event_time, topic, kafka_partition, kafka_offset, data)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                        ON CONFLICT (id) DO NOTHING""")
                .execute(Tuple.tuple()
                        .addString(event.id())
                        .addString(event.type())
                        .addString(event.source())
                        .addString(event.subject())
                        .addOffsetDateTime(event.time() == null ? null : event.time().atOffset(ZoneOffset.UTC))
                        .addString(topic)
                        .addInteger(partition)
                        .addLong(offset)
                        .addJsonObject(new JsonObject(codec.toJson(event.data()))))
                .map(rows -> rows.rowCount() == 1);
    }

    public Uni<List<ReceivedEvent>> recent(int limit) {
        return pool.preparedQuery("""
                        SELECT id, type, source, subject, event_time, topic, kafka_partition, kafka_offset, data
                        FROM alerts.received_event ORDER BY received_at DESC, kafka_offset DESC LIMIT $1""")
                .execute(Tuple.of(limit))
                .map(rows -> {
                    List<ReceivedEvent> list = new java.util.ArrayList<>();
                    for (Row r : rows) {
                        OffsetDateTime t = r.getOffsetDateTime("event_time");
                        list.add(new ReceivedEvent(r.getString("id"), r.getString("type"), r.getString("source"),
                                r.getString("subject"), t == null ? null : t.toInstant(), r.getString("topic"),
                                r.getInteger("kafka_partition"), r.getLong("kafka_offset"), r.getJsonObject("data")));
                    }
                    return list;
                });
    }

    public Uni<Integer> deleteReceivedBefore(Instant cutoff) {
        return pool.preparedQuery("DELETE FROM alerts.received_event WHERE received_at < $1")
                .execute(Tuple.of(cutoff.atOffset(ZoneOffset.UTC))).map(rows -> rows.rowCount());
    }

    public Uni<Long> countById(String id) {
        return pool.preparedQuery("SELECT count(*) AS n FROM alerts.received_event WHERE id = $1")
                .execute(Tuple.of(id)).map(rows -> rows.iterator().next().getLong("n"));
    }
}
