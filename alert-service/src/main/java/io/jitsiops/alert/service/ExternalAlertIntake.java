package io.jitsiops.alert.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.jitsiops.alert.client.AlertChangePublisher;
import io.jitsiops.alert.config.AlertConfig;
import io.jitsiops.alert.evaluate.ShardLabels;
import io.jitsiops.alert.evaluate.SortedLabels;
import io.jitsiops.alert.notify.Alert;
import io.jitsiops.alert.repository.AlertRepository;
import io.jitsiops.alert.repository.AlertRepository.PostedChange;
import io.jitsiops.alert.repository.WriteBehind;
import io.jitsiops.events.CloudEvent;
import io.jitsiops.events.EventPayload;
import io.jitsiops.events.Topics;
import io.jitsiops.events.payload.AlertSeverity;
import io.jitsiops.events.payload.AlertState;
import io.jitsiops.events.payload.AlertStateChanged;
import io.jitsiops.events.payload.PrometheusAlertsPosted;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Alerts that a Prometheus server posts on the Alertmanager v2 API ({@code POST /api/v2/alerts}), held by the
 * replica that owns them. As in Alertmanager, an alert is identified by its labels, is firing until its
 * {@code endsAt} (default: 5 minutes after it was last posted, Alertmanager's {@code resolve_timeout}) and resolves
 * when that passes or when Prometheus posts it with an {@code endsAt} in the past. Prometheus re-posts firing alerts
 * every minute or so: only a new alert or a change of state is written to PostgreSQL and published; a re-post only
 * moves {@code endsAt} in memory. A resolved alert is held {@link #FORGET_RESOLVED_AFTER} longer, then forgotten.
 * <p>
 * Ownership: the replica that received a post routes its alerts through {@code jitsi-ops.alert-intake}, partitioned
 * by fingerprint ({@link PostedAlertRouter}); the owner of a partition (the consumer group's assignment) applies its
 * records here ({@link #applyPosted}); a post the owner received itself is applied here directly ({@link #applyHere}).
 * State is kept per partition: when Kafka assigns a partition here, its FIRING
 * posted alerts are adopted from PostgreSQL ({@code source_partition}, and rows of before the routing that have none
 * when their fingerprint hashes to it); when it moves away they are dropped without a notice, with their queued
 * expiries — the new owner continues them. So two replicas never hold, expire or notify the same posted alert.
 * <p>
 * Durability: the changes a record makes are written to PostgreSQL in batches (group commit) and the consumer's
 * offset is committed only once they are; an alert enters the notification pipeline once its change is written, as
 * alerts of our rules do (AlertEngine), so a crash in between repeats nothing and loses nothing: the record is read
 * again, or the row is adopted with the partition. A post applied directly is answered before its change is written
 * (as a routed post is answered once handed to the producer): Prometheus's re-post brings back what a crash lost.
 * Expiries are written behind the same way.
 * <p>
 * All state is kept by one intake thread: the consumer hands a poll's records over, expiry runs on the same thread,
 * and the state needs no locks; the event loops never walk the large maps.
 */
@ApplicationScoped
public class ExternalAlertIntake {
    static final Duration RESOLVE_TIMEOUT = Duration.ofMinutes(5);
    /**
     * How long a resolved posted alert is still held here after it ended or was last posted, whichever is later; then
     * it is forgotten (its row stays, for {@code jitsiops.alert.retention}). Prometheus posts a resolved alert again
     * for 15 minutes ({@code resolvedRetention}, prometheus/prometheus rules/alerting.go): while it is held, those
     * re-posts change nothing, and an older post read late (a routed record waits at most {@code max-owner-lag}
     * before posts are refused) cannot fire it again. A post of a forgotten alert is judged by its own end: one
     * received more than a resolve timeout ago, or with an end that has passed, is resolved and changes nothing.
     * Alertmanager forgets resolved alerts the same way (its alerts GC, every 30 minutes). Before this, every alert
     * ever posted stayed in memory (≈614 bytes each, session 35) until its partition moved: a Prometheus whose
     * alerts name a pod, a room or a participant grew the heap for as long as the replica ran.
     */
    static final Duration FORGET_RESOLVED_AFTER = Duration.ofMinutes(15);
    /** Hand-overs waiting for the intake thread: one poll of the consumer at a time, expiry ticks, adoptions. */
    static final int QUEUE_CAPACITY = 256;
    /**
     * Change events handed to the publisher and not acknowledged yet above which the writer waits for its batch's:
     * what Kafka slow or away leaves in the producer's memory stays bounded.
     */
    static final int PUBLISHING_BOUND = 8_192;
    /** Changes that make a writer's batch worth writing without lingering (jitsiops.alert.intake.write-linger). */
    static final int FULL_WRITE = 200;
    private final AtomicInteger publishing = new AtomicInteger();
    private static final Logger LOG = Logger.getLogger(ExternalAlertIntake.class);
    private static final AlertSeverity[] SEVERITIES = AlertSeverity.values();

    /**
     * One alert as Prometheus posts it (Alertmanager's {@code postableAlert}), with the two annotations an alert
     * keeps ({@code summary}, {@code description}; null when not posted). The v2 route gives the labels as
     * {@link SortedLabels}.
     */
    public record PostableAlert(Map<String, String> labels, String summary, String description, Instant startsAt,
                                Instant endsAt, String generatorURL) {
    }

    /** One record of {@code jitsi-ops.alert-intake} and the partition ({@code topic-partition}) it was read from. */
    public record PostedRecord(PrometheusAlertsPosted posted, String partition) {
    }

    /** The intake thread's queue is full: the consumer waits (its offsets uncommitted) and hands the poll over again. */
    static final class SaturatedException extends RuntimeException {
        SaturatedException() {
            super("the alert intake is saturated");
        }
    }

    /**
     * What is known of a posted alert: the alert (its state), when it ends and the partition that owns it. Mutable
     * and touched by the intake thread only, so that a re-post (the common case) allocates nothing here.
     */
    private static final class Known {
        Alert alert;
        Instant endsAt;
        String partition;
        /**
         * The earliest expiry entry queued for this alert, or null: a re-post that moves {@code endsAt} later queues
         * nothing (the entry, when due, finds the later end and queues one for it), so re-posting an unchanged alert
         * — what Prometheus does every evaluation interval — allocates nothing here.
         */
        Instant check;
        /**
         * When the post last applied to it was received (its record's {@code receivedAt}), or null for an alert adopted
         * from PostgreSQL: a post received before it is stale and changes nothing (see {@link #apply}).
         */
        Instant postedAt;

        Known(Alert alert, Instant endsAt, String partition) {
            this.alert = alert;
            this.endsAt = endsAt;
            this.partition = partition;
        }
    }

    /** When a firing alert is due to end; stale entries (the alert was re-posted since) are skipped when due. */
    private record Expiry(Instant endsAt, String fingerprint) {
    }

    private final AlertRepository repository;
    private final NotificationService notifications;
    private final AlertChangePublisher publisher;
    private final ShardLabels shards;
    private final OwnedPartitions owned;
    /** jitsiops.alert.intake.max-unwritten: changes waiting for PostgreSQL above which posts applied here are refused. */
    private final int maxUnwritten;
    /** The intake thread and its bounded hand-over queue. */
    final ThreadPoolExecutor thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(QUEUE_CAPACITY), r -> {
                Thread t = new Thread(r, "alert-intake");
                t.setDaemon(true);
                return t;
            });
    private final AtomicBoolean expiryQueued = new AtomicBoolean();
    // the fields below are used on the intake thread only
    private final Map<String, Known> known = new HashMap<>();
    /**
     * Firing alerts by end time, so that expiry looks only at what is due instead of scanning every known alert.
     * Alerts posted without {@code endsAt} end {@link #RESOLVE_TIMEOUT} after the post, so their entries arrive in
     * time order: a deque (O(1)) holds them; only explicit ends (and posts read late) need the heap. An entry whose
     * alert has a later end by now is dropped when it comes up.
     */
    private final ArrayDeque<Expiry> defaultExpiries = new ArrayDeque<>();
    private final PriorityQueue<Expiry> explicitExpiries = new PriorityQueue<>(Comparator.comparing(Expiry::endsAt));
    /**
     * Resolved alerts by when they may be forgotten ({@link #FORGET_RESOLVED_AFTER} after they resolved here), in time
     * order since they are queued as they resolve; one re-posted since is queued again for its last post when it
     * comes up, and one that fired again is skipped (queued again when it resolves).
     */
    private final ArrayDeque<Expiry> resolvedToForget = new ArrayDeque<>();
    /** How many posted alerts are held here (gauge {@code jitsiops_alert_intake_held_alerts}), set by the intake thread. */
    private volatile int held;
    /** jitsiops.alert.intake.per-alertname-limit: firing alerts of one alertname held here, 0 for no limit. */
    private final int perAlertnameLimit;
    /** Firing alerts held here by alertname (the alert's rule), for the limit. */
    private final Map<String, int[]> firingByName = new HashMap<>();
    /** New firing alerts dropped for the limit (counter {@code jitsiops_alert_intake_alerts_limited_total}). */
    private final AtomicLong limited = new AtomicLong();
    /** Dropped since the last warning, by alertname, and when that warning was logged: at most one warning a minute. */
    private final Map<String, int[]> limitedSinceWarning = new HashMap<>();
    private Instant lastLimitWarning = Instant.EPOCH;
    /** Label names and values repeat across alerts (alertname, severity, job…): one copy each in memory. */
    private final StringPool pool = new StringPool(65_536);
    /**
     * jitsiops.alert.intake.writers write-behinds, each alert's changes always through the same one (by fingerprint):
     * they write side by side, and an alert's firing and resolution can never be written out of order.
     */
    private final List<WriteBehind<PostedChange>> writers;

    public ExternalAlertIntake(AlertRepository repository, NotificationService notifications, AlertChangePublisher publisher,
                               ShardLabels shards, OwnedPartitions owned, AlertConfig config) {
        this.maxUnwritten = config.intake().maxUnwritten();
        if (maxUnwritten < 1) {
            throw new IllegalArgumentException("jitsiops.alert.intake.max-unwritten must be at least 1, was " + maxUnwritten);
        }
        int writerCount = config.intake().writers();
        if (writerCount < 1 || writerCount > 16) {
            throw new IllegalArgumentException("jitsiops.alert.intake.writers must be from 1 to 16, was " + writerCount);
        }
        this.perAlertnameLimit = config.intake().perAlertnameLimit();
        if (perAlertnameLimit < 0) {
            throw new IllegalArgumentException("jitsiops.alert.intake.per-alertname-limit must not be negative (0: no limit), was "
                    + perAlertnameLimit);
        }
        Duration linger = config.intake().writeLinger();
        if (linger.isNegative()) {
            throw new IllegalArgumentException("jitsiops.alert.intake.write-linger must not be negative, was " + linger);
        }
        this.writers = IntStream.range(0, writerCount)
                .mapToObj(i -> new WriteBehind<PostedChange>("Prometheus alert changes", 2000, 1_000_000, 1, linger,
                        FULL_WRITE, this::persist))
                .toList();
        this.repository = repository;
        this.notifications = notifications;
        this.publisher = publisher;
        this.shards = shards;
        this.owned = owned;
    }

    @PreDestroy
    void stop() {
        thread.shutdown();
    }

    /**
     * Applies a poll's records of {@code jitsi-ops.alert-intake} (those of partitions still owned here) and completes
     * once the changes of state they made are written to PostgreSQL: then the consumer may commit their offsets.
     * Fails with a SaturatedException when the intake thread's queue is full (the consumer tries again).
     */
    public Uni<Void> applyPosted(List<PostedRecord> records) {
        if (records.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            thread.execute(() -> {
                try {
                    List<CompletableFuture<Void>> written = new ArrayList<>();
                    for (PostedRecord r : records) {
                        apply(r, written);
                    }
                    CompletableFuture.allOf(written.toArray(CompletableFuture[]::new)).whenComplete((x, e) -> {
                        if (e == null) {
                            done.complete(null);
                        } else {
                            done.completeExceptionally(e);
                        }
                    });
                } catch (RuntimeException e) {
                    done.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            done.completeExceptionally(new SaturatedException());
        }
        return Uni.createFrom().completionStage(done);
    }

    /**
     * Applies the alerts of one post that fall on a partition this replica owns, here, without a round through Kafka
     * ({@link PostedAlertRouter} asks only while {@link PartitionOwnership#holdsHere} says so): on the intake thread,
     * like a record. Returns which bound refused them (nothing done; the post is answered 503), or
     * {@link HereRefusal#NONE} once handed to the thread: more than twice {@code max-unwritten} changes wait to be
     * written (PostgreSQL slow or away, or a flood of new alerts), or the thread's queue is full. How far the intake runs ahead of what it has written stays bounded, where routing them
     * through Kafka to this same owner would only have queued them there. If the partition moved away before the
     * thread gets to it, {@code elsewhere} routes them to the new owner. As for a routed post, the answer does not wait for the write: a crash loses at most what was not written
     * yet, and Prometheus re-posts (every minute, resolved alerts for 15 minutes). A change written after its
     * partition moved away, but before the new owner read the partition's rows, reaches the new owner with the
     * next re-post: late by up to a re-post interval, never twice.
     */
    public HereRefusal applyHere(PrometheusAlertsPosted posted, String partition, Consumer<PrometheusAlertsPosted> elsewhere) {
        // A post gets here once its route found this replica not behind before reading the body (CatchUpWait); posts
        // admitted together may carry the backlog past max-unwritten meanwhile, and refusing one now wastes the body
        // read and parsed and answers 503 for alerts the bound had let in. So the bound here is twice max-unwritten:
        // the memory stays bounded.
        if (backlog() >= 2L * maxUnwritten) {
            return HereRefusal.UNWRITTEN_LIMIT;
        }
        try {
            thread.execute(() -> {
                PostedRecord record = new PostedRecord(posted, partition);
                if (!apply(record, null)) {
                    elsewhere.accept(posted);
                }
            });
            return HereRefusal.NONE;
        } catch (RejectedExecutionException e) {
            return HereRefusal.QUEUE_FULL;
        }
    }

    /** What {@link #applyHere} refused a post for: the route counts each apart, since each calls for another fix. */
    public enum HereRefusal {
        /** Not refused: handed to the intake thread. */
        NONE,
        /** More than twice max-unwritten changes wait for PostgreSQL. */
        UNWRITTEN_LIMIT,
        /** The intake thread's hand-over queue is full (the thread itself is behind, not the writers). */
        QUEUE_FULL
    }

    /**
     * Whether posts should wait (the route's CatchUpWait) before they are read: more than {@code max-unwritten} changes
     * wait for PostgreSQL, or the intake thread's queue is half full ({@link #threadBehind}).
     */
    public boolean behind() {
        return backlog() >= maxUnwritten || threadBehind();
    }

    /**
     * The intake thread's hand-over queue is at least half full: the thread, not PostgreSQL, is behind. Posts wait
     * then, as they do for the writers, rather than fill the queue and be refused: single-alert posts from 8
     * connections filled its 256 places within moments whenever the thread went short of CPU on two busy cores, and
     * were answered 503 — 154 to 1,680 of them in 15 s runs of bench/alerts (session 38) — where a wait of a few
     * milliseconds would have taken them. Prometheus drops the alerts of a refused post until its next evaluation.
     */
    public boolean threadBehind() {
        return thread.getQueue().size() >= QUEUE_CAPACITY / 2;
    }

    /** The changes waiting for PostgreSQL, summed over the writers (gauge {@code jitsiops_alert_intake_unwritten}). */
    public long backlog() {
        long backlog = 0;
        for (WriteBehind<PostedChange> w : writers) {
            backlog += w.backlog();
        }
        return backlog;
    }

    /** The write-behind that writes this alert's changes: always the same one for a fingerprint. */
    private WriteBehind<PostedChange> writerOf(Alert alert) {
        return writers.get(Math.floorMod(alert.fingerprint().hashCode(), writers.size()));
    }

    private void write(PostedChange change) {
        writerOf(change.alert()).add(change);
    }

    /**
     * Applies one record's alerts if its partition is owned here (returns false if not). A post received before the
     * one last applied to an alert is skipped for it: Prometheus posts every alert's current state, so an older post
     * can only undo a newer one — a record that waited in Kafka (a producer's retries, a rebalance that reads it
     * again) behind a later post applied here or routed faster by another replica. Replicas stamp {@code receivedAt}
     * with their own clocks: posts closer together than the clocks' skew keep the order they are applied in.
     */
    private boolean apply(PostedRecord record, List<CompletableFuture<Void>> written) {
        String partition = pool.intern(record.partition());
        if (!owned.owns(partition)) {
            // polled before its partition was revoked: the new owner reads it again from the committed offset
            return false;
        }
        Instant now = Instant.now();
        Instant receivedAt = record.posted().receivedAt();
        // an alert posted without endsAt ends a resolve timeout after the post (not after it was read: a record read
        // again after a rebalance keeps its time); one object for the whole record
        Instant defaultEnd = record.posted().receivedAt().plus(RESOLVE_TIMEOUT);
        for (PrometheusAlertsPosted.Alert p : record.posted().alerts()) {
            Instant endsAt = p.endsAt() != null ? p.endsAt() : defaultEnd;
            AlertState state = endsAt.isAfter(now) ? AlertState.FIRING : AlertState.RESOLVED;
            String fp = p.fingerprint();
            Known k = known.get(fp);
            if (k != null && k.postedAt != null && receivedAt.isBefore(k.postedAt)) {
                continue; // stale: a later post of it was applied already
            }
            boolean fresh = k == null;
            boolean changes = fresh ? state == AlertState.FIRING : k.alert.state() != state;
            if (changes && state == AlertState.FIRING && perAlertnameLimit > 0 && !admitFiring(p.labels(), now)) {
                continue; // dropped: as many of its alertname fire here as the limit allows
            }
            if (fresh || changes) {
                // the compact sorted form, names and values pooled; a shard derived from the target is added after the
                // fingerprint was taken, so it never changes which alert this is
                Map<String, String> labels = pool.labels(p.labels());
                String name = labels.getOrDefault("alertname", "prometheus");
                Alert alert = alert(fp, name, shards.derive(labels), p, state, now, endsAt);
                if (k == null) {
                    k = new Known(alert, endsAt, partition);
                    known.put(fp, k);
                } else {
                    k.alert = alert;
                }
            }
            if (changes) {
                countFiring(k.alert.rule(), state == AlertState.FIRING ? 1 : -1);
            }
            if (state == AlertState.RESOLVED && (fresh || changes)) {
                resolvedToForget.add(new Expiry(now.plus(FORGET_RESOLVED_AFTER), fp)); // resolved by this post, or new and resolved
            }
            k.endsAt = endsAt;
            k.partition = partition;
            k.postedAt = receivedAt;
            if (state == AlertState.FIRING && (k.check == null || endsAt.isBefore(k.check))) {
                queueExpiry(k, fp, endsAt, endsAt == defaultEnd);
            }
            if (changes) {
                if (written == null) { // applied here: nothing waits for the write (no offset to commit)
                    write(new PostedChange(k.alert, partition));
                } else {
                    CompletableFuture<Void> w = new CompletableFuture<>();
                    writerOf(k.alert).addAndAwait(new PostedChange(k.alert, partition)).subscribe().with(w::complete, w::completeExceptionally);
                    written.add(w);
                }
            }
        }
        held = known.size();
        return true;
    }

    /**
     * Kafka assigned these partitions ({@code topic-partition}) here: their FIRING posted alerts are adopted from
     * PostgreSQL, each ending {@link #RESOLVE_TIMEOUT} from now unless re-posted (Prometheus re-posts every minute),
     * and so are rows persisted before posted alerts had a partition whose fingerprint hashes to one of them
     * ({@code intakePartitions}: the topic's partition count, 0 when not known, then those wait for a later
     * adoption). Returns the fingerprints of those partitionless rows adopted, for the notification pipeline.
     */
    public Uni<List<String>> adoptPartitions(Collection<String> partitions, int intakePartitions) {
        Set<String> mine = Set.copyOf(partitions);
        return repository.postedForAdoption(partitions).chain(rows -> {
            CompletableFuture<List<String>> done = new CompletableFuture<>();
            try {
                thread.execute(() -> {
                    Instant endsAt = Instant.now().plus(RESOLVE_TIMEOUT);
                    List<String> legacy = new ArrayList<>();
                    for (AlertRepository.PostedRow row : rows) {
                        String partition = row.partition();
                        if (partition == null) {
                            if (intakePartitions <= 0) {
                                continue;
                            }
                            partition = OwnedPartitions.key(Topics.ALERT_INTAKE,
                                    PostedAlertRouter.partitionOf(row.alert().fingerprint(), intakePartitions));
                            if (!mine.contains(partition)) {
                                continue;
                            }
                            legacy.add(row.alert().fingerprint());
                        }
                        if (!row.alert().firing() || known.containsKey(row.alert().fingerprint())) {
                            continue; // resolved rows matter to the pipeline only; one held here is newer than its row
                        }
                        Known k = new Known(row.alert(), endsAt, pool.intern(partition));
                        k.check = endsAt;
                        known.put(row.alert().fingerprint(), k);
                        countFiring(k.alert.rule(), 1); // admitted by the replica that held it before: never dropped here
                        explicitExpiries.add(new Expiry(endsAt, row.alert().fingerprint()));
                    }
                    held = known.size();
                    done.complete(legacy);
                });
            } catch (RejectedExecutionException e) {
                done.completeExceptionally(new SaturatedException());
            }
            return Uni.createFrom().completionStage(done);
        });
    }

    /**
     * Kafka took these partitions away: their posted alerts and queued expiries are dropped here without any change
     * of state (the new owner adopts them from PostgreSQL). Waits (bounded) for the intake thread; returns the
     * fingerprints dropped.
     */
    public List<String> forgetPartitions(Collection<String> partitions, Duration bound) {
        Set<String> gone = Set.copyOf(partitions);
        try {
            return CompletableFuture.supplyAsync(() -> {
                List<String> dropped = new ArrayList<>();
                known.entrySet().removeIf(e -> {
                    if (gone.contains(e.getValue().partition)) {
                        dropped.add(e.getKey());
                        if (e.getValue().alert.firing()) {
                            countFiring(e.getValue().alert.rule(), -1);
                        }
                        return true;
                    }
                    return false;
                });
                if (!dropped.isEmpty()) {
                    Set<String> set = new HashSet<>(dropped);
                    defaultExpiries.removeIf(x -> set.contains(x.fingerprint()));
                    explicitExpiries.removeIf(x -> set.contains(x.fingerprint()));
                    resolvedToForget.removeIf(x -> set.contains(x.fingerprint()));
                }
                held = known.size();
                return dropped;
            }, thread).get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("forgetting the posted alerts of " + partitions + " was interrupted", e);
        } catch (Exception e) {
            throw new IllegalStateException("forgetting the posted alerts of " + partitions + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Queues a check of the alert at {@code at}: default ends come in time order (a deque, O(1)) unless the clock
     * stepped back; the others go to the heap.
     */
    private void queueExpiry(Known k, String fp, Instant at, boolean defaultEnd) {
        Expiry e = new Expiry(at, fp);
        if (defaultEnd && (defaultExpiries.isEmpty() || !defaultExpiries.peekLast().endsAt().isAfter(at))) {
            defaultExpiries.add(e);
        } else {
            explicitExpiries.add(e);
        }
        k.check = at;
    }

    @Scheduled(every = "${jitsiops.alert.evaluation-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void expire() {
        if (!expiryQueued.compareAndSet(false, true)) {
            return; // the last one is still waiting for the intake thread
        }
        try {
            thread.execute(() -> {
                expiryQueued.set(false);
                expireNow(Instant.now());
            });
        } catch (RejectedExecutionException e) {
            expiryQueued.set(false); // the queue is full of posts: expire at the next tick
        }
    }

    private void expireNow(Instant now) {
        List<PostedChange> resolved = new ArrayList<>();
        for (Queue<Expiry> due : List.<Queue<Expiry>>of(defaultExpiries, explicitExpiries)) {
            while (!due.isEmpty() && !due.peek().endsAt().isAfter(now)) {
                Expiry e = due.poll();
                Known k = known.get(e.fingerprint());
                if (k == null) {
                    continue;
                }
                if (e.endsAt().equals(k.check)) {
                    k.check = null; // this was its earliest check (an older, later one may still be queued)
                }
                if (!k.alert.firing()) {
                    continue; // resolved already
                }
                if (k.endsAt.isAfter(now)) {
                    // re-posted since with a later end: check again then (one entry per end time, not per post)
                    if (k.check == null || k.endsAt.isBefore(k.check)) {
                        explicitExpiries.add(new Expiry(k.endsAt, e.fingerprint()));
                        k.check = k.endsAt;
                    }
                    continue;
                }
                Alert a = k.alert;
                k.alert = new Alert(a.fingerprint(), a.rule(), a.labels(), a.severity(), a.page(), AlertState.RESOLVED,
                        null, null, a.summary(), a.description(), a.dashboardUrl(), a.generatorUrl(), a.startsAt(), now,
                        null, "prometheus");
                k.endsAt = now;
                countFiring(a.rule(), -1);
                resolved.add(new PostedChange(k.alert, k.partition));
                resolvedToForget.add(new Expiry(now.plus(FORGET_RESOLVED_AFTER), e.fingerprint()));
            }
        }
        resolved.forEach(this::write);
        forgetResolved(now);
    }

    /**
     * Whether a new firing alert of this alertname may be held here under the per-alertname limit, as Alertmanager's
     * {@code --alerts.per-alertname-limit}: a rule that fires for every pod, room or participant cannot fill the heap
     * and crowd out the rest. Alerts already firing are still re-posted and resolved; one that resolves makes room.
     * A dropped alert is not held, written or notified (Prometheus posts it again with its next evaluation, and it is
     * taken once there is room); it is counted and logged, naming the alertname, at most once a minute.
     */
    private boolean admitFiring(Map<String, String> labels, Instant now) {
        String name = labels.getOrDefault("alertname", "prometheus");
        int[] firing = firingByName.get(name);
        if (firing == null || firing[0] < perAlertnameLimit) {
            return true;
        }
        limited.incrementAndGet();
        limitedSinceWarning.computeIfAbsent(name, n -> new int[1])[0]++;
        if (!now.isBefore(lastLimitWarning.plusSeconds(60))) {
            lastLimitWarning = now;
            limitedSinceWarning.forEach((n, count) -> LOG.warnf(
                    "Dropped %d new alerts of alertname %s: %d of them fire here already (jitsiops.alert.intake.per-alertname-limit)",
                    count[0], n, perAlertnameLimit));
            limitedSinceWarning.clear();
        }
        return false;
    }

    private void countFiring(String name, int delta) {
        int[] firing = firingByName.computeIfAbsent(name, n -> new int[1]);
        firing[0] += delta;
        if (firing[0] <= 0) {
            firingByName.remove(name);
        }
    }

    /** New firing alerts dropped so far for the per-alertname limit. */
    public long limitedAlerts() {
        return limited.get();
    }

    /**
     * Forgets the resolved alerts due ({@link #FORGET_RESOLVED_AFTER}); on the intake thread, with each expiry tick.
     * Looks only at the head of the queue, never at every held alert. Returns how many were forgotten.
     */
    private int forgetResolved(Instant now) {
        int forgotten = 0;
        while (!resolvedToForget.isEmpty() && !resolvedToForget.peek().endsAt().isAfter(now)) {
            String fp = resolvedToForget.poll().fingerprint();
            Known k = known.get(fp);
            if (k == null || k.alert.firing()) {
                continue; // gone with its partition, or firing again (queued anew when it resolves)
            }
            Instant last = k.postedAt != null && k.postedAt.isAfter(k.endsAt) ? k.postedAt : k.endsAt;
            Instant due = last.plus(FORGET_RESOLVED_AFTER);
            if (due.isAfter(now)) {
                resolvedToForget.add(new Expiry(due, fp)); // posted again since it resolved
                continue;
            }
            known.remove(fp);
            forgotten++;
        }
        held = known.size();
        return forgotten;
    }

    /** Forgets the resolved alerts due at {@code now}, on the intake thread (tests: a quarter of an hour on). */
    int forgetResolvedAt(Instant now) throws Exception {
        return onThread(() -> forgetResolved(now));
    }

    /** The state of a posted alert held here, or null if none is (tests). */
    AlertState heldState(String fingerprint) throws Exception {
        return onThread(() -> {
            Known k = known.get(fingerprint);
            return k == null ? null : k.alert.state();
        });
    }

    /** How many alerts of this alertname fire here, as the per-alertname limit counts them (tests). */
    int firingOf(String alertname) throws Exception {
        return onThread(() -> {
            int[] firing = firingByName.get(alertname);
            return firing == null ? 0 : firing[0];
        });
    }

    /** Runs a look at the intake's state on its thread, which alone touches it (tests). */
    private <T> T onThread(java.util.function.Supplier<T> look) throws Exception {
        return CompletableFuture.supplyAsync(look, thread).get(30, TimeUnit.SECONDS);
    }

    /** How many posted alerts are held here, resolved ones included (gauge {@code jitsiops_alert_intake_held_alerts}). */
    public int held() {
        return held;
    }

    /**
     * Writes a batch of changes, then lets them into the notification pipeline (those whose partition is still owned
     * here: a change written after its partition moved away is the new owner's to tell, which adopts the row), then
     * publishes them (each event made once, so a retry keeps its id).
     */
    private Uni<Void> persist(List<PostedChange> changed) {
        List<CloudEvent<EventPayload>> events = changed.stream()
                .map(c -> publisher.envelope(event(c.alert()))).toList();
        return repository.upsertExternal(changed)
                .invoke(() -> changed.forEach(c -> {
                    if (owned.owns(c.partition())) {
                        notifications.put(c.alert());
                    }
                }))
                .chain(() -> {
                    Uni<Void> sent = publisher.publish(events).eventually(() -> publishing.addAndGet(-events.size()));
                    // the next batch is written while these are published (the publisher hands them over before the
                    // next batch's, in order); beyond the bound the writer waits (Kafka slow or away)
                    if (publishing.addAndGet(events.size()) > PUBLISHING_BOUND) {
                        return sent;
                    }
                    sent.subscribe().with(x -> { }, e -> { });
                    return Uni.createFrom().voidItem();
                });
    }

    private static AlertStateChanged event(Alert a) {
        return new AlertStateChanged(a.fingerprint(), a.rule(), a.severity(), a.state(), a.labels(), a.summary(), null, null,
                a.startsAt(), a.firing() ? null : a.endsAt());
    }

    private Alert alert(String fp, String name, Map<String, String> labels, PrometheusAlertsPosted.Alert p, AlertState state, Instant now,
                        Instant endsAt) {
        // a severity of Prometheus's own that is not ours stays a label only; compared without upper-casing a copy
        // of the label for every posted alert (a site of the intake's allocation profile)
        String label = labels.get("severity");
        AlertSeverity severity = null;
        for (AlertSeverity s : SEVERITIES) {
            if (s.name().equalsIgnoreCase(label)) {
                severity = s;
            }
        }
        return new Alert(fp, name, labels, severity, false, state, null, null,
                p.summary() != null ? p.summary() : name, p.description() != null ? p.description() : "", null,
                pool.intern(p.generatorURL()),
                p.startsAt() != null ? p.startsAt() : now, state == AlertState.RESOLVED ? endsAt : null, null, "prometheus");
    }
}
