package io.jitsiops.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import io.jitsiops.testkit.LocalServers;

/** The contract on a real Kafka broker (started by the test kit as a local process). */
class EventsThroughKafkaTest {
    private final EventCodec codec = new EventCodec();

    @Test
    void anEventOfEachTypeGoesThroughTheBrokerAndIsReadBackIntactKeyedBySubject() throws Exception {
        String bootstrap = LocalServers.kafka().bootstrapServers();
        List<CloudEvent<EventPayload>> sent = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps(bootstrap))) {
            for (EventPayload payload : SampleEvents.oneOfEachType()) {
                CloudEvent<EventPayload> event = CloudEvent.of("/jitsi-ops/test", payload);
                producer.send(new ProducerRecord<>(event.eventType().topic(), event.subject(), codec.encode(event))).get();
                sent.add(event);
            }
        }
        List<ConsumerRecord<String, byte[]>> received = readAll(bootstrap, Topics.EVENT_TOPICS, sent.size());
        List<CloudEvent<EventPayload>> decoded = received.stream().map(r -> codec.decode(r.value())).toList();
        assertThat(decoded).containsExactlyInAnyOrderElementsOf(sent);
        for (ConsumerRecord<String, byte[]> r : received) {
            CloudEvent<EventPayload> e = codec.decode(r.value());
            assertThat(r.key()).isEqualTo(e.subject());
            assertThat(r.topic()).isEqualTo(e.eventType().topic());
        }
    }

    static Properties producerProps(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return p;
    }

    static List<ConsumerRecord<String, byte[]>> readAll(String bootstrap, List<String> topics, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "events-test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(topics);
            Instant deadline = Instant.now().plusSeconds(60);
            while (out.size() < expected && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
            }
        }
        return out;
    }

}
