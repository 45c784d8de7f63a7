package io.jitsiops.log.tail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jitsiops.events.EventPayload;
import io.jitsiops.events.kafka.EventPublisher;
import io.jitsiops.events.payload.LogErrorEntry;
import io.jitsiops.log.config.LogConfig;
import io.smallrye.mutiny.Uni;

/**
 * Ships entries with a plain idempotent, acks=all Kafka producer: the tailer needs each record's
 * acknowledgement (and its offset) before it moves a cursor, for hundreds of thousands of records a second,
 * which the reactive-messaging emitter's per-message acknowledgement does not give at that rate.
 * High-priority entries go through the shared {@link EventPublisher} (the CloudEvents contract, jitsi-ops.logs).
 */
@ApplicationScoped
public class KafkaShipper implements Shipper {
    private static final Logger LOG = Logger.getLogger(KafkaShipper.class);

    private final KafkaProducer<byte[], byte[]> producer;
    private final String bootstrap;
    private final String topic;
    private static final int REQUEST_TIMEOUT_MS = 5000;
    /** After the producer's own give-up, how long a step still waits for a future that never completes. */
    private static final Duration GRACE = Duration.ofSeconds(2);

    private final Duration ackTimeout;
    private final Duration deliveryTimeout;
    private final ObjectMapper json;
    private final EventPublisher events;

    public KafkaShipper(LogConfig config, ObjectMapper json, EventPublisher events,
                        @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        this.json = json;
        this.events = events;
        this.bootstrap = bootstrap;
        this.topic = config.publish().entriesTopic();
        this.ackTimeout = config.publish().ackTimeout();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, config.publish().compression());
        p.put(ProducerConfig.LINGER_MS_CONFIG, (int) config.publish().linger().toMillis());
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
        // Kafka away: a step fails within seconds and is retried from its cursor, instead of blocking a minute.
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, REQUEST_TIMEOUT_MS);
        // The producer gives a record up after ack-timeout (at least request timeout + linger, which Kafka requires):
        // its future then fails, and only then is the step retried. A record the tailer stopped waiting for while
        // the producer still retried it could arrive after the retry's copy: a duplicate.
        this.deliveryTimeout = Duration.ofMillis(Math.max(ackTimeout.toMillis(), REQUEST_TIMEOUT_MS + config.publish().linger().toMillis()));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) deliveryTimeout.toMillis());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "log-service-entries");
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public ObjectMapper json() {
        return json;
    }

    @Override
    public Ack ship(String key, List<byte[]> entries, List<LogErrorEntry> immediate) throws Exception {
        return send(key, entries, immediate).await();
    }

    @Override
    public Sent send(String key, List<byte[]> entries, List<LogErrorEntry> immediate) throws Exception {
        long start = System.nanoTime();
        long deadline = start + ackTimeout.toNanos();
        java.util.concurrent.CompletableFuture<?> published = null;
        if (!immediate.isEmpty()) {
            List<Uni<Object>> sent = new ArrayList<>(immediate.size());
            for (EventPayload e : immediate) {
                sent.add(events.publish(e).map(x -> (Object) x));
            }
            // subscribed now (the emitter sends on subscription): their acknowledgements come with the records'
            published = Uni.join().all(sent).andFailFast().subscribeAsCompletionStage();
        }
        List<Future<RecordMetadata>> acks = new ArrayList<>(entries.size());
        byte[] keyBytes = key.getBytes(java.nio.charset.StandardCharsets.UTF_8); // StringSerializer's encoding, once a step
        for (byte[] value : entries) {
            Future<RecordMetadata> f = producer.send(new ProducerRecord<>(topic, keyBytes, value));
            if (f.isDone()) {
                f.get(); // failed at once (no metadata within max.block.ms: Kafka away): stop at the first record
            }
            if (System.nanoTime() > deadline) {
                throw new java.util.concurrent.TimeoutException("records not sent within " + ackTimeout);
            }
            acks.add(f);
        }
        return new SentRecords(acks, published, start + deliveryTimeout.toNanos() + GRACE.toNanos());
    }

    /**
     * A step's records handed to the producer. Not flushed: {@code producer.flush()} waits for every record of the
     * producer (all the tailers'), for up to delivery.timeout.ms when Kafka is away, which stalled the tail loop and
     * shutdown; the last batch leaves after linger.ms anyway. A wait is for this step's own futures and bounded.
     */
    private static final class SentRecords implements Sent {
        private final List<Future<RecordMetadata>> acks;
        private final java.util.concurrent.CompletableFuture<?> published;
        private final long giveUp;
        private int known; // acks[0, known) are done

        SentRecords(List<Future<RecordMetadata>> acks, java.util.concurrent.CompletableFuture<?> published, long giveUp) {
            this.acks = acks;
            this.published = published;
            this.giveUp = giveUp;
        }

        @Override
        public boolean arrived(Duration max) throws InterruptedException {
            long until = Math.min(giveUp, System.nanoTime() + max.toNanos());
            for (; known < acks.size(); known++) {
                if (!done(acks.get(known), until)) {
                    return System.nanoTime() >= giveUp;
                }
            }
            return published == null || done(published, until) || System.nanoTime() >= giveUp;
        }

        private static boolean done(Future<?> f, long until) throws InterruptedException {
            if (f.isDone()) {
                return true;
            }
            long left = until - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                f.get(left, TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException failed) {
                // arrived: await() throws it
            } catch (java.util.concurrent.TimeoutException notYet) {
                return false;
            }
            return true;
        }

        @Override
        public Ack await() throws Exception {
            RecordMetadata last = null;
            for (Future<RecordMetadata> f : acks) {
                last = f.get(Math.max(1, giveUp - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            if (published != null) {
                published.get(Math.max(1, giveUp - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            return last == null ? null : new Ack(last.partition(), last.offset());
        }
    }

    @Override
    public java.util.Map<Generation, Long> shippedAfter(String key, Integer partition, Long offset) {
        java.util.Map<Generation, Long> ends = new java.util.HashMap<>();
        if (partition == null || offset == null) {
            return ends;
        }
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "log-service-recovery-" + UUID.randomUUID());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        TopicPartition tp = new TopicPartition(topic, partition);
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            c.assign(List.of(tp));
            long end = c.endOffsets(List.of(tp), Duration.ofSeconds(10)).get(tp);
            c.seek(tp, offset + 1);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (c.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    if (!key.equals(r.key())) {
                        continue;
                    }
                    JsonNode n = json.readTree(r.value());
                    ends.merge(new Generation(n.path("fileKey").asText(), n.path("fingerprintLength").asInt(),
                            n.path("fingerprint").asText()), n.path("end").asLong(-1), Math::max);
                }
            }
        } catch (Exception e) {
            // Without the look-up the tail after the cursor is shipped again (duplicates, recognisable by
            // fileKey + fingerprint + position), never lost.
            LOG.warnf("%s: could not read back what was shipped after the cursor: %s", key, e.getMessage());
        }
        return ends;
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
