package io.jitsiops.log.tail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
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
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
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
    /** Single threads building and handing records to the producer, a key always on the same one (its order). */
    private final ExecutorService[] encoders;

    /** The producer's own metrics on /q/metrics (client_id="log-service-entries"): Quarkus binds only SmallRye's. */
    private final KafkaClientMetrics producerMetrics;

    public KafkaShipper(LogConfig config, ObjectMapper json, EventPublisher events, MeterRegistry meters,
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
        // Kafka's default, written out: the idempotent producer keeps a partition's records in order with up to 5
        // requests in flight, which steps-in-flight > 1 relies on (a file's steps, one key, one partition).
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
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
        // so that a shipping failure is seen by Prometheus (kafka_producer_record_error_total of this client), as the
        // events-out producer's is through Quarkus' Kafka binder
        this.producerMetrics = new KafkaClientMetrics(producer);
        producerMetrics.bindTo(meters);
        this.encoders = new ExecutorService[Math.max(1, config.tail().threads())];
        for (int i = 0; i < encoders.length; i++) {
            String name = "log-records-" + (i + 1);
            encoders[i] = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
            });
        }
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
        CompletableFuture<?> published = publish(immediate);
        CompletableFuture<List<Future<RecordMetadata>>> handed = CompletableFuture.completedFuture(
                hand(key, Records.of(entries), start + ackTimeout.toNanos()));
        return new SentRecords(handed, published, start + deliveryTimeout.toNanos() + GRACE.toNanos());
    }

    /**
     * Builds the values and hands them to the producer on the key's encoding thread (the producer compresses there
     * too), and returns at once: the tailer reads and parses its next step meanwhile. One file's records keep their
     * order: a key always goes to the same single thread, which takes its steps in the order they were sent.
     */
    @Override
    public Sent send(String key, Records records, List<LogErrorEntry> immediate) throws Exception {
        long start = System.nanoTime();
        CompletableFuture<?> published = publish(immediate);
        CompletableFuture<List<Future<RecordMetadata>>> handed = new CompletableFuture<>();
        encoders[Math.floorMod(key.hashCode(), encoders.length)].execute(() -> {
            try {
                handed.complete(hand(key, records, start + ackTimeout.toNanos()));
            } catch (Throwable e) { // an Error too: the step must fail, not wait for its give-up
                handed.completeExceptionally(e);
            }
        });
        return new SentRecords(handed, published, start + deliveryTimeout.toNanos() + GRACE.toNanos());
    }

    /** On the key's writer thread, after the steps sent before under the key (see {@link #send(String, Records, List)}). */
    @Override
    public <T> CompletableFuture<T> onWriter(String key, java.util.concurrent.Callable<T> work) {
        CompletableFuture<T> done = new CompletableFuture<>();
        encoders[Math.floorMod(key.hashCode(), encoders.length)].execute(() -> {
            try {
                done.complete(work.call());
            } catch (Throwable e) { // an Error too: the step must fail, not wait
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    private CompletableFuture<?> publish(List<LogErrorEntry> immediate) {
        if (immediate.isEmpty()) {
            return null;
        }
        List<Uni<Object>> sent = new ArrayList<>(immediate.size());
        for (EventPayload e : immediate) {
            sent.add(events.publish(e).map(x -> (Object) x));
        }
        // subscribed now (the emitter sends on subscription): their acknowledgements come with the records'
        return Uni.join().all(sent).andFailFast().subscribeAsCompletionStage();
    }

    private List<Future<RecordMetadata>> hand(String key, Records records, long deadline) throws Exception {
        List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
        byte[] keyBytes = key.getBytes(java.nio.charset.StandardCharsets.UTF_8); // StringSerializer's encoding, once a step
        for (int i = 0; i < records.size(); i++) {
            Future<RecordMetadata> f = producer.send(new ProducerRecord<>(topic, keyBytes, records.value(i)));
            if (f.isDone()) {
                f.get(); // failed at once (no metadata within max.block.ms: Kafka away): stop at the first record
            }
            if (System.nanoTime() > deadline) {
                throw new java.util.concurrent.TimeoutException("records not sent within " + ackTimeout);
            }
            acks.add(f);
        }
        return acks;
    }

    /**
     * A step's records handed (or being handed) to the producer. Not flushed: {@code producer.flush()} waits for every
     * record of the producer (all the tailers'), for up to delivery.timeout.ms when Kafka is away, which stalled the
     * tail loop and shutdown; the last batch leaves after linger.ms anyway. A wait is for this step's own futures
     * and bounded.
     */
    private static final class SentRecords implements Sent {
        private final CompletableFuture<List<Future<RecordMetadata>>> handed;
        private final CompletableFuture<?> published;
        private final long giveUp;
        private int known; // acks[0, known) are done

        SentRecords(CompletableFuture<List<Future<RecordMetadata>>> handed, CompletableFuture<?> published, long giveUp) {
            this.handed = handed;
            this.published = published;
            this.giveUp = giveUp;
        }

        @Override
        public boolean arrived(Duration max) throws InterruptedException {
            long until = Math.min(giveUp, System.nanoTime() + max.toNanos());
            if (!done(handed, until)) {
                return System.nanoTime() >= giveUp;
            }
            if (handed.isCompletedExceptionally()) {
                return true; // await() throws it
            }
            List<Future<RecordMetadata>> acks = handed.join();
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
        public boolean handFailed() {
            return handed.isCompletedExceptionally();
        }

        @Override
        public Ack await() throws Exception {
            List<Future<RecordMetadata>> acks;
            try {
                acks = handed.get(Math.max(1, giveUp - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                // the failure of the hand-over itself (Kafka away, too slow), as the synchronous send threw it
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
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
    public Ack positionBefore(String key) {
        try {
            int partitions = producer.partitionsFor(topic).size(); // at most max.block.ms when Kafka is away
            // The producer's own choice for a keyed record with no partition given (murmur2 of the key bytes).
            int partition = BuiltInPartitioner.partitionForKey(key.getBytes(java.nio.charset.StandardCharsets.UTF_8), partitions);
            TopicPartition tp = new TopicPartition(topic, partition);
            try (KafkaConsumer<String, byte[]> c = recoveryConsumer()) {
                return new Ack(partition, c.endOffsets(List.of(tp), Duration.ofSeconds(10)).get(tp) - 1);
            }
        } catch (Exception e) {
            LOG.warnf("%s: could not find the partition's end before the first records: %s", key, e.getMessage());
            return null;
        }
    }

    private KafkaConsumer<String, byte[]> recoveryConsumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "log-service-recovery-" + UUID.randomUUID());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public java.util.Map<Generation, Long> shippedAfter(String key, Integer partition, Long offset) {
        java.util.Map<Generation, Long> ends = new java.util.HashMap<>();
        if (partition == null || offset == null) {
            return ends;
        }
        TopicPartition tp = new TopicPartition(topic, partition);
        try (KafkaConsumer<String, byte[]> c = recoveryConsumer()) {
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
        for (ExecutorService e : encoders) {
            e.shutdownNow();
        }
        producerMetrics.close();
        producer.close(Duration.ofSeconds(5));
    }
}
