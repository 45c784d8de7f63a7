package io.jitsiops.stack;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.jitsiops.events.CloudEvent;
import io.jitsiops.events.EventCodec;
import io.jitsiops.events.EventPayload;

/**
 * The local stack's own Kafka (not the test kit's per-JVM broker): puts records on the services' topics as a
 * producing service would (or malformed ones, as a broken producer would), reads topics from the start, and reads
 * a consumer group's committed offsets (what a service has finished with).
 */
final class StackKafka implements AutoCloseable {
    private final String bootstrap;
    private final KafkaProducer<String, byte[]> producer;
    private final EventCodec codec = new EventCodec();

    StackKafka(int port) {
        this.bootstrap = "127.0.0.1:" + port;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        this.producer = new KafkaProducer<>(p);
    }

    /** Publishes a well-formed event on its contract topic, keyed by its subject; answers where it landed. */
    RecordMetadata publish(String source, EventPayload payload) throws Exception {
        CloudEvent<EventPayload> e = CloudEvent.of(source, payload);
        return producer.send(new ProducerRecord<>(e.eventType().topic(), e.subject(), codec.encode(e))).get();
    }

    /** Publishes raw bytes (e.g. a malformed event) on a topic with a key; answers where it landed. */
    RecordMetadata publishRaw(String topic, String key, byte[] value) throws Exception {
        return producer.send(new ProducerRecord<>(topic, key, value)).get();
    }

    void flush() {
        producer.flush();
    }

    /** Sends without waiting for each acknowledgement (a burst); {@link #flush()} waits for them all. */
    void publishAsync(String source, EventPayload payload) {
        CloudEvent<EventPayload> e = CloudEvent.of(source, payload);
        producer.send(new ProducerRecord<>(e.eventType().topic(), e.subject(), codec.encode(e)));
    }

    /** The records of {@code topic} that match, read from the beginning, until {@code count} were found or time ran out. */
    List<ConsumerRecord<String, byte[]>> collect(String topic, Predicate<ConsumerRecord<String, byte[]>> match, int count,
                                                 Duration timeout) {
        return io.jitsiops.testkit.KafkaRecords.collect(bootstrap, List.of(topic), match, count, timeout);
    }

    /** The offset a consumer group has committed on a partition (the next record it will read), or -1. */
    long committed(String group, String topic, int partition) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            TopicPartition tp = new TopicPartition(topic, partition);
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            OffsetAndMetadata o = offsets.get(tp);
            return o == null ? -1 : o.offset();
        }
    }

    static String header(ConsumerRecord<String, byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
