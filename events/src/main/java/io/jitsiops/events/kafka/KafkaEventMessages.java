package io.jitsiops.events.kafka;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.jitsiops.events.CloudEvent;
import io.jitsiops.events.EventCodec;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * How an event becomes a Kafka record: value = the structured-mode CloudEvent JSON, key = its subject
 * (so events about one subject stay in one partition, in order), topic = the one its type belongs to.
 * Two forms of the same record: a Reactive Messaging message (for a service's {@code events-out} channel) and a
 * plain producer record (for a service that sends with kafka-clients' own producer).
 */
public final class KafkaEventMessages {
    private KafkaEventMessages() {
    }

    public static Message<byte[]> toMessage(EventCodec codec, CloudEvent<?> event) {
        return Message.of(codec.encode(event)).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(key(event))
                .withTopic(topic(event))
                .build());
    }

    public static ProducerRecord<String, byte[]> toRecord(EventCodec codec, CloudEvent<?> event) {
        return new ProducerRecord<>(topic(event), key(event), codec.encode(event));
    }

    private static String key(CloudEvent<?> event) {
        return event.subject();
    }

    private static String topic(CloudEvent<?> event) {
        return event.eventType().topic();
    }
}
