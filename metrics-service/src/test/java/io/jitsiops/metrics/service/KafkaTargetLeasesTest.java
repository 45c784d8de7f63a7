package io.jitsiops.metrics.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.Test;

import io.jitsiops.testkit.LocalServers;

/**
 * Replicas share the targets through a real Kafka's group membership, and the survivors take a stopped one's over. The
 * lease topic must have at least the configured partitions. Each test has its own lease topic (not the service's, which
 * the Quarkus tests create with the configured 32), so that no test's topic decides another's partitions.
 */
class KafkaTargetLeasesTest {
    private static final int PARTITIONS = 8;
    private static final Duration SESSION = Duration.ofSeconds(6);
    private static final Duration KAFKA_ANSWERS = Duration.ofSeconds(60);
    private static final List<String> TARGETS = IntStream.range(0, 200).mapToObj(i -> "jvb/jvb-" + i).toList();

    @Test
    void replicasHoldDisjointLeasesCoveringEveryTargetAndTakeOverWhenOneStops() {
        String bootstrap = LocalServers.kafka().bootstrapServers();
        String group = "leases-test-" + UUID.randomUUID();
        String topic = "jitsi-ops.metrics-scrape-leases.leases-test";
        try (KafkaTargetLeases a = new KafkaTargetLeases(bootstrap, group, topic, PARTITIONS, SESSION);
             KafkaTargetLeases b = new KafkaTargetLeases(bootstrap, group, topic, PARTITIONS, SESSION)) {
            await().atMost(KAFKA_ANSWERS).until(() -> !a.owned().isEmpty() && !b.owned().isEmpty()
                    && a.owned().size() + b.owned().size() == PARTITIONS);
            Set<Integer> both = new HashSet<>(a.owned());
            both.retainAll(b.owned());
            assertThat(both).as("no partition held twice").isEmpty();
            for (String t : TARGETS) {
                assertThat(a.owns(t) ^ b.owns(t)).as("%s scraped by exactly one replica", t).isTrue();
            }
            b.close(); // the replica stops: it leaves the group, its leases go to the survivor
            await().atMost(Duration.ofSeconds(30)).until(() -> a.owned().size() == PARTITIONS);
            assertThat(TARGETS).allMatch(a::owns);
        }
    }

    @Test
    void replicasStartingTogetherOnAMissingLeaseTopicAllAcceptTheOneThatIsCreated() throws Exception {
        String bootstrap = LocalServers.kafka().bootstrapServers();
        String group = "leases-race-test-" + UUID.randomUUID();
        String topic = "jitsi-ops.metrics-scrape-leases.race-test-" + UUID.randomUUID(); // missing: all three try to create it
        try (KafkaTargetLeases a = new KafkaTargetLeases(bootstrap, group, topic, PARTITIONS, SESSION);
             KafkaTargetLeases b = new KafkaTargetLeases(bootstrap, group, topic, PARTITIONS, SESSION);
             KafkaTargetLeases c = new KafkaTargetLeases(bootstrap, group, topic, PARTITIONS, SESSION)) {
            for (KafkaTargetLeases replica : List.of(a, b, c)) {
                replica.topicChecked().toCompletableFuture().get(KAFKA_ANSWERS.toSeconds(), TimeUnit.SECONDS);
            }
            await().atMost(KAFKA_ANSWERS).until(() -> a.owned().size() + b.owned().size() + c.owned().size() == PARTITIONS
                    && !a.owned().isEmpty() && !b.owned().isEmpty() && !c.owned().isEmpty());
            assertThat(partitionsOf(topic)).isEqualTo(PARTITIONS);
        } finally {
            deleteTopic(topic);
        }
    }

    @Test
    void aLeaseTopicWithFewerPartitionsThanConfiguredIsRefusedNamingTheKeyBothCountsAndHowToFixIt() {
        String bootstrap = LocalServers.kafka().bootstrapServers();
        String group = "leases-fewer-test-" + UUID.randomUUID();
        String topic = existingTopic("jitsi-ops.metrics-scrape-leases.fewer-test", 4);
        try (KafkaTargetLeases leases = new KafkaTargetLeases(bootstrap, group, topic, PARTITIONS, SESSION)) {
            assertThatThrownBy(() -> leases.topicChecked().toCompletableFuture().get(KAFKA_ANSWERS.toSeconds(), TimeUnit.SECONDS))
                    .cause().isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("jitsiops.metrics.replicas.lease-partitions is 8")
                    .hasMessageContaining("lease topic " + topic + " has 4 partitions")
                    .hasMessageContaining("partitions 4..7 would be scraped by no replica")
                    .hasMessageContaining("--alter --topic " + topic + " --partitions 8")
                    .hasMessageContaining("jitsiops.metrics.replicas.lease-partitions=4");
            // it joined no group: it holds nothing, and no partition of the short topic was handed to it
            assertThat(leases.owned()).isEmpty();
            assertThat(groupMembers(group)).isZero();
            assertThat(TARGETS).noneMatch(leases::owns);
        }
    }

    @Test
    void aLeaseTopicWithExactlyTheConfiguredPartitionsIsAcceptedAndEveryLeaseHeld() throws Exception {
        String bootstrap = LocalServers.kafka().bootstrapServers();
        String group = "leases-equal-test-" + UUID.randomUUID();
        String topic = existingTopic("jitsi-ops.metrics-scrape-leases.equal-test", PARTITIONS);
        try (KafkaTargetLeases leases = new KafkaTargetLeases(bootstrap, group, topic, PARTITIONS, SESSION)) {
            leases.topicChecked().toCompletableFuture().get(KAFKA_ANSWERS.toSeconds(), TimeUnit.SECONDS);
            await().atMost(KAFKA_ANSWERS).until(() -> leases.owned().size() == PARTITIONS);
            assertThat(TARGETS).allMatch(leases::owns);
        }
    }

    @Test
    void leasePartitionsBeyondTheConfiguredOnesAreHeldWithoutATargetAndEveryTargetStillHasExactlyOneReplica() throws Exception {
        String bootstrap = LocalServers.kafka().bootstrapServers();
        String group = "leases-more-test-" + UUID.randomUUID();
        int found = 12;
        String topic = existingTopic("jitsi-ops.metrics-scrape-leases.more-test", found);
        try (KafkaTargetLeases a = new KafkaTargetLeases(bootstrap, group, topic, PARTITIONS, SESSION);
             KafkaTargetLeases b = new KafkaTargetLeases(bootstrap, group, topic, PARTITIONS, SESSION)) {
            a.topicChecked().toCompletableFuture().get(KAFKA_ANSWERS.toSeconds(), TimeUnit.SECONDS);
            b.topicChecked().toCompletableFuture().get(KAFKA_ANSWERS.toSeconds(), TimeUnit.SECONDS);
            await().atMost(KAFKA_ANSWERS).until(() -> !a.owned().isEmpty() && !b.owned().isEmpty()
                    && a.owned().size() + b.owned().size() == found);
            assertThat(TARGETS).allMatch(t -> KafkaTargetLeases.partition(t, PARTITIONS) < PARTITIONS);
            for (String t : TARGETS) {
                assertThat(a.owns(t) ^ b.owns(t)).as("%s scraped by exactly one replica", t).isTrue();
            }
        }
    }

    @Test
    void aTargetsLeaseIsTheSameOnEveryReplica() {
        assertThat(KafkaTargetLeases.partition("jvb/jvb-1", 32)).isEqualTo(KafkaTargetLeases.partition("jvb/jvb-1", 32)).isBetween(0, 31);
        long used = IntStream.range(0, 1000).map(i -> KafkaTargetLeases.partition("jvb/jvb-" + i, 32)).distinct().count();
        assertThat(used).isEqualTo(32);
    }

    /** The topic as an operator left it: created with {@code partitions} (kept from an earlier run if it has them). */
    private static String existingTopic(String topic, int partitions) {
        try (Admin admin = admin()) {
            try {
                admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty()))).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException(e.getCause());
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("creating " + topic, e);
        }
        assertThat(partitionsOf(topic)).as("partitions of %s, left by an earlier run", topic).isEqualTo(partitions);
        return topic;
    }

    private static int partitionsOf(String topic) {
        try (Admin admin = admin()) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions().size();
        } catch (Exception e) {
            throw new IllegalStateException("describing " + topic, e);
        }
    }

    /** The group's members now (a group nobody joined has none: Kafka says "dead", or that there is no such group). */
    private static int groupMembers(String group) {
        try (Admin admin = admin()) {
            return admin.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group).members().size();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return 0;
            }
            throw new IllegalStateException("describing the group " + group, e);
        } catch (Exception e) {
            throw new IllegalStateException("describing the group " + group, e);
        }
    }

    private static void deleteTopic(String topic) {
        try (Admin admin = admin()) {
            admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("deleting " + topic, e);
        }
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, LocalServers.kafka().bootstrapServers()));
    }
}
