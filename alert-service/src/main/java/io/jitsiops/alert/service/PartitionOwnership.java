package io.jitsiops.alert.service;

import java.time.Duration;
import java.util.Collection;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;

/**
 * Several replicas share the consumer group; records are keyed by subject, so each alert is evaluated by the
 * owner of its partition. When partitions move here (another replica stopped or joined), the new owner continues
 * from PostgreSQL: it adopts the persisted active alerts, notification log and firing alerts before it consumes
 * the new partitions' records. Runs on the consumer's polling thread, bounded in time.
 */
@ApplicationScoped
@Identifier("alert-partition-ownership")
public class PartitionOwnership implements KafkaConsumerRebalanceListener {
    private static final Logger LOG = Logger.getLogger(PartitionOwnership.class);
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
        owned.revoked(partitions);
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        owned.revoked(partitions);
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        owned.assigned(partitions);
        if (partitions.isEmpty() || !engine.restored()) {
            return; // the start-up restore covers the first assignment
        }
        try {
            int alerts = engine.adoptPersistedAlerts().await().atMost(Duration.ofSeconds(20));
            int firing = notifications.adoptPersistedState().await().atMost(Duration.ofSeconds(20));
            LOG.infof("Partitions %s assigned: adopted %d active alerts and %d firing alerts from PostgreSQL", partitions,
                    alerts, firing);
        } catch (RuntimeException e) {
            LOG.errorf("Adopting persisted alert state after a rebalance failed: %s", e.getMessage());
        }
    }
}
