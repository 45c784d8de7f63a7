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

    /** Whether this replica speaks for the whole topic (owns its partition 0). */
    public boolean speaksFor(String topic) {
        return owned.contains(new TopicPartition(topic, 0));
    }
}
