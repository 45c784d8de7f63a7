package io.jitsiops.alert.service;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.jitsiops.events.CloudEvent;
import io.jitsiops.events.DeadLetters;
import io.jitsiops.events.EventPayload;
import io.jitsiops.events.EventCodec;
import io.jitsiops.events.MalformedEventException;
import io.jitsiops.events.payload.PrometheusAlertsPosted;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Reads every jitsi-ops topic that carries inputs, one poll at a time (events for the rules, and the alerts posted by
 * Prometheus routed through {@code jitsi-ops.alert-intake}, applied by {@link ExternalAlertIntake}): the valid events of a poll are evaluated together and their
 * effects made durable in one group commit ({@link AlertEngine#evaluateAll}); the poll's offsets are committed only
 * when that is done (at-least-once). A storage failure is not the records' fault, so it holds the partitions
 * (offsets not committed) instead of dead-lettering good events. A record that is not a valid event is copied,
 * untouched, to {@code jitsi-ops.dlq} with the reason and its origin (the headers SmallRye's dead-letter strategy
 * writes, {@link DeadLetters}) and the others of its poll go on; the poll completes only once the broker has it.
 * <p>
 * By hand rather than the channel's dead-letter strategy, which in batch mode would dead-letter the whole poll.
 */
@ApplicationScoped
public class EventIngestor {
    private static final Logger LOG = Logger.getLogger(EventIngestor.class);
    private final EventCodec codec = new EventCodec();
    private final AlertEngine engine;
    private final ExternalAlertIntake intake;
    private final PartitionOwnership ownership;
    private final MutinyEmitter<byte[]> deadLetters;

    public EventIngestor(AlertEngine engine, ExternalAlertIntake intake,
                         @io.smallrye.common.annotation.Identifier("alert-partition-ownership") PartitionOwnership ownership,
                         @Channel("dead-letters-out") MutinyEmitter<byte[]> deadLetters) {
        this.engine = engine;
        this.intake = intake;
        this.ownership = ownership;
        this.deadLetters = deadLetters;
    }

    @Incoming("events-in")
    public Uni<Void> consume(ConsumerRecords<String, byte[]> records) {
        List<AlertEngine.Input> inputs = new ArrayList<>(records.count());
        List<ExternalAlertIntake.PostedRecord> posted = new ArrayList<>();
        List<Uni<Void>> deadLettered = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                CloudEvent<EventPayload> event = codec.decode(record.value());
                String partition = OwnedPartitions.key(record.topic(), record.partition());
                if (event.data() instanceof PrometheusAlertsPosted p) {
                    // alerts Prometheus posted to some replica, routed here because this replica owns their partition
                    posted.add(new ExternalAlertIntake.PostedRecord(p, partition));
                } else {
                    inputs.add(new AlertEngine.Input(event, partition));
                }
            } catch (MalformedEventException e) {
                LOG.warnf("Dead-lettering %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), e.getMessage());
                deadLettered.add(deadLetter(record, e));
            }
        }
        // a partition whose persisted alerts could not be adopted (PostgreSQL away during the rebalance) is adopted
        // first; until then the poll waits, uncommitted, as it does while its effects cannot be written
        // both kinds of input complete once their effects are durable; the intake's hand-over is tried again while its
        // thread's queue is full
        Uni<Void> evaluated = ownership.adopted()
                .onFailure().retry().withBackOff(java.time.Duration.ofMillis(200), java.time.Duration.ofSeconds(5)).indefinitely()
                .chain(() -> posted.isEmpty() ? engine.evaluateAll(inputs) : Uni.combine().all().unis(engine.evaluateAll(inputs),
                        Uni.createFrom().deferred(() -> intake.applyPosted(posted))
                                .onFailure(ExternalAlertIntake.SaturatedException.class).retry()
                                .withBackOff(Duration.ofMillis(50), Duration.ofSeconds(1)).indefinitely()).discardItems());
        if (deadLettered.isEmpty()) {
            return evaluated;
        }
        return Uni.join().all(deadLettered).andCollectFailures().replaceWithVoid().chain(() -> evaluated);
    }

    /** Completes when the broker acknowledged the copy; retried while Kafka is away, so the record is never lost. */
    private Uni<Void> deadLetter(ConsumerRecord<String, byte[]> record, MalformedEventException e) {
        RecordHeaders headers = new RecordHeaders();
        record.headers().forEach(headers::add);
        headers.add(DeadLetters.REASON, bytes(e.getMessage()));
        if (e.getCause() != null && e.getCause().getMessage() != null) {
            headers.add(DeadLetters.CAUSE, bytes(e.getCause().getMessage()));
        }
        headers.add(DeadLetters.TOPIC, bytes(record.topic()));
        headers.add(DeadLetters.PARTITION, bytes(Integer.toString(record.partition())));
        headers.add(DeadLetters.OFFSET, bytes(Long.toString(record.offset())));
        Message<byte[]> message = Message.of(record.value()).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(record.key()).withHeaders(headers).build());
        return Uni.createFrom().deferred(() -> deadLetters.sendMessage(message))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely();
    }

    private static byte[] bytes(String s) {
        return s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
    }
}
