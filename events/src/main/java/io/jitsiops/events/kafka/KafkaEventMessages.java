package io.jitsiops.events.kafka;

import org.eclipse.microprofile.reactive.messaging.Message;

import io.jitsiops.events.CloudEvent;
import io.jitsiops.events.EventCodec;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * How an event becomes a Kafka record: value = the structured-mode CloudEvent JSON, key = its subject
 * (so events about one subject stay in one partition, in order), topic = the one its type belongs to.
 */
public final class KafkaEventMessages {
    private KafkaEventMessages() {
    }

    public static Message<byte[]> toMessage(EventCodec codec, CloudEvent<?> event) {
        return Message.of(codec.encode(event)).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(event.subject())
                .withTopic(event.eventType().topic())
                .build());
    }
}
