package io.jitsiops.metrics.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.jitsiops.testkit.LocalServers;

/** Replicas share the targets through a real Kafka's group membership, and the survivors take a stopped one's over. */
class KafkaTargetLeasesTest {
    private static final int PARTITIONS = 8;

    @Test
    void replicasHoldDisjointLeasesCoveringEveryTargetAndTakeOverWhenOneStops() {
        String bootstrap = LocalServers.kafka().bootstrapServers();
        String group = "leases-test-" + UUID.randomUUID();
        List<String> targets = IntStream.range(0, 200).mapToObj(i -> "jvb/jvb-" + i).toList();
        try (KafkaTargetLeases a = new KafkaTargetLeases(bootstrap, group, PARTITIONS, Duration.ofSeconds(6));
             KafkaTargetLeases b = new KafkaTargetLeases(bootstrap, group, PARTITIONS, Duration.ofSeconds(6))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> !a.owned().isEmpty() && !b.owned().isEmpty()
                    && a.owned().size() + b.owned().size() == PARTITIONS);
            Set<Integer> both = new HashSet<>(a.owned());
            both.retainAll(b.owned());
            assertThat(both).as("no partition held twice").isEmpty();
            for (String t : targets) {
                assertThat(a.owns(t) ^ b.owns(t)).as("%s scraped by exactly one replica", t).isTrue();
            }
            b.close(); // the replica stops: it leaves the group, its leases go to the survivor
            await().atMost(Duration.ofSeconds(30)).until(() -> a.owned().size() == PARTITIONS);
            assertThat(targets).allMatch(a::owns);
        }
    }

    @Test
    void aTargetsLeaseIsTheSameOnEveryReplica() {
        assertThat(KafkaTargetLeases.partition("jvb/jvb-1", 32)).isEqualTo(KafkaTargetLeases.partition("jvb/jvb-1", 32)).isBetween(0, 31);
        long used = IntStream.range(0, 1000).map(i -> KafkaTargetLeases.partition("jvb/jvb-" + i, 32)).distinct().count();
        assertThat(used).isEqualTo(32);
    }
}
