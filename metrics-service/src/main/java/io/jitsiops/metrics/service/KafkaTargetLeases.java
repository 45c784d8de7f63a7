package io.jitsiops.metrics.service;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.jboss.logging.Logger;

/**
 * Which targets this replica scrapes, decided by Kafka's group membership so that a replica that dies is taken over.
 * Every replica joins one consumer group on a lease topic of {@code partitions} partitions; Kafka's group coordinator
 * spreads the partitions over the live members, and a target belongs to whoever holds partition
 * {@code murmur2(component/name) mod partitions}. When a replica leaves or stops heartbeating (its session times
 * out), its partitions are reassigned to the others, which start scraping its targets on their next tick. No records
 * are ever written to the topic: only the assignment matters. Why Kafka and not a hand-made lease table: the group
 * protocol already gives liveness (heartbeats, session timeout) and a single coordinator, and every replica already
 * depends on Kafka.
 * <p>
 * While Kafka is away, a replica keeps the partitions it last held (the others keep theirs too, so nothing is scraped
 * twice); until the first assignment it owns nothing.
 * <p>
 * The lease topic must have at least {@code partitions} partitions: the group only hands out partitions that exist, so
 * a target hashed to a missing one would be scraped by no replica, silently. A replica that finds such a topic joins no
 * group and holds nothing ({@link #topicChecked()} fails, naming the key, the topic and both counts). Extra partitions
 * are harmless for ownership — no target hashes to them, so each target still has exactly one holder — but a replica
 * given mostly extra ones scrapes little: they are logged as a warning.
 */
public final class KafkaTargetLeases implements AutoCloseable {
    public static final String TOPIC = "jitsi-ops.metrics-scrape-leases";
    /** The setting that gives {@code partitions} in the service (named in the errors, as an invalid config must be). */
    static final String PARTITIONS_KEY = "jitsiops.metrics.replicas.lease-partitions";
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
    private static final Logger LOG = Logger.getLogger(KafkaTargetLeases.class);
    private final int partitions;
    private final String bootstrapServers;
    private final String topic;
    /** Completed once the lease topic is known to fit; failed for good if it has fewer partitions than {@link #partitions}. */
    private final CompletableFuture<Void> topicChecked = new CompletableFuture<>();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread poller;
    private final Consumer<Set<Integer>> onAssigned;
    private final Consumer<Set<Integer>> onReleased;
    private final long sessionNanos;
    /**
     * How long the lease thread may go unseen before this replica's leases stop counting. The coordinator expires a
     * member one session after its last heartbeat reached it, and that heartbeat can be older than the lease thread's
     * last return from a poll by one poll and a heartbeat interval — two on a loaded machine, where the heartbeat
     * thread runs late: so the leases stop counting that much before a whole session has passed (never later than
     * half a session). With the session as the limit, a replica frozen for just under its 6 s session on a loaded CI
     * machine had been expired, yet resumed scraping its old targets beside their new holder for one tick.
     */
    private final long standStillLimitNanos;
    private volatile Set<Integer> owned = Set.of();
    private volatile boolean closed;
    /** When the lease thread last came back from a poll: the leases count only while it keeps coming back. */
    private volatile long lastPollNanos = System.nanoTime();
    /** Set after this replica stood still for longer than {@link #standStillLimitNanos}; cleared by the next rebalance callback. */
    private volatile boolean fenced;
    /** A rebalance callback came after this replica stood still (so what it says is current), in the running poll. */
    private volatile boolean heardFromGroupAfterStall;
    private final java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean();

    public KafkaTargetLeases(String bootstrapServers, String group, String topic, int partitions, Duration sessionTimeout) {
        this(bootstrapServers, group, topic, partitions, sessionTimeout, assigned -> { });
    }

    public KafkaTargetLeases(String bootstrapServers, String group, String topic, int partitions, Duration sessionTimeout,
                             Consumer<Set<Integer>> onAssigned) {
        this(bootstrapServers, group, topic, partitions, sessionTimeout, onAssigned, released -> { });
    }

    /**
     * @param topic      the lease topic (the service's is {@link #TOPIC}): created with {@code partitions} partitions if
     *                   missing; one that exists with fewer is refused (see {@link #topicChecked()})
     * @param onAssigned told the lease partitions just gained (on the lease thread, after {@link #owned()} includes
     *                   them), so that the taken-over targets are scraped at once rather than at their next tick
     * @param onReleased told the lease partitions just given up — revoked in a rebalance, or lost (this replica was
     *                   expired by the coordinator) — on the lease thread, after {@link #holdsLease} excludes them, so
     *                   that this replica stops exporting what it measured of targets another replica now scrapes
     */
    public KafkaTargetLeases(String bootstrapServers, String group, String topic, int partitions, Duration sessionTimeout,
                             Consumer<Set<Integer>> onAssigned, Consumer<Set<Integer>> onReleased) {
        this.onAssigned = onAssigned;
        this.onReleased = onReleased;
        this.sessionNanos = sessionTimeout.toNanos();
        long heartbeatMillis = Math.max(300, sessionTimeout.toMillis() / 10);
        this.standStillLimitNanos = Math.max(sessionNanos / 2, sessionNanos - Duration.ofMillis(2 * heartbeatMillis).plus(POLL_TIMEOUT).toNanos());
        if (partitions < 1) {
            throw new IllegalArgumentException(PARTITIONS_KEY + " must be at least 1, got " + partitions);
        }
        this.partitions = partitions;
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) sessionTimeout.toMillis(),
                // a dead member's leases reach the survivors at their next heartbeat after its session expired: a
                // tenth of the session keeps that delay small against the session (Kafka's own default is 3 s of 45 s)
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) heartbeatMillis,
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, "org.apache.kafka.clients.consumer.CooperativeStickyAssignor",
                ConsumerConfig.CLIENT_ID_CONFIG, "jitsi-ops-metrics-leases"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.poller = new Thread(this::poll, "metrics-scrape-leases");
        poller.setDaemon(true);
        poller.start();
    }

    /** The lease partition of a target key ({@code component/name}): Kafka's own key hash. */
    public static int partition(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /**
     * Whether this replica scrapes the target now: it holds the target's lease partition, and it has not stood still
     * (a long GC pause, a frozen VM or SIGSTOP) for longer than its session. A replica that stood still that long was
     * expired by the group coordinator and its leases went to the others; until its lease thread has heard so from
     * Kafka it would otherwise scrape its old targets beside their new holder.
     */
    public boolean owns(String key) {
        return !fenced && System.nanoTime() - lastPollNanos < standStillLimitNanos && owned.contains(partition(key, partitions));
    }

    /**
     * Whether the group's last assignment gave this replica the target's lease, whether or not it stood still since:
     * unlike {@link #owns}, a stall alone does not end a lease here, only Kafka saying so (revoked or lost) does.
     */
    public boolean holdsLease(String key) {
        return owned.contains(partition(key, partitions));
    }

    /** The lease partitions held now. */
    public Set<Integer> owned() {
        return owned;
    }

    /**
     * Completes once Kafka has answered that the lease topic exists with at least the configured partitions (this
     * replica, or one starting beside it, created it; or it was there); until then no lease is held. Fails, for good,
     * when the topic has fewer: the message names {@value #PARTITIONS_KEY}, the topic, both counts and the remedy, and
     * this replica joins no group. Never completes if closed before Kafka answered.
     */
    public CompletionStage<Void> topicChecked() {
        return topicChecked.minimalCompletionStage();
    }

    private void poll() {
        try {
            // on this thread, so that start-up never waits for Kafka: until the topic exists this replica owns nothing
            int found = 0;
            while (!closed) {
                try {
                    found = ensureTopic(bootstrapServers, topic, partitions);
                    break;
                } catch (RuntimeException e) {
                    LOG.debugf("scrape leases: %s", e.getMessage());
                    sleep();
                }
            }
            if (closed) {
                return;
            }
            if (found < partitions) {
                // joining would hold leases that cover only part of the targets, and no replica could ever scrape the
                // rest: refuse, loudly, instead of scraping some of the targets
                IllegalStateException refused = new IllegalStateException(tooFewPartitions(topic, found, partitions));
                LOG.error(refused.getMessage());
                topicChecked.completeExceptionally(refused);
                return;
            }
            if (found > partitions) {
                LOG.warnf("scrape leases: the lease topic %s has %d partitions but %s is %d: targets hash only to the first %d,"
                                + " so the other %d are held without a target and the replicas holding them scrape fewer targets"
                                + " than the others; set %s=%d on every replica to share the targets over all of them",
                        topic, found, PARTITIONS_KEY, partitions, partitions, found - partitions, PARTITIONS_KEY, found);
            }
            topicChecked.complete(null);
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
                    change(revoked, false);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
                    change(assigned, true);
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> lost) {
                    change(lost, false);
                }
            });
            while (!closed) {
                try {
                    heardFromGroupAfterStall = false;
                    consumer.poll(POLL_TIMEOUT);
                    long now = System.nanoTime();
                    if (now - lastPollNanos >= standStillLimitNanos && !heardFromGroupAfterStall && !fenced) {
                        // stood still for long enough to have been expired by the coordinator, and no rebalance since
                        // has told us otherwise: hold nothing until the group has been joined again
                        fenced = true;
                        LOG.warnf("scrape leases: this replica stood still for %d ms (session %d ms, limit %d ms): scraping nothing until it rejoins",
                                (now - lastPollNanos) / 1_000_000, sessionNanos / 1_000_000, standStillLimitNanos / 1_000_000);
                        try {
                            consumer.enforceRebalance("replica stood still for longer than its session");
                        } catch (RuntimeException e) {
                            LOG.debugf("scrape leases: %s", e.getMessage());
                        }
                    }
                    lastPollNanos = now;
                } catch (WakeupException e) {
                    // closing
                } catch (RuntimeException e) {
                    LOG.debugf("scrape leases: %s", e.getMessage());
                    sleep();
                }
            }
        } finally {
            try {
                consumer.close(Duration.ofSeconds(5)); // leaves the group: the others take over at once
            } catch (RuntimeException e) {
                LOG.debugf("scrape leases close: %s", e.getMessage());
            }
        }
    }

    private void change(Collection<TopicPartition> parts, boolean add) {
        // only a callback after the stall speaks for the group as it is now: one from before the stall, in the same
        // poll, must not spare this replica the fence
        if (System.nanoTime() - lastPollNanos >= standStillLimitNanos) {
            heardFromGroupAfterStall = true;
        }
        fenced = false; // a rebalance callback: the group's view of this member is current again
        Change change = update(parts, add);
        tell(onReleased, change.released(), "release");
        tell(onAssigned, change.gained(), "assignment");
    }

    private static void tell(Consumer<Set<Integer>> listener, Set<Integer> partitions, String what) {
        if (!partitions.isEmpty()) {
            try {
                listener.accept(partitions);
            } catch (RuntimeException e) {
                LOG.warnf(e, "scrape leases: the %s listener failed", what);
            }
        }
    }

    /** The partitions one rebalance callback added to and removed from those held. */
    private record Change(Set<Integer> gained, Set<Integer> released) {
    }

    private synchronized Change update(Collection<TopicPartition> parts, boolean add) {
        Set<Integer> before = owned;
        Set<Integer> next = new HashSet<>(owned);
        for (TopicPartition p : parts) {
            if (add) {
                next.add(p.partition());
            } else {
                next.remove(p.partition());
            }
        }
        owned = Set.copyOf(next);
        LOG.infof("scrape leases %s %s: now holding %d of %d partitions", add ? "assigned" : "released",
                parts.stream().map(TopicPartition::partition).sorted().toList(), owned.size(), partitions);
        Set<Integer> gained = new HashSet<>(owned);
        gained.removeAll(before);
        Set<Integer> released = new HashSet<>(before);
        released.removeAll(owned);
        return new Change(gained, released);
    }

    private static String tooFewPartitions(String topic, int found, int partitions) {
        return PARTITIONS_KEY + " is " + partitions + " but the scrape lease topic " + topic + " has " + found
                + " partitions: the targets hashed to partitions " + found + ".." + (partitions - 1) + " would be scraped by no"
                + " replica. Kafka can only add partitions: add them (kafka-topics --bootstrap-server <kafka> --alter --topic "
                + topic + " --partitions " + partitions + "; nothing is stored in the topic, so this loses nothing), or set "
                + PARTITIONS_KEY + "=" + found + " on every replica";
    }

    /**
     * The lease topic's partition count: {@code partitions} if this call created it, else the existing topic's. A
     * replica starting beside this one may create it first (TopicExistsException): then it is described like any other
     * existing topic. Failures that may pass (Kafka away, the topic not yet in a broker's metadata just after another
     * replica created it) are thrown, and the caller tries again.
     */
    private static int ensureTopic(String bootstrapServers, String topic, int partitions) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000))) {
            try {
                admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty()))).all().get(20, TimeUnit.SECONDS);
                return partitions;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create the scrape lease topic " + topic + ": " + e.getCause().getMessage(), e);
                }
            }
            try {
                TopicDescription existing = admin.describeTopics(List.of(topic)).allTopicNames().get(20, TimeUnit.SECONDS).get(topic);
                return existing.partitions().size();
            } catch (ExecutionException e) {
                throw new IllegalStateException("cannot describe the scrape lease topic " + topic + ": " + e.getCause().getMessage(), e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating or describing " + topic, e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer creating or describing the scrape lease topic " + topic, e);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        closed = true;
        consumer.wakeup();
        try {
            poller.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
