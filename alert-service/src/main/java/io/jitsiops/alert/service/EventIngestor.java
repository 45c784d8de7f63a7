package io.jitsiops.alert.service;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.jitsiops.events.CloudEvent;
import io.jitsiops.events.EventCodec;
import io.jitsiops.events.EventPayload;
import io.jitsiops.events.MalformedEventException;
import io.smallrye.mutiny.Uni;

/**
 * Reads every jitsi-ops topic. A record that is not a valid event fails its message, and the channel's
 * dead-letter strategy copies it, untouched, to {@code jitsi-ops.dlq} with the reason; the consumer goes on.
 * A valid event is evaluated and its message acknowledged only when the effects are durable
 * ({@link AlertEngine#evaluate}): a storage failure is not the record's fault, so it holds the partition
 * (at-least-once, offsets not committed) instead of dead-lettering good events.
 */
@ApplicationScoped
public class EventIngestor {
    private static final Logger LOG = Logger.getLogger(EventIngestor.class);
    private final EventCodec codec = new EventCodec();
    private final AlertEngine engine;

    public EventIngestor(AlertEngine engine) {
        this.engine = engine;
    }

    @Incoming("events-in")
    public Uni<Void> consume(ConsumerRecord<String, byte[]> record) {
        CloudEvent<EventPayload> event;
        try {
            event = codec.decode(record.value());
        } catch (MalformedEventException e) {
            LOG.warnf("Dead-lettering %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), e.getMessage());
            return Uni.createFrom().failure(e);
        }
        return engine.evaluate(event, OwnedPartitions.key(record.topic(), record.partition()));
    }
}
