package io.jitsiops.alert.service;

import java.time.Duration;

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
 * A storage failure is not the record's fault: it is retried until PostgreSQL is back, holding the
 * partition (at-least-once), instead of dead-lettering good events.
 */
@ApplicationScoped
public class EventIngestor {
    private static final Logger LOG = Logger.getLogger(EventIngestor.class);
    private final EventCodec codec = new EventCodec();
    private final ReceivedEventRepository repository;

    public EventIngestor(ReceivedEventRepository repository) {
        this.repository = repository;
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
        return repository.store(event, record.topic(), record.partition(), record.offset())
                .onFailure().invoke(e -> LOG.warnf("Cannot store event %s yet, retrying: %s", event.id(), e.getMessage()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(30)).indefinitely()
                .replaceWithVoid();
    }
}
