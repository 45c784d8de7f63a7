package io.jitsiops.alert.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.jitsiops.alert.evaluate.Fingerprints;
import io.jitsiops.alert.notify.Alert;
import io.jitsiops.alert.repository.AlertRepository;
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
 */
@ApplicationScoped
public class ExternalAlertIntake {
    static final Duration RESOLVE_TIMEOUT = Duration.ofMinutes(5);
    private static final Logger LOG = Logger.getLogger(ExternalAlertIntake.class);

    /** One alert as Prometheus posts it (Alertmanager's {@code postableAlert}). */
    public record PostableAlert(Map<String, String> labels, Map<String, String> annotations, Instant startsAt,
                                Instant endsAt, String generatorURL) {
    }

    /** What is known of a posted alert: its last state and when it ends, and the alert itself to resolve it. */
    private record Known(AlertState state, Instant endsAt, Alert alert) {
    }

    /** When a firing alert is due to end; stale entries (the alert was re-posted since) are skipped when due. */
    private record Expiry(Instant endsAt, String fingerprint) {
    }

    private final AlertRepository repository;
    private final NotificationService notifications;
    private final EventPublisher publisher;
    private final Map<String, Known> known = new ConcurrentHashMap<>();
    /**
     * Firing alerts by end time, so that expiry looks only at what is due instead of scanning every known alert
     * each second (with hundreds of thousands posted, that scan took a third of the intake's CPU). Re-posts add
     * entries; an entry whose alert has a later end by now is dropped when it comes up.
     */
    private final java.util.PriorityQueue<Expiry> expiries = new java.util.PriorityQueue<>(
            java.util.Comparator.comparing(Expiry::endsAt));
    private final io.jitsiops.alert.repository.WriteBehind<Alert> writer =
            new io.jitsiops.alert.repository.WriteBehind<>("Prometheus alert changes", 2000, 1_000_000, this::persist);

    public ExternalAlertIntake(AlertRepository repository, NotificationService notifications, EventPublisher publisher) {
        this.repository = repository;
        this.notifications = notifications;
        this.publisher = publisher;
    }

    void onStart(@Observes StartupEvent event) {
        for (Alert a : repository.find(new AlertRepository.Filter("FIRING", null, Map.of(), 100_000)).await()
                .atMost(Duration.ofSeconds(30))) {
            if ("prometheus".equals(a.source())) {
                Instant endsAt = Instant.now().plus(RESOLVE_TIMEOUT);
                known.put(a.fingerprint(), new Known(AlertState.FIRING, endsAt, a));
                synchronized (expiries) {
                    expiries.add(new Expiry(endsAt, a.fingerprint()));
                }
            }
        }
    }

    /** Takes a batch; completes when the changes it makes are durable. Returns how many alerts changed state. */
    public Uni<Integer> accept(List<PostableAlert> posted) {
        Instant now = Instant.now();
        List<Alert> changed = new ArrayList<>();
        List<Expiry> due = new ArrayList<>(posted.size());
        for (PostableAlert p : posted) {
            if (p.labels() == null || p.labels().isEmpty()) {
                throw new IllegalArgumentException("an alert without labels");
            }
        }
        for (PostableAlert p : posted) {
            Instant endsAt = p.endsAt() != null ? p.endsAt() : now.plus(RESOLVE_TIMEOUT);
            AlertState state = endsAt.isAfter(now) ? AlertState.FIRING : AlertState.RESOLVED;
            String name = p.labels().getOrDefault("alertname", "prometheus");
            String fp = Fingerprints.of(name, p.labels());
            Known before = known.get(fp);
            boolean changes = before == null ? state == AlertState.FIRING : before.state() != state;
            Alert alert = changes || before == null ? alert(fp, name, p, state, now, endsAt) : before.alert();
            known.put(fp, new Known(state, endsAt, alert));
            if (state == AlertState.FIRING) {
                due.add(new Expiry(endsAt, fp));
            }
            if (changes) {
                changed.add(alert);
            }
        }
        synchronized (expiries) {
            expiries.addAll(due);
        }
        changed.forEach(a -> {
            notifications.put(a);
            writer.add(a);
        });
        return Uni.createFrom().item(changed.size());
    }

    @Scheduled(every = "${jitsiops.alert.evaluation-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void expire() {
        Instant now = Instant.now();
        List<Alert> resolved = new ArrayList<>();
        synchronized (expiries) {
            while (!expiries.isEmpty() && !expiries.peek().endsAt().isAfter(now)) {
                Expiry e = expiries.poll();
                Known k = known.get(e.fingerprint());
                if (k == null || k.state() != AlertState.FIRING || k.endsAt().isAfter(now)) {
                    continue; // re-posted since (a later end is queued) or already resolved
                }
                Alert a = k.alert();
                Alert ended = new Alert(a.fingerprint(), a.rule(), a.labels(), a.severity(), a.page(), AlertState.RESOLVED,
                        null, null, a.summary(), a.description(), a.dashboardUrl(), a.generatorUrl(), a.startsAt(), now,
                        null, "prometheus");
                known.put(a.fingerprint(), new Known(AlertState.RESOLVED, now, ended));
                resolved.add(ended);
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

    private static Alert alert(String fp, String name, PostableAlert p, AlertState state, Instant now, Instant endsAt) {
        Map<String, String> ann = p.annotations() == null ? Map.of() : p.annotations();
        AlertSeverity severity = null;
        try {
            severity = AlertSeverity.valueOf(p.labels().getOrDefault("severity", "").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            // a severity of Prometheus's own that is not ours: keep it as a label only
        }
        return new Alert(fp, name, Map.copyOf(p.labels()), severity, false, state, null, null,
                ann.getOrDefault("summary", name), ann.getOrDefault("description", ""), null, p.generatorURL(),
                p.startsAt() != null ? p.startsAt() : now, state == AlertState.RESOLVED ? endsAt : null, null, "prometheus");
    }
}
