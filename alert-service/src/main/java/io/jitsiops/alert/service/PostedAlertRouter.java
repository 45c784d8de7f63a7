package io.jitsiops.alert.service;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.utils.Utils;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.jitsiops.alert.client.KafkaProducers;
import io.jitsiops.alert.evaluate.Fingerprints;
import io.jitsiops.alert.service.ExternalAlertIntake.PostableAlert;
import io.jitsiops.events.CloudEvent;
import io.jitsiops.events.EventCodec;
import io.jitsiops.events.Topics;
import io.jitsiops.events.payload.PrometheusAlertsPosted;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;

/**
 * Routes the alerts a Prometheus server posted to this replica to the replica that owns them, through
 * {@code jitsi-ops.alert-intake}: each alert's partition is a stable hash of its fingerprint (Kafka's murmur2, as its
 * default partitioner hashes a key) modulo the topic's partition count as the broker reports it (a topic the broker
 * created by itself has the broker's default count, not ours); one record per partition per post holds the alerts of
 * the post that fall on it. The owner of the partition (the consumer group's assignment, the same as for every other
 * input) applies them ({@link ExternalAlertIntake#applyPosted}), so Prometheus posting to every replica, or an HA pair
 * of Prometheus servers landing on different replicas, makes one owner per alert, not one per replica.
 * <p>
 * The alerts of partitions this replica holds itself ({@link PartitionOwnership#holdsHere}: assigned here, adopted,
 * and its group membership certainly alive) skip the round through Kafka and go straight to the intake thread
 * ({@link ExternalAlertIntake#applyHere}), which applies them as it would their record — with one replica, every
 * post — or refuses them (503) while it runs too far ahead of PostgreSQL. The round costs a produce, the broker's write and a consume with two decodings per post on the same cores
 * (single-alert posts: ~5,000/s through Kafka against ~10,000/s for Alertmanager in bench/alerts, session 25).
 * Posts routed and posts applied here may reach the owner out of order; the owner applies an alert's latest post
 * and skips older ones (by {@code receivedAt}). The alerts of an owner that has left what this replica routed to it
 * unapplied for longer than {@code max-owner-lag} are not routed, and the post is answered 503, as the alerts this
 * replica owns are refused while it runs too far ahead of PostgreSQL ({@link OwnerLagGuard}); in both cases the rest
 * of the post is applied or routed, and Prometheus's next post brings it all again (applying an alert's post twice
 * changes nothing).
 * <p>
 * When a post is answered: once its records are handed to the producer, not once the broker acknowledged them. That
 * keeps the trade-off the intake made before this routing (answered once in memory, written behind): a crash, or a
 * Kafka outage longer than the producer's delivery timeout, loses at most what was handed over last, and
 * Prometheus's next re-post (every minute for firing alerts, for 15 minutes for resolved ones) brings it back.
 * Waiting for the broker's acknowledgement would make every single-alert post wait a produce round trip, with 8
 * posts in flight a bound of 8 / round trip on the intake (see the README's alert-service section for the figures).
 * <p>
 * Never blocks the event loop ({@code max.block.ms=0}): unknown topic metadata or a full producer buffer fail the
 * send at once. A post is answered 503 (Prometheus retries) when a record could not be handed over, and while Kafka
 * looks away: a record handed over has waited longer than {@link #STALL_NANOS} with no acknowledgement since, or the
 * last one completed with an error. Those posts' records are still handed over: they probe Kafka (their
 * acknowledgement ends the outage here), and applying a post twice changes nothing.
 * <p>
 * A plain KafkaProducer rather than a SmallRye emitter: SmallRye's per-message pipeline was ~12% of a warm round in
 * the last profile, and its emitter gives no way to refuse a send without waiting (its buffer overflow strategy).
 */
@ApplicationScoped
public class PostedAlertRouter {
    private static final Logger LOG = Logger.getLogger(PostedAlertRouter.class);
    /** How long a handed-over record may go unacknowledged before Kafka is taken as away. */
    static final long STALL_NANOS = 2_000_000_000L;
    /** Records above this are split: well under the broker's default message.max.bytes (1 MiB) and the producer's. */
    static final int MAX_RECORD_BYTES = 512 * 1024;

    /** Why a post was refused (503): each calls for a different fix. */
    public enum Refusal {
        /** Kafka cannot take the routed alerts now. */
        KAFKA,
        /** This replica owns some of the alerts and has more than twice max-unwritten changes waiting for PostgreSQL. */
        UNWRITTEN_LIMIT,
        /** This replica owns some of the alerts and its intake thread's queue is full. */
        INTAKE_QUEUE_FULL,
        /** Another replica owns some of the alerts and has left those routed to it unapplied too long. */
        BEHIND_OWNER
    }

    /** Kafka cannot take posted alerts now, or PostgreSQL or an owner is behind: answered 503, Prometheus posts again. */
    public static final class UnavailableException extends RuntimeException {
        private final Refusal refusal;

        UnavailableException(String message) {
            this(message, Refusal.KAFKA);
        }

        UnavailableException(String message, Refusal refusal) {
            super(message);
            this.refusal = refusal;
        }

        public Refusal refusal() {
            return refusal;
        }
    }

    private final EventCodec codec = new EventCodec();
    private final String source;
    private final PartitionOwnership ownership;
    private final ExternalAlertIntake intake;
    private final OwnerLagGuard ownerLag;
    private final KafkaProducer<String, byte[]> producer;
    private final AtomicInteger unacknowledged = new AtomicInteger();
    /** When the oldest unacknowledged record was handed over or the last acknowledgement came, whichever is later. */
    private volatile long progressNanos = System.nanoTime();
    private volatile boolean lastFailed;
    private volatile String lastError;

    /** {@code kafka}: Quarkus's {@code kafka.*} configuration ({@link KafkaProducers#create}). */
    public PostedAlertRouter(@Identifier("default-kafka-broker") Map<String, Object> kafka,
                             @ConfigProperty(name = "jitsiops.events.source") String source,
                             @Identifier("alert-partition-ownership") PartitionOwnership ownership, ExternalAlertIntake intake,
                             OwnerLagGuard ownerLag) {
        this.source = source;
        this.ownership = ownership;
        this.intake = intake;
        this.ownerLag = ownerLag;
        this.producer = KafkaProducers.create(kafka, "alert-intake-router", Map.of(
                // the event loop never waits: missing metadata or a full buffer fail the send at once (answered 503)
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 0,
                // batches of posts go together: fewer produce requests for the broker on the same two cores
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 262_144));
    }

    /**
     * Asks for the topic's metadata at start-up, off the start-up thread, so the first post finds it (a send with
     * unknown metadata fails at once here, and only asks for it). Kafka away: posts are refused until it is back.
     */
    void onStart(@Observes StartupEvent event) {
        Thread t = new Thread(() -> {
            for (int i = 0; i < 600; i++) {
                try {
                    partitions();
                    return;
                } catch (UnavailableException e) {
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
            LOG.warnf("No metadata for %s after 60 s: posted alerts are refused (503) until Kafka answers", Topics.ALERT_INTAKE);
        }, "alert-intake-metadata");
        t.setDaemon(true);
        t.start();
    }

    @PreDestroy
    void stop() {
        producer.close(java.time.Duration.ofSeconds(5));
    }

    /** The partition count of {@code jitsi-ops.alert-intake} as the broker reports it (metadata cached by the producer). */
    public int partitions() {
        List<PartitionInfo> info;
        try {
            info = producer.partitionsFor(Topics.ALERT_INTAKE);
        } catch (KafkaException e) {
            throw new UnavailableException("Kafka has no metadata for " + Topics.ALERT_INTAKE + " yet: " + e.getMessage());
        }
        if (info == null || info.isEmpty()) {
            throw new UnavailableException("Kafka has no partitions for " + Topics.ALERT_INTAKE + " yet");
        }
        return info.size();
    }

    /** The partition of {@code jitsi-ops.alert-intake} an alert with this fingerprint belongs to. */
    public static int partitionOf(String fingerprint, int partitions) {
        return Utils.toPositive(Utils.murmur2(fingerprint.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /**
     * Hands the alerts of one post to Kafka, one record per partition; returns normally once they are handed over.
     * Throws {@link UnavailableException} when a record could not be handed over, Kafka looks away, this replica
     * owns some of the alerts and is more than twice max-unwritten ahead of PostgreSQL, or its intake queue is
     * full ({@link ExternalAlertIntake#applyHere}; each its own {@link Refusal}), or another replica owns some and is further behind
     * than {@code max-owner-lag} ({@link OwnerLagGuard}; answer 503), and
     * IllegalArgumentException for a single alert larger than a record may be (answer 400).
     */
    public void route(List<PostableAlert> posted) {
        int partitions = partitions();
        Instant receivedAt = Instant.now();
        @SuppressWarnings("unchecked")
        List<PrometheusAlertsPosted.Alert>[] byPartition = new List[partitions];
        for (PostableAlert p : posted) {
            Map<String, String> labels = p.labels();
            // the fingerprint is over the labels as posted (Alertmanager's): a shard Prometheus sends is part of it
            String fp = Fingerprints.of(labels.getOrDefault("alertname", "prometheus"), labels);
            int partition = partitionOf(fp, partitions);
            List<PrometheusAlertsPosted.Alert> list = byPartition[partition];
            if (list == null) {
                list = byPartition[partition] = new ArrayList<>(posted.size() == 1 ? 1 : posted.size() / partitions + 4);
            }
            list.add(new PrometheusAlertsPosted.Alert(fp, labels, p.summary(), p.description(), p.startsAt(), p.endsAt(),
                    p.generatorURL()));
        }
        boolean away = looksAway();
        boolean routed = false;
        ExternalAlertIntake.HereRefusal here = ExternalAlertIntake.HereRefusal.NONE;
        boolean ownerBehind = false;
        for (int partition = 0; partition < partitions; partition++) {
            if (byPartition[partition] == null) {
                continue;
            }
            PrometheusAlertsPosted payload = new PrometheusAlertsPosted(partition, receivedAt, byPartition[partition]);
            // this replica owns the partition: applied here, as the record would be, without the round through Kafka
            String key = OwnedPartitions.key(Topics.ALERT_INTAKE, partition);
            if (ownership.holdsHere(key)) {
                ExternalAlertIntake.HereRefusal refused = intake.applyHere(payload, key, this::sendMovedAway);
                if (refused != ExternalAlertIntake.HereRefusal.NONE) {
                    here = refused;
                }
            } else if (ownerLag.behind(partition)) {
                // not routed: what is routed to an owner that lags only adds to its lag; the rest of the post is
                // applied or routed all the same (the post is answered 503 and comes again whole)
                ownerBehind = true;
            } else {
                send(payload);
                routed = true;
            }
        }
        switch (here) {
            case UNWRITTEN_LIMIT -> throw new UnavailableException("this replica owns these alerts and has more than twice "
                    + "its max-unwritten changes waiting for PostgreSQL: post again later", Refusal.UNWRITTEN_LIMIT);
            case QUEUE_FULL -> throw new UnavailableException("this replica owns these alerts and its intake queue is full: "
                    + "post again later", Refusal.INTAKE_QUEUE_FULL);
            case NONE -> { }
        }
        if (ownerBehind) {
            throw new UnavailableException("the replica that owns some of these alerts has left alerts routed to it "
                    + "unapplied for more than " + ownerLag.maxLag().toSeconds() + " s (max-owner-lag): post again later",
                    Refusal.BEHIND_OWNER);
        }
        if (routed && away) {
            throw new UnavailableException("Kafka is not acknowledging records (" + (lastError == null ? "no answer" : lastError)
                    + "): post again later");
        }
    }

    private void send(PrometheusAlertsPosted payload) {
        byte[] value = codec.encode(CloudEvent.of(source, payload));
        if (value.length > MAX_RECORD_BYTES) {
            // above what the broker takes in one record (message.max.bytes, 1 MiB by default): split, never refused
            List<PrometheusAlertsPosted.Alert> alerts = payload.alerts();
            if (alerts.size() == 1) {
                throw new IllegalArgumentException("an alert of " + value.length + " bytes: larger than a record may be");
            }
            int half = alerts.size() / 2;
            send(new PrometheusAlertsPosted(payload.partition(), payload.receivedAt(), alerts.subList(0, half)));
            send(new PrometheusAlertsPosted(payload.partition(), payload.receivedAt(), alerts.subList(half, alerts.size())));
            return;
        }
        if (unacknowledged.getAndIncrement() == 0) {
            progressNanos = System.nanoTime();
        }
        Future<RecordMetadata> sent;
        long handedOver = System.nanoTime();
        try {
            sent = producer.send(new ProducerRecord<>(Topics.ALERT_INTAKE, payload.partition(), payload.subject(), value),
                    (meta, e) -> {
                        progressNanos = System.nanoTime();
                        unacknowledged.decrementAndGet();
                        lastFailed = e != null;
                        lastError = e == null ? null : e.getMessage();
                        if (e == null) {
                            ownerLag.acknowledged(meta.partition(), meta.offset(), handedOver);
                        }
                    });
        } catch (KafkaException e) { // buffer full or metadata gone: not handed over
            unacknowledged.decrementAndGet();
            throw new UnavailableException("the alerts could not be handed to Kafka: " + e.getMessage());
        }
        if (sent.isDone()) { // refused by the producer itself (it fails the future at once): not handed over either
            try {
                sent.get();
            } catch (ExecutionException | InterruptedException e) {
                throw new UnavailableException("the alerts could not be handed to Kafka: " + e.getMessage());
            }
        }
    }

    /**
     * Whether this replica is too far ahead of PostgreSQL with what it applied itself: a post then waits before its
     * body is read, and is refused if it still is after max-wait (it would be refused for the alerts this replica owns
     * anyway; with replicas sharing one PostgreSQL the others are likely behind too).
     */
    public boolean behind() {
        return intake.behind();
    }

    /** Whether it is this replica's intake thread that is behind (its queue half full), rather than PostgreSQL. */
    public boolean intakeThreadBehind() {
        return intake.threadBehind();
    }

    /** Changes of posted alerts applied here and waiting for PostgreSQL: what max-unwritten bounds. */
    public long unwritten() {
        return intake.backlog();
    }

    /** Posted alerts held in memory here, firing and recently resolved: what the heap holds for the intake. */
    public int held() {
        return intake.held();
    }

    /** New firing alerts dropped here for the per-alertname limit. */
    public long limitedAlerts() {
        return intake.limitedAlerts();
    }

    /** Alerts meant to be applied here whose partition moved away meanwhile: routed to its new owner. */
    private void sendMovedAway(PrometheusAlertsPosted payload) {
        try {
            send(payload);
        } catch (RuntimeException e) {
            // answered already: Prometheus's next re-post (every minute) brings them to the new owner
            LOG.warnf("%d posted alerts of partition %d, which moved away, could not be routed to its new owner: %s",
                    payload.alerts().size(), payload.partition(), e.getMessage());
        }
    }

    /** Whether Kafka looks away: the last record failed, or one has waited past the stall bound with no ack since. */
    boolean looksAway() {
        return lastFailed || unacknowledged.get() > 0 && System.nanoTime() - progressNanos > STALL_NANOS;
    }
}
