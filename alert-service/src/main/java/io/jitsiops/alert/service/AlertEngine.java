package io.jitsiops.alert.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.jitsiops.alert.client.AlertChangePublisher;
import io.jitsiops.alert.evaluate.DeploymentTargets;
import io.jitsiops.alert.evaluate.Observation;
import io.jitsiops.alert.evaluate.ObservationExtractor;
import io.jitsiops.alert.evaluate.RuleEvaluator;
import io.jitsiops.alert.evaluate.ShardLabels;
import io.jitsiops.alert.evaluate.Transition;
import io.jitsiops.alert.notify.Alert;
import io.jitsiops.alert.repository.AbsenceRepository;
import io.jitsiops.alert.repository.AlertRepository;
import io.jitsiops.events.CloudEvent;
import io.jitsiops.events.EventPayload;
import io.jitsiops.events.payload.AlertState;
import io.jitsiops.events.payload.AlertStateChanged;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Evaluates events against the rules and makes the effects durable, in this order: the alert rows and history in
 * PostgreSQL (one transaction per evaluation), the state changes on {@code jitsi-ops.alerts}, then the notification
 * pipeline. The returned Uni completes only when that is done, so the consumer commits an offset only after the
 * effects of its event are durable; while PostgreSQL is away it keeps retrying and the partition waits.
 * Effects are applied strictly in evaluation order (one chain), whether they come from events or from the clock.
 */
@ApplicationScoped
public class AlertEngine {
    private static final Logger LOG = Logger.getLogger(AlertEngine.class);

    private final ObservationExtractor extractor = new ObservationExtractor();
    private final RuleEvaluator evaluator;
    private final AlertRepository repository;
    private final AlertChangePublisher publisher;
    private final NotificationService notifications;
    private final AtomicLong transitions = new AtomicLong();
    private final AtomicLong persistFailures = new AtomicLong();
    private record PendingEffects(List<Transition> batch, io.smallrye.mutiny.subscription.UniEmitter<? super Void> done) {
    }

    /** Most alert changes written in one transaction. */
    private static final int MAX_BATCH = 5000;
    private final java.util.ArrayDeque<PendingEffects> effects = new java.util.ArrayDeque<>();
    private boolean draining;
    private volatile boolean restored;
    private final java.util.concurrent.CompletableFuture<Void> restoration = new java.util.concurrent.CompletableFuture<>();
    private volatile String lastPersistError;

    private final OwnedPartitions owned;
    private final AbsenceRepository absences;
    private final java.util.concurrent.atomic.AtomicBoolean savingAbsence = new java.util.concurrent.atomic.AtomicBoolean();

    public AlertEngine(RuleRegistry rules, AlertRepository repository, AlertChangePublisher publisher,
                       NotificationService notifications, MeterRegistry meters, OwnedPartitions owned,
                       AbsenceRepository absences, io.jitsiops.alert.config.AlertConfig config,
                       ShardLabels shards, DeploymentTargets targets) {
        this.owned = owned;
        this.absences = absences;
        this.evaluator = new RuleEvaluator(rules.current(), Instant.now(), Map.of("grafana", config.grafanaUrl()), shards, targets);
        this.repository = repository;
        this.publisher = publisher;
        this.notifications = notifications;
        rules.onChange(next -> {
            List<Transition> t;
            synchronized (evaluator) {
                t = evaluator.replaceRules(next, Instant.now());
            }
            applyClaimed(t).subscribe().with(x -> { }, e -> LOG.error("Effects of a rules reload failed", e));
        });
        meters.more().counter("jitsiops_alert_transitions_total", List.of(), transitions);
        meters.more().counter("jitsiops_alert_persist_failures_total", List.of(), persistFailures);
        meters.gauge("jitsiops_alert_unknown_metric_observations_total", evaluator, e -> {
            synchronized (e) {
                return e.unmatched();
            }
        });
        meters.gauge("jitsiops_alert_active", evaluator, e -> {
            synchronized (e) {
                return e.active().size();
            }
        });
    }

    /**
     * Active alerts persisted before a restart continue where they were, and so do the absence windows (shifted
     * by the time no replica was evaluating, see {@link RuleEvaluator#restoreAbsence}). Only the alerts that belong
     * to no partition are restored here; the others come with their partitions ({@link #adoptPartitions}), so a
     * replica that joins running ones holds only what Kafka gives it.
     */
    void onStart(@Observes StartupEvent event) {
        List<RuleEvaluator.Active> active = repository.activeWithoutPartition().await().atMost(Duration.ofSeconds(30));
        AbsenceRepository.AbsenceState absence = absences.load().await().atMost(Duration.ofSeconds(30));
        Instant now = Instant.now();
        Duration downtime = absence.heartbeat() == null || absence.heartbeat().isAfter(now) ? Duration.ZERO
                : Duration.between(absence.heartbeat(), now);
        List<Transition> changed;
        synchronized (evaluator) {
            evaluator.restore(active);
            evaluator.restoreAbsence(absence.seen(), absence.watched(), downtime);
            // an upgrade may have changed rules: what they no longer produce resolves (one resolved notice each)
            changed = evaluator.resolveChanged(now);
        }
        restored = true;
        restoration.complete(null);
        LOG.infof("Restored %d active alerts without a partition and %d absence windows (nobody evaluated for %s); %d "
                + "resolved because their rule changed", active.size(), absence.seen().size(), downtime, changed.size());
        changed.forEach(t -> LOG.infof("Alert %s of rule %s resolved: %s", t.fingerprint(), t.rule(), t.summary()));
        applyClaimed(changed).subscribe().with(x -> { }, e -> LOG.error("Effects of alerts resolved for changed rules failed", e));
    }

    /** Completes once the start-up restore is done: partitions are adopted after it. */
    public java.util.concurrent.CompletableFuture<Void> restoration() {
        return restoration;
    }

    /**
     * The effects of alerts resolved because their rule changed, for those this replica claims in PostgreSQL
     * ({@link AlertRepository#claimResolution}): replicas starting together, or reloading the same file, find the
     * same alerts, and each alert's resolved notice must go out once. The others were resolved by another replica.
     */
    Uni<Void> applyClaimed(List<Transition> changed) {
        if (changed.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return repository.claimResolution(changed.stream().map(Transition::fingerprint).toList(), changed.get(0).at())
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely()
                .chain(claimed -> {
                    if (claimed.size() < changed.size()) {
                        LOG.infof("%d of %d alerts of changed rules were resolved by another replica", changed.size()
                                - claimed.size(), changed.size());
                    }
                    return apply(changed.stream().filter(t -> claimed.contains(t.fingerprint())).toList());
                });
    }

    /**
     * Kafka assigned these partitions ({@code topic-partition}) here: adopts the active alerts persisted for them
     * (by their previous owner, or by this replica before a restart) and the absence windows, then resolves those
     * whose rule changed meanwhile (claimed, so one replica tells it). Returns how many alerts were adopted.
     */
    public Uni<Integer> adoptPartitions(Collection<String> partitions) {
        return repository.activeForEvaluator(partitions).chain(active -> absences.load().map(absence -> {
            List<Transition> changed;
            synchronized (evaluator) {
                evaluator.restoreAbsence(absence.seen(), absence.watched(), Duration.ZERO);
                evaluator.adopt(active);
                changed = evaluator.resolveChanged(Instant.now());
            }
            applyClaimed(changed).subscribe().with(x -> { }, e -> LOG.error("Effects of alerts resolved for changed rules failed", e));
            return active.size();
        }));
    }

    /**
     * Kafka took these partitions away: their alerts are dropped here without any change of state (the new owner
     * adopts them from PostgreSQL). Returns the fingerprints dropped.
     */
    public List<String> forgetPartitions(Collection<String> partitions) {
        synchronized (evaluator) {
            return evaluator.forget(partitions::contains);
        }
    }

    /**
     * Writes the absence windows that changed, and the heartbeat, behind the evaluation (one write at a time; what
     * could not be written goes again next time). A crash loses at most the last interval's reports, which can only
     * make a series look silent that much earlier, against windows of minutes.
     */
    private void saveAbsence(Instant now) {
        if (!savingAbsence.compareAndSet(false, true)) {
            return;
        }
        RuleEvaluator.AbsenceChanges changes;
        synchronized (evaluator) {
            changes = evaluator.drainAbsenceChanges();
        }
        absences.save(changes, now).subscribe().with(x -> savingAbsence.set(false), e -> {
            synchronized (evaluator) {
                evaluator.requeueAbsenceChanges(changes);
            }
            savingAbsence.set(false);
            LOG.debugf("Absence windows not written yet: %s", e.getMessage());
        });
    }

    /** One consumed event and the partition ({@code topic-partition}) it was read from. */
    public record Input(CloudEvent<EventPayload> event, String partition) {
    }

    /**
     * Evaluates the events of one poll in their order, under one lock, and completes when all their effects are
     * durable: one group commit for the whole poll instead of one per event (batch consumption).
     */
    public Uni<Void> evaluateAll(List<Input> inputs) {
        List<List<Observation>> observations = new ArrayList<>(inputs.size());
        boolean any = false;
        for (Input in : inputs) {
            List<Observation> o = extractor.extract(in.event());
            observations.add(o);
            any |= !o.isEmpty();
        }
        if (!any) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().deferred(() -> restored ? Uni.createFrom().voidItem()
                        : Uni.createFrom().<Void>failure(new IllegalStateException("alerts not restored yet")))
                .onFailure().retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(1)).indefinitely()
                .chain(() -> {
                    List<Transition> out = new ArrayList<>();
                    Instant now = Instant.now();
                    synchronized (evaluator) {
                        for (int i = 0; i < inputs.size(); i++) {
                            String partition = inputs.get(i).partition();
                            if (partition != null && !owned.owns(partition)) {
                                // polled before a revocation: whoever owns the partition now reads it again from the
                                // committed offset (SmallRye drops the revoked partitions' offsets and ignores their
                                // late acks; a partition given back to this consumer is fetched again too: the
                                // incremental assignor configured revokes only what moves to another consumer, and
                                // Kafka's eager protocol clears every fetch position at revocation). Evaluated here
                                // it would only leave a stale copy behind.
                                continue;
                            }
                            for (Observation o : observations.get(i)) {
                                out.addAll(evaluator.observe(o, now, partition));
                            }
                        }
                    }
                    return apply(out);
                });
    }

    @Scheduled(every = "${jitsiops.alert.evaluation-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        if (!restored) {
            return Uni.createFrom().voidItem();
        }
        List<Transition> out;
        Instant now = Instant.now();
        synchronized (evaluator) {
            out = evaluator.tick(now, input -> input.topic().map(owned::speaksFor).orElse(false), owned::owns);
        }
        saveAbsence(now);
        if (out.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        apply(out).subscribe().with(x -> { }, e -> LOG.error("Effects of time-driven changes failed", e));
        return Uni.createFrom().voidItem();
    }

    public boolean restored() {
        return restored;
    }

    public long unknownMetricObservations() {
        synchronized (evaluator) {
            return evaluator.unmatched();
        }
    }

    public String lastPersistError() {
        return lastPersistError;
    }

    /**
     * Queues the effects of one evaluation; they run one batch after the other (in evaluation order) and the Uni
     * completes when this batch's effects are durable. A queue rather than a chain of Unis, which would keep every
     * earlier batch reachable.
     */
    private Uni<Void> apply(List<Transition> batch) {
        if (batch.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().emitter(done -> {
            boolean start;
            synchronized (effects) {
                effects.add(new PendingEffects(batch, done));
                start = !draining;
                draining = true;
            }
            if (start) {
                drainNext();
            }
        });
    }

    private void drainNext() {
        List<PendingEffects> taken = new ArrayList<>();
        List<Transition> batch = new ArrayList<>();
        synchronized (effects) {
            // group commit: whatever queued while the last batch was being written goes in one transaction
            while (!effects.isEmpty() && (taken.isEmpty() || batch.size() + effects.peek().batch().size() <= MAX_BATCH)) {
                PendingEffects next = effects.poll();
                taken.add(next);
                batch.addAll(next.batch());
            }
            if (taken.isEmpty()) {
                draining = false;
                return;
            }
        }
        durable(batch).subscribe().with(x -> {
            taken.forEach(p -> p.done().complete(null));
            drainNext();
        }, e -> {
            taken.forEach(p -> p.done().fail(e));
            drainNext();
        });
    }

    private Uni<Void> durable(List<Transition> batch) {
        return repository.persist(batch)
                .onFailure().invoke(e -> {
                    persistFailures.incrementAndGet();
                    lastPersistError = e.getMessage();
                    LOG.warnf("Cannot persist %d alert changes yet, retrying: %s", batch.size(), e.getMessage());
                })
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely()
                .invoke(() -> lastPersistError = null)
                .chain(() -> publish(batch))
                .invoke(() -> {
                    transitions.addAndGet(batch.size());
                    for (Transition t : batch) {
                        // a change made durable after its partition moved away is the new owner's to tell
                        if (t.partition() == null || owned.owns(t.partition())) {
                            notifications.put(alert(t));
                        }
                    }
                });
    }

    /**
     * Publishes every change of the batch at once (the producer keeps the order of records with the same key, the
     * alert's subject) and completes when the broker acknowledged them all; the publisher sends again what Kafka did
     * not take, each change with the id it was made with.
     */
    private Uni<Void> publish(List<Transition> batch) {
        List<CloudEvent<EventPayload>> events = new ArrayList<>(batch.size());
        for (Transition t : batch) {
            AlertStateChanged payload = new AlertStateChanged(t.fingerprint(), t.rule(), t.severity(), t.to(), t.labels(),
                    t.summary(), t.value(), t.threshold(), t.activeSince(), t.to() == AlertState.RESOLVED ? t.at() : null);
            events.add(publisher.envelope(payload));
        }
        return publisher.publish(events);
    }

    static Alert alert(Transition t) {
        return new Alert(t.fingerprint(), t.rule(), t.labels(), t.severity(), t.page(), t.to(), t.value(), t.threshold(),
                t.summary(), t.description(), t.dashboardUrl(), null, t.activeSince(),
                t.to() == AlertState.RESOLVED ? t.at() : null, null, "rule");
    }
}
