package io.jitsiops.alert.service;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.TopicPartition;

/**
 * The partitions this replica consumes. Per-series decisions follow the records (each series' records reach one
 * replica); a decision about a whole input — "nothing of it was ever seen" (absence) — is taken by one replica
 * only: the owner of partition 0 of the input's topic.
 */
@ApplicationScoped
public class OwnedPartitions {
    private final Set<TopicPartition> owned = ConcurrentHashMap.newKeySet();

    void assigned(Collection<TopicPartition> partitions) {
        owned.addAll(partitions);
    }

    void revoked(Collection<TopicPartition> partitions) {
        owned.removeAll(partitions);
    }

    /** Whether this replica consumes the partition named {@code topic-partition} (as {@link #key} spells it). */
    public boolean owns(String partition) {
        int dash = partition.lastIndexOf('-');
        try {
            return owned.contains(new TopicPartition(partition.substring(0, dash), Integer.parseInt(partition.substring(dash + 1))));
        } catch (RuntimeException e) {
            return true; // not a partition of ours to judge: decided here as with one replica
        }
    }

    public static String key(String topic, int partition) {
        return topic + "-" + partition;
    }

    /** Whether this replica speaks for the whole topic (owns its partition 0). */
    public boolean speaksFor(String topic) {
        return owned.contains(new TopicPartition(topic, 0));
    }
}
