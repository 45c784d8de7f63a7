package io.jitsiops.events.kafka;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;

import io.jitsiops.events.CloudEvent;
import io.jitsiops.events.EventCodec;
import io.jitsiops.events.EventPayload;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.mutiny.Uni;

/**
 * Publishes events of the contract on the service's {@code events-out} channel. It lives with the contract
 * because it is where the contract's wire rules (envelope, key, topic) are applied; the channel's producer
 * settings (idempotence, acks=all) are each service's configuration.
 */
@ApplicationScoped
public class EventPublisher {
    private final EventCodec codec = new EventCodec();
    private final MutinyEmitter<byte[]> emitter;
    private final String source;

    public EventPublisher(@Channel("events-out") MutinyEmitter<byte[]> emitter,
                          @ConfigProperty(name = "jitsiops.events.source") String source) {
        this.emitter = emitter;
        this.source = source;
    }

    /** Completes when the broker acknowledged the record. */
    public Uni<CloudEvent<EventPayload>> publish(EventPayload payload) {
        CloudEvent<EventPayload> event = envelope(payload);
        return send(event).replaceWith(event);
    }

    /** The envelope this service puts around a payload: made once, so that a resent event keeps its id. */
    public CloudEvent<EventPayload> envelope(EventPayload payload) {
        return CloudEvent.of(source, payload);
    }

    /** Sends an event made earlier (e.g. held while Kafka was away); completes when the broker acknowledged it. */
    public Uni<Void> send(CloudEvent<?> event) {
        return emitter.sendMessage(KafkaEventMessages.toMessage(codec, event));
    }
}
