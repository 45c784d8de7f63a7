package io.jitsiops.alert.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.jitsiops.events.Topics;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;

/**
 * Several replicas share the consumer group; records are keyed by subject, so each alert is evaluated by the
 * owner of its partition, and only that owner holds it. When partitions move here (another replica stopped or
 * joined, or this one started), this replica adopts from PostgreSQL the active alerts, absence windows and firing
 * alerts of exactly those partitions, and the notification log, before it consumes their records. When partitions
 * move away it drops their alerts without a notice: their new owner holds them now, and a copy kept here would never
 * see their later changes (it would repeat a firing notice after the owner resolved the alert). Runs on the
 * consumer's polling thread, bounded in time. An adoption that fails (PostgreSQL away) is not skipped: the
 * partitions stay "not adopted yet", no record is evaluated until they are ({@link #adopted}, which the consumer
 * waits on), and the adoption is tried again every few seconds meanwhile.
 */
@ApplicationScoped
@Identifier("alert-partition-ownership")
public class PartitionOwnership implements KafkaConsumerRebalanceListener {
    private static final Logger LOG = Logger.getLogger(PartitionOwnership.class);
    private static final Duration BOUND = Duration.ofSeconds(20);
    private final AlertEngine engine;
    private final NotificationService notifications;
    private final OwnedPartitions owned;
    private final ExternalAlertIntake intake;
    private final GroupMembershipLease lease;
    /**
     * The partition count of jitsi-ops.alert-intake as the consumer last saw it (0: not known yet): posted alerts
     * persisted before they had a partition are adopted by the owner of the partition their fingerprint hashes to.
     */
    private volatile int intakePartitions;
    /** Partitions assigned here whose persisted state could not be adopted yet. */
    private final Set<String> unadopted = ConcurrentHashMap.newKeySet();
    /** The adoption of {@link #unadopted} under way, shared by every caller so that one runs at a time. */
    private final AtomicReference<CompletableFuture<Void>> adopting = new AtomicReference<>();

    public PartitionOwnership(AlertEngine engine, NotificationService notifications, OwnedPartitions owned,
                              ExternalAlertIntake intake,
                              @ConfigProperty(name = "mp.messaging.incoming.events-in.session.timeout.ms", defaultValue = "45000") long sessionTimeoutMs) {
        this.lease = new GroupMembershipLease(sessionTimeoutMs);
        this.engine = engine;
        this.intake = intake;
        this.notifications = notifications;
        this.owned = owned;
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        release(partitions);
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        release(partitions);
    }

    private void release(Collection<TopicPartition> partitions) {
        owned.revoked(partitions);
        if (partitions.isEmpty()) {
            return;
        }
        unadopted.removeAll(keys(partitions));
        List<String> dropped = new ArrayList<>(engine.forgetPartitions(keys(partitions)));
        int posted = 0;
        if (partitions.stream().anyMatch(p -> p.topic().equals(Topics.ALERT_INTAKE))) {
            try {
                List<String> droppedPosted = intake.forgetPartitions(keys(partitions), BOUND);
                posted = droppedPosted.size();
                dropped.addAll(droppedPosted);
            } catch (RuntimeException e) {
                // the intake thread still drops them when it gets to it; their records are skipped meanwhile (not owned)
                LOG.warnf("Posted alerts of %s not dropped from the pipeline: %s", partitions, e.getMessage());
            }
        }
        int left = notifications.forget(dropped);
        LOG.infof("Partitions %s revoked: %d active alerts and %d posted alerts dropped here (%d firing in the pipeline)",
                partitions, dropped.size() - posted, posted, left);
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (consumer != null) {
            lease.watch(consumer);
        }
        owned.assigned(partitions);
        if (partitions.isEmpty()) {
            return;
        }
        List<String> keys = keys(partitions);
        if (partitions.stream().anyMatch(p -> p.topic().equals(Topics.ALERT_INTAKE))) {
            try {
                intakePartitions = consumer.partitionsFor(Topics.ALERT_INTAKE, Duration.ofSeconds(5)).size();
            } catch (RuntimeException e) {
                LOG.warnf("The partition count of %s is not known yet (%s): its partitionless posted alerts wait",
                        Topics.ALERT_INTAKE, e.getMessage());
            }
        }
        // the partitions' records wait until their persisted state is adopted; normally that is done here, at once
        unadopted.addAll(keys);
        long deadline = System.nanoTime() + BOUND.toNanos();
        try {
            // the start-up restore (alerts without a partition, the log, the silences) comes first
            engine.restoration().get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
            // an adoption already under way (of partitions left over) is joined, then these partitions' own one runs
            while (keys.stream().anyMatch(unadopted::contains)) {
                adopted().await().atMost(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.errorf("Adopting the persisted alert state of %s was interrupted; their records wait for it", partitions);
        } catch (Exception e) {
            LOG.errorf("Adopting the persisted alert state of %s failed (%s); their records wait until it succeeds, "
                    + "tried again every 5 s", partitions, e.getMessage());
        }
    }

    /**
     * Completes when every partition assigned here has its persisted state adopted: at once in the usual case; else
     * after the adoption of those not adopted yet succeeded (it fails while PostgreSQL is away, and the consumer,
     * which waits on this before it evaluates a poll, tries again). One adoption runs at a time, whoever asks (the
     * rebalance listener, the consumer, the 5 s retry): a second caller joins the one under way.
     */
    public Uni<Void> adopted() {
        if (unadopted.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().completionStage(() -> {
            CompletableFuture<Void> mine = new CompletableFuture<>();
            CompletableFuture<Void> running = adopting.compareAndExchange(null, mine);
            if (running != null) {
                return running;
            }
            List<String> keys = List.copyOf(unadopted);
            if (keys.isEmpty()) { // adopted meanwhile by the caller that just finished
                adopting.set(null);
                mine.complete(null);
                return mine;
            }
            int[] adoptedActive = new int[1];
            engine.adoptPartitions(keys)
                    .chain(alerts -> {
                        adoptedActive[0] = alerts;
                        return intake.adoptPartitions(keys, intakePartitions);
                    })
                    .chain(postedWithoutPartition -> notifications.adoptPartitions(keys, postedWithoutPartition).map(firing -> {
                        unadopted.removeAll(keys);
                        LOG.infof("Partitions %s assigned: adopted %d active alerts and %d firing alerts from PostgreSQL",
                                keys, adoptedActive[0], firing);
                        return firing;
                    })).subscribe().with(x -> {
                adopting.set(null);
                mine.complete(null);
            }, e -> {
                adopting.set(null);
                mine.completeExceptionally(e);
            });
            return mine;
        });
    }

    /**
     * Whether this replica may apply a posted alert of this partition ({@code topic-partition}) itself, without a
     * round through Kafka: the partition is assigned here, its persisted state adopted, and this replica's group
     * membership is certainly alive ({@link GroupMembershipLease}), so no other replica can hold the partition now.
     */
    public boolean holdsHere(String partition) {
        return owned.owns(partition) && !unadopted.contains(partition) && lease.held();
    }

    /** Whether partitions assigned here still wait for their persisted state (their records wait with them). */
    public boolean awaitingAdoption() {
        return !unadopted.isEmpty();
    }

    @Scheduled(every = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> adoptLeftOver() {
        if (unadopted.isEmpty() || !engine.restored()) {
            return Uni.createFrom().voidItem();
        }
        return adopted().onFailure().recoverWithItem(e -> {
            LOG.debugf("Adopting %s not possible yet: %s", unadopted, e.getMessage());
            return null;
        });
    }

    private static List<String> keys(Collection<TopicPartition> partitions) {
        return partitions.stream().map(p -> OwnedPartitions.key(p.topic(), p.partition())).toList();
    }
}
