package io.jitsiops.alert.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.jitsiops.events.CloudEvent;
import io.jitsiops.events.EventCodec;
import io.jitsiops.events.EventPayload;
import io.jitsiops.events.kafka.KafkaEventMessages;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;

/**
 * Publishes the service's alert changes ({@code AlertStateChanged}) on {@code jitsi-ops.alerts}, a batch at a time,
 * with kafka-clients' own producer and the contract's record ({@link KafkaEventMessages#toRecord}).
 * <p>
 * Why not the events module's {@code EventPublisher} (a SmallRye Reactive Messaging emitter), which the other services
 * use: every alert change is one event, and the emitter's per-message pipeline — a Mutiny chain per record, its retry
 * operator, context-propagation captures, metadata look-ups and the tracing hook, run again on Kafka's network thread
 * for each acknowledgement — was about a third of the service's CPU samples while it took new alerts in batches of
 * 1000 (JFR, bench/alerts, session 26: 165 of 620 samples on the producer's network thread, 42 in the emitter's send,
 * 25 on SmallRye's producer thread). Here a batch costs one hand-over to the sender thread and one counter decrement
 * per acknowledgement.
 * <p>
 * Records are handed to the producer on one sender thread, in the order the batches came, so that a send that waits
 * for metadata or for buffer space ({@code max.block.ms}, Kafka away) never blocks an event loop; the producer keeps
 * the order of each alert's records (its key, the alert's subject; idempotent). An event the producer could not
 * deliver (Kafka away past its delivery time-out) is sent again with back-off, its id unchanged, until Kafka takes
 * it: {@link #publish} completes once every event of the batch was acknowledged, and never fails.
 * <p>
 * The back-off is written here rather than with Mutiny's retry: a retry would subscribe to the whole batch again and
 * send its acknowledged events a second time; here only those Kafka did not take go again, from the sender thread.
 * Order across an outage: the producer keeps each alert's order while it retries by itself (up to
 * {@code delivery.timeout.ms}, 2 minutes by default); an event it gave up is sent again after the back-off, so a
 * later change of the same alert, sent once Kafka was back, may arrive before it. The emitter's per-record retry
 * before this class had the same limit; each event carries the alert's state and its start and end times.
 */
@ApplicationScoped
public class AlertChangePublisher {
    private static final Logger LOG = Logger.getLogger(AlertChangePublisher.class);
    static final Duration FIRST_BACK_OFF = Duration.ofMillis(200);
    static final Duration MAX_BACK_OFF = Duration.ofSeconds(10);

    private final EventCodec codec = new EventCodec();
    private final String source;
    private final KafkaProducer<String, byte[]> producer;
    private final ScheduledThreadPoolExecutor sender = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "alert-change-publisher");
        t.setDaemon(true);
        return t;
    });

    /** {@code kafka}: Quarkus's {@code kafka.*} configuration ({@link KafkaProducers#create}). */
    public AlertChangePublisher(@Identifier("default-kafka-broker") Map<String, Object> kafka,
                                @ConfigProperty(name = "jitsiops.events.source") String source) {
        this.source = source;
        sender.setExecuteExistingDelayedTasksAfterShutdownPolicy(false); // no retry of Kafka away at shutdown
        // a batch of changes (1000 alerts posted at once) goes out together: batches of up to 256 KiB for up to
        // 20 ms (Kafka's 16 KiB default holds about 40 of these events), fewer produce requests for the broker on
        // the same cores (bench/alerts FANOUT_ONLY, session 23: the stack's PostgreSQL + Kafka CPU-s per round of
        // 5,000 alerts 0.34-0.39 against 0.42-0.48 with 16 KiB and 5 ms). A change reaches jitsi-ops.alerts up to
        // 20 ms later.
        this.producer = KafkaProducers.create(kafka, "alert-change-publisher", Map.of(
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 262_144));
    }

    /** The envelope of a change: made once, so that an event sent again keeps its id. */
    public CloudEvent<EventPayload> envelope(EventPayload payload) {
        return CloudEvent.of(source, payload);
    }

    /**
     * Hands the events to Kafka, in order, after those of earlier calls; completes (on Kafka's network thread or the
     * sender's) once the broker acknowledged every one of them.
     */
    public Uni<Void> publish(List<? extends CloudEvent<?>> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            sender.execute(() -> send(List.copyOf(events), done, FIRST_BACK_OFF));
        } catch (RejectedExecutionException e) {
            LOG.warnf("%d alert changes were not published: the service is stopping", events.size());
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().completionStage(done);
    }

    private void send(List<? extends CloudEvent<?>> events, CompletableFuture<Void> done, Duration backOff) {
        AtomicInteger left = new AtomicInteger(events.size());
        // the failure of each event that was not delivered, by its place in the batch (retried in that order)
        AtomicReferenceArray<Exception> failures = new AtomicReferenceArray<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            int index = i;
            Exception refused = null;
            int firstUnsent = i + 1;
            try {
                Future<RecordMetadata> sent = producer.send(KafkaEventMessages.toRecord(codec, events.get(i)), (meta, e) -> {
                    if (e != null) {
                        failures.set(index, e);
                    }
                    if (left.decrementAndGet() == 0) {
                        finish(events, failures, done, backOff);
                    }
                });
                if (sent.isDone()) { // refused by the producer itself, which then fails the future at once (and calls back)
                    refused = failureOf(sent);
                }
            } catch (RuntimeException e) { // the producer closed, or a record it cannot serialize: no call back
                refused = e;
                firstUnsent = i;
            }
            if (refused != null) {
                // no metadata within max.block.ms, no buffer space: each further record would wait as long, so the
                // rest of the batch is sent again with this one, in order
                for (int j = firstUnsent; j < events.size(); j++) {
                    failures.set(j, refused);
                }
                if (firstUnsent < events.size() && left.addAndGet(firstUnsent - events.size()) == 0) {
                    finish(events, failures, done, backOff);
                }
                return;
            }
        }
    }

    private static Exception failureOf(Future<RecordMetadata> sent) {
        try {
            sent.get();
            return null;
        } catch (ExecutionException e) {
            return e.getCause() instanceof Exception cause ? cause : e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        }
    }

    private void finish(List<? extends CloudEvent<?>> events, AtomicReferenceArray<Exception> failures,
                        CompletableFuture<Void> done, Duration backOff) {
        List<CloudEvent<?>> again = new ArrayList<>();
        Exception first = null;
        for (int i = 0; i < events.size(); i++) {
            Exception e = failures.get(i);
            if (e != null) {
                again.add(events.get(i));
                first = first == null ? e : first;
            }
        }
        if (again.isEmpty()) {
            done.complete(null);
            return;
        }
        Duration next = backOff.multipliedBy(2).compareTo(MAX_BACK_OFF) > 0 ? MAX_BACK_OFF : backOff.multipliedBy(2);
        try {
            sender.schedule(() -> send(again, done, next), backOff.toMillis(), TimeUnit.MILLISECONDS);
            LOG.warnf("Kafka did not take %d alert changes (%s); sending them again in %d ms", again.size(),
                    first.getMessage(), backOff.toMillis());
        } catch (RejectedExecutionException e) {
            LOG.warnf("%d alert changes were not published before shutdown: %s", again.size(), first.getMessage());
            done.complete(null);
        }
    }

    @PreDestroy
    void stop() {
        sender.shutdown();
        try {
            sender.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
