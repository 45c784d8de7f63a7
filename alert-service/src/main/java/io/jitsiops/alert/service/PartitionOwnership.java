package io.jitsiops.alert.service;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;

/**
 * Several replicas share the consumer group; records are keyed by subject, so each alert is evaluated by the
 * owner of its partition, and only that owner holds it. When partitions move here (another replica stopped or
 * joined, or this one started), this replica adopts from PostgreSQL the active alerts, absence windows and firing
 * alerts of exactly those partitions, and the notification log, before it consumes their records. When partitions
 * move away it drops their alerts without a notice: their new owner holds them now, and a copy kept here would never
 * see their later changes (it would repeat a firing notice after the owner resolved the alert). Runs on the
 * consumer's polling thread, bounded in time.
 */
@ApplicationScoped
@Identifier("alert-partition-ownership")
public class PartitionOwnership implements KafkaConsumerRebalanceListener {
    private static final Logger LOG = Logger.getLogger(PartitionOwnership.class);
    private static final Duration BOUND = Duration.ofSeconds(20);
    private final AlertEngine engine;
    private final NotificationService notifications;
    private final OwnedPartitions owned;

    public PartitionOwnership(AlertEngine engine, NotificationService notifications, OwnedPartitions owned) {
        this.engine = engine;
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
        List<String> dropped = engine.forgetPartitions(keys(partitions));
        int left = notifications.forget(dropped);
        LOG.infof("Partitions %s revoked: %d active alerts dropped here (%d firing in the pipeline)", partitions,
                dropped.size(), left);
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        owned.assigned(partitions);
        if (partitions.isEmpty()) {
            return;
        }
        try {
            // the start-up restore (alerts without a partition, the log, the silences) comes first
            engine.restoration().get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
            List<String> keys = keys(partitions);
            int alerts = engine.adoptPartitions(keys).await().atMost(BOUND);
            int firing = notifications.adoptPartitions(keys).await().atMost(BOUND);
            LOG.infof("Partitions %s assigned: adopted %d active alerts and %d firing alerts from PostgreSQL", partitions,
                    alerts, firing);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.errorf("Adopting the persisted alert state of %s was interrupted", partitions);
        } catch (Exception e) {
            LOG.errorf("Adopting the persisted alert state of %s failed: %s", partitions, e.getMessage());
        }
    }

    private static List<String> keys(Collection<TopicPartition> partitions) {
        return partitions.stream().map(p -> OwnedPartitions.key(p.topic(), p.partition())).toList();
    }
}
