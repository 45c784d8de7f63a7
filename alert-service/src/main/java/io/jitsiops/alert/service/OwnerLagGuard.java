package io.jitsiops.alert.service;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.jitsiops.alert.config.AlertConfig;
import io.jitsiops.events.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.common.annotation.Identifier;

/**
 * How far behind the owners of the partitions this replica routes posted alerts to are, and whether a post must be
 * refused for it ({@code jitsiops.alert.intake.max-owner-lag}).
 * <p>
 * Why: a replica applies the alerts of the partitions it holds itself only while it is less than {@code max-unwritten}
 * changes ahead of PostgreSQL, and otherwise answers 503 (Prometheus posts again). The alerts it routes to another
 * replica through {@code jitsi-ops.alert-intake} had no such bound: they piled up in Kafka in front of an owner that
 * was stuck or slow, to be applied minutes late (bench/alerts/owner-lag.sh, session 27: the second replica's
 * PostgreSQL cut, an 80 s flood of new alerts posted to the first left 5,566 records waiting; the first replica, taking
 * them over once the second stopped, ran out of its heap). Here the age of the oldest record this replica routed
 * to a partition and the owner has not yet committed (the owner commits a record's offset only once its effects are in
 * PostgreSQL) is that owner's lag as this replica sees it. The alerts of a post for a partition whose owner is more
 * than the bound behind are not routed, and the post is answered 503 (its other alerts are applied or routed; the
 * next post brings them all again). Prometheus counts the refused posts ({@code prometheus_notifications_errors_total},
 * and {@code prometheus_notifications_dropped_total} when no Alertmanager took them), so a stuck replica shows on
 * the Prometheus side too.
 * <p>
 * Measured with the group's committed offsets (one admin request a second, only while something this replica routed
 * is not committed: a single replica, which routes nothing, never asks). The owner commits every
 * {@code auto.commit.interval.ms} (5 s by default), so an owner that keeps up shows a lag of up to about that.
 * Records are tracked in 100 ms buckets per partition (the first hand-over time, the last offset), so the lag read is
 * at most 100 ms high. When the offsets cannot be read (Kafka away, which the router refuses for by itself), the lag
 * is not known and refuses nothing.
 */
@ApplicationScoped
@Startup // its gauge exists from the start (the shipped PrometheusRule reads it), not from the first routed post
public class OwnerLagGuard {
    private static final Logger LOG = Logger.getLogger(OwnerLagGuard.class);
    static final long BUCKET_NANOS = 100_000_000L;
    static final long LOOKUP_MILLIS = 1_000;
    /** Committed offsets older than this are not trusted: the lag is then unknown and refuses nothing. */
    static final long FRESH_NANOS = 5_000_000_000L;
    /** Buckets kept per partition; past it the newest widens (a partition refused stops growing long before). */
    static final int MAX_BUCKETS = 4_096;

    /** Records of one partition routed from here and not yet committed by its owner, oldest first. */
    private static final class Routed {
        /** {first hand-over nanoTime, last offset}: a record of the bucket is committed once committed > last offset */
        final ArrayDeque<long[]> buckets = new ArrayDeque<>();
    }

    private final Map<String, Object> kafka;
    private final String group;
    private final long maxLagNanos;
    private final Map<Integer, Routed> routed = new ConcurrentHashMap<>();
    private final ScheduledExecutorService lookups = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "alert-intake-owner-lag");
        t.setDaemon(true);
        return t;
    });
    private volatile Admin admin;
    private volatile long lookedUpNanos = System.nanoTime() - 2 * FRESH_NANOS;
    /** When the last warning that the offsets cannot be read was logged (at most one a minute). */
    private long warnedNanos = System.nanoTime() - 120_000_000_000L;

    public OwnerLagGuard(@Identifier("default-kafka-broker") Map<String, Object> kafka,
                         @ConfigProperty(name = "mp.messaging.incoming.events-in.group.id") String group,
                         AlertConfig config, MeterRegistry meters) {
        Duration maxLag = config.intake().maxOwnerLag();
        if (maxLag.isNegative() || maxLag.isZero()) {
            throw new IllegalArgumentException("jitsiops.alert.intake.max-owner-lag must be positive, was " + maxLag);
        }
        this.kafka = kafka;
        this.group = group;
        this.maxLagNanos = maxLag.toNanos();
        meters.gauge("jitsiops_alert_intake_owner_lag_seconds", this, OwnerLagGuard::maxLagSeconds);
        lookups.scheduleWithFixedDelay(this::lookUp, LOOKUP_MILLIS, LOOKUP_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** The broker acknowledged a record this replica routed to {@code partition}, at {@code offset}. */
    public void acknowledged(int partition, long offset, long handedOverNanos) {
        Routed r = routed.computeIfAbsent(partition, p -> new Routed());
        synchronized (r) {
            long[] last = r.buckets.peekLast();
            if (last != null && (handedOverNanos - last[0] < BUCKET_NANOS || r.buckets.size() >= MAX_BUCKETS)) {
                last[1] = Math.max(last[1], offset);
            } else {
                r.buckets.addLast(new long[] { handedOverNanos, offset });
            }
        }
    }

    /** Whether the owner of {@code partition} has left a record routed from here uncommitted for longer than the bound. */
    public boolean behind(int partition) {
        return lagNanos(partition, System.nanoTime()) > maxLagNanos;
    }

    /** The bound, for the answer of a refused post. */
    public Duration maxLag() {
        return Duration.ofNanos(maxLagNanos);
    }

    private long lagNanos(int partition, long now) {
        Routed r = routed.get(partition);
        if (r == null || now - lookedUpNanos > FRESH_NANOS) {
            return 0;
        }
        synchronized (r) {
            long[] oldest = r.buckets.peekFirst();
            return oldest == null ? 0 : now - oldest[0];
        }
    }

    /** The largest lag over the partitions this replica routes to ({@code jitsiops_alert_intake_owner_lag_seconds}). */
    double maxLagSeconds() {
        long now = System.nanoTime();
        long max = 0;
        for (Integer partition : routed.keySet()) {
            max = Math.max(max, lagNanos(partition, now));
        }
        return max / 1e9;
    }

    /** Reads the group's committed offsets of the partitions with records routed from here, and forgets those committed. */
    void lookUp() {
        List<TopicPartition> waiting = routed.entrySet().stream()
                .filter(e -> {
                    synchronized (e.getValue()) {
                        return !e.getValue().buckets.isEmpty();
                    }
                })
                .map(e -> new TopicPartition(Topics.ALERT_INTAKE, e.getKey())).toList();
        if (waiting.isEmpty()) {
            lookedUpNanos = System.nanoTime();
            return;
        }
        long started = System.nanoTime();
        Map<TopicPartition, OffsetAndMetadata> committed;
        try {
            committed = admin().listConsumerGroupOffsets(Map.of(group, new ListConsumerGroupOffsetsSpec().topicPartitions(waiting)))
                    .partitionsToOffsetAndMetadata(group).get(LOOKUP_MILLIS * 3, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            // Kafka away (the router refuses for that itself), or not allowed to describe the group (an ACL): the
            // bound then refuses nothing, which an operator must be able to see
            if (started - warnedNanos > 60_000_000_000L) {
                warnedNanos = started;
                LOG.warnf("The committed offsets of group %s could not be read (%s): the lag of the replicas that own "
                        + "routed alerts is not known, and max-owner-lag refuses nothing meanwhile", group, e.toString());
            }
            return;
        }
        for (TopicPartition tp : waiting) {
            OffsetAndMetadata c = committed.get(tp);
            if (c == null) {
                continue; // nothing committed yet: every record routed there is still waiting
            }
            Routed r = routed.get(tp.partition());
            synchronized (r) {
                while (!r.buckets.isEmpty() && r.buckets.peekFirst()[1] < c.offset()) {
                    r.buckets.pollFirst();
                }
            }
        }
        lookedUpNanos = started;
    }

    private Admin admin() {
        if (admin == null) {
            Map<String, Object> conf = new HashMap<>();
            kafka.forEach((key, value) -> {
                if (AdminClientConfig.configNames().contains(key)) {
                    conf.put(key, value);
                }
            });
            conf.put(AdminClientConfig.CLIENT_ID_CONFIG, "alert-intake-owner-lag");
            conf.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) (LOOKUP_MILLIS * 3));
            conf.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) (LOOKUP_MILLIS * 3));
            admin = Admin.create(conf);
        }
        return admin;
    }

    @PreDestroy
    void stop() {
        lookups.shutdownNow();
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
    }
}
