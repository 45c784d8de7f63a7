package io.jitsiops.alert.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.jitsiops.alert.evaluate.Fingerprints;
import io.jitsiops.alert.evaluate.ShardLabels;
import io.jitsiops.alert.evaluate.SortedLabels;
import io.jitsiops.alert.notify.Alert;
import io.jitsiops.alert.repository.AlertRepository;
import io.jitsiops.alert.repository.WriteBehind;
import io.jitsiops.events.kafka.EventPublisher;
import io.jitsiops.events.payload.AlertSeverity;
import io.jitsiops.events.payload.AlertState;
import io.jitsiops.events.payload.AlertStateChanged;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Alerts that a Prometheus server posts on the Alertmanager v2 API ({@code POST /api/v2/alerts}). As in
 * Alertmanager, an alert is identified by its labels, is firing until its {@code endsAt} (default: 5 minutes after
 * it was last posted, Alertmanager's {@code resolve_timeout}) and resolves when that passes or when Prometheus posts
 * it with an {@code endsAt} in the past. Prometheus re-posts firing alerts every minute or so: only a new alert or
 * a change of state is written to PostgreSQL and published; a re-post only moves {@code endsAt} in memory.
 * As Alertmanager does, a post is answered once the alerts are in memory and in the notification pipeline; the
 * changes are written to PostgreSQL and published in batches behind it (group commit). A crash can lose at most
 * the last batch's records, and Prometheus's next re-post brings those alerts back.
 * <p>
 * All state is kept by one intake thread: the HTTP event loop parses a post and hands the batch over, so parsing
 * and applying run side by side on two cores, the event loop never walks the large maps, and the state needs no
 * locks (expiry runs on the same thread). When the hand-over queue is full the post is refused (503), which
 * Prometheus retries, rather than letting memory grow without bound.
 */
@ApplicationScoped
public class ExternalAlertIntake {
    static final Duration RESOLVE_TIMEOUT = Duration.ofMinutes(5);
    /** Posted batches waiting for the intake thread; Prometheus sends a few at a time, a bench 8. */
    static final int QUEUE_CAPACITY = 256;
    private static final Logger LOG = Logger.getLogger(ExternalAlertIntake.class);
    private static final AlertSeverity[] SEVERITIES = AlertSeverity.values();

    /**
     * One alert as Prometheus posts it (Alertmanager's {@code postableAlert}), with the two annotations an alert
     * keeps ({@code summary}, {@code description}; null when not posted). The v2 route gives the labels as
     * {@link SortedLabels}, which the intake keeps as they are.
     */
    public record PostableAlert(Map<String, String> labels, String summary, String description, Instant startsAt,
                                Instant endsAt, String generatorURL) {
    }

    /** The intake cannot take more now (its queue is full): answered 503, Prometheus posts again. */
    public static final class SaturatedException extends RuntimeException {
        SaturatedException() {
            super("the alert intake is saturated, post again later");
        }
    }

    /**
     * What is known of a posted alert: the alert (its state) and when it ends. Mutable and touched by the intake
     * thread only, so that a re-post (the common case) allocates nothing here.
     */
    private static final class Known {
        Alert alert;
        Instant endsAt;
        /**
         * The earliest expiry entry queued for this alert, or null: a re-post that moves {@code endsAt} later queues
         * nothing (the entry, when due, finds the later end and queues one for it), so re-posting an unchanged alert
         * — what Prometheus does every evaluation interval — allocates nothing here.
         */
        Instant check;

        Known(Alert alert, Instant endsAt) {
            this.alert = alert;
            this.endsAt = endsAt;
        }
    }

    /** When a firing alert is due to end; stale entries (the alert was re-posted since) are skipped when due. */
    private record Expiry(Instant endsAt, String fingerprint) {
    }

    private final AlertRepository repository;
    private final NotificationService notifications;
    private final EventPublisher publisher;
    private final ShardLabels shards;
    /** The intake thread and its bounded hand-over queue (package-private: a test holds it busy to fill the queue). */
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
     * time order: a deque (O(1)) holds them; only explicit ends need the heap. An entry whose alert has a later
     * end by now is dropped when it comes up.
     */
    private final ArrayDeque<Expiry> defaultExpiries = new ArrayDeque<>();
    private final PriorityQueue<Expiry> explicitExpiries = new PriorityQueue<>(Comparator.comparing(Expiry::endsAt));
    /** Label names and values repeat across alerts (alertname, severity, job…): one copy each in memory. */
    private final StringPool pool = new StringPool(65_536);
    private final WriteBehind<Alert> writer = new WriteBehind<>("Prometheus alert changes", 2000, 1_000_000, this::persist);

    public ExternalAlertIntake(AlertRepository repository, NotificationService notifications, EventPublisher publisher,
                               ShardLabels shards) {
        this.repository = repository;
        this.notifications = notifications;
        this.publisher = publisher;
        this.shards = shards;
    }

    void onStart(@Observes StartupEvent event) throws Exception {
        List<Alert> firing = repository.find(new AlertRepository.Filter("FIRING", null, Map.of(), 100_000)).await()
                .atMost(Duration.ofSeconds(30));
        thread.submit(() -> {
            Instant endsAt = Instant.now().plus(RESOLVE_TIMEOUT);
            for (Alert a : firing) {
                if ("prometheus".equals(a.source())) {
                    Known k = new Known(a, endsAt);
                    k.check = endsAt;
                    known.put(a.fingerprint(), k);
                    defaultExpiries.add(new Expiry(endsAt, a.fingerprint()));
                }
            }
        }).get(30, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        thread.shutdown();
    }

    /**
     * Takes a batch; completes (on the intake thread) once its alerts are in memory and in the notification
     * pipeline, with how many alerts changed state. Throws IllegalArgumentException for an alert without labels
     * (nothing of the batch taken); fails with {@link SaturatedException} when the intake's queue is full. A
     * CompletableFuture, not a Uni: subscribing to a Uni captures the caller's contexts through context propagation on
     * every post (a measurable share of a single-alert post's CPU), and the v2 route (AlertIntakeRoute) has no context
     * to carry.
     */
    public CompletableFuture<Integer> take(List<PostableAlert> posted) {
        requireLabels(posted);
        return submit(posted);
    }

    private static void requireLabels(List<PostableAlert> posted) {
        for (PostableAlert p : posted) {
            if (p == null || p.labels() == null || p.labels().isEmpty()) {
                throw new IllegalArgumentException("an alert without labels");
            }
        }
    }

    private CompletableFuture<Integer> submit(List<PostableAlert> posted) {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        try {
            thread.execute(() -> {
                try {
                    done.complete(apply(posted));
                } catch (RuntimeException e) {
                    done.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            done.completeExceptionally(new SaturatedException());
        }
        return done;
    }

    private int apply(List<PostableAlert> posted) {
        Instant now = Instant.now();
        Instant defaultEnd = now.plus(RESOLVE_TIMEOUT); // one object for the whole batch
        List<Alert> changed = new ArrayList<>();
        for (PostableAlert p : posted) {
            Instant endsAt = p.endsAt() != null ? p.endsAt() : defaultEnd;
            AlertState state = endsAt.isAfter(now) ? AlertState.FIRING : AlertState.RESOLVED;
            // the compact sorted form: the fingerprint reads it in name order, and a new alert keeps it; the v2 route
            // parsed the labels into it already (names interned, values pooled per event loop), other maps are copied
            Map<String, String> labels = p.labels() instanceof SortedLabels sorted ? sorted : pool.labels(p.labels());
            String name = labels.getOrDefault("alertname", "prometheus");
            // the fingerprint is over the labels as posted (Alertmanager's): a shard Prometheus sends is part of it and
            // kept; one derived from the target is added after it, so it never changes which alert this is
            String fp = Fingerprints.of(name, labels);
            Known k = known.get(fp);
            boolean changes = k == null ? state == AlertState.FIRING : k.alert.state() != state;
            if (k == null) {
                k = new Known(alert(fp, name, shards.derive(labels), p, state, now, endsAt), endsAt);
                known.put(fp, k);
            } else {
                if (changes) {
                    k.alert = alert(fp, name, shards.derive(labels), p, state, now, endsAt);
                }
                k.endsAt = endsAt;
            }
            if (state == AlertState.FIRING && (k.check == null || endsAt.isBefore(k.check))) {
                queueExpiry(k, fp, endsAt, endsAt == defaultEnd);
            }
            if (changes) {
                changed.add(k.alert);
            }
        }
        changed.forEach(a -> {
            notifications.put(a);
            writer.add(a);
        });
        return changed.size();
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
        List<Alert> resolved = new ArrayList<>();
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
                resolved.add(k.alert);
            }
        }
        resolved.forEach(a -> {
            notifications.put(a);
            writer.add(a);
        });
    }

    /** Writes a batch of changes, then publishes them (each event made once, so a retry keeps its id). */
    private Uni<Void> persist(List<Alert> changed) {
        List<io.jitsiops.events.CloudEvent<io.jitsiops.events.EventPayload>> events = changed.stream()
                .map(a -> publisher.envelope(event(a))).toList();
        return repository.upsertExternal(changed)
                .chain(() -> Uni.join().all(events.stream().map(publisher::send).toList()).andCollectFailures()
                        .replaceWithVoid()
                        .onFailure().invoke(e -> LOG.warnf("Publishing %d Prometheus alert changes failed: %s", events.size(),
                                e.getMessage()))
                        .onFailure().recoverWithNull());
    }

    private static AlertStateChanged event(Alert a) {
        return new AlertStateChanged(a.fingerprint(), a.rule(), a.severity(), a.state(), a.labels(), a.summary(), null, null,
                a.startsAt(), a.firing() ? null : a.endsAt());
    }

    private Alert alert(String fp, String name, Map<String, String> labels, PostableAlert p, AlertState state, Instant now,
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
