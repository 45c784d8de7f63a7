package io.jitsiops.alert.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.jitsiops.alert.evaluate.Observation;
import io.jitsiops.alert.evaluate.ObservationExtractor;
import io.jitsiops.alert.evaluate.RuleEvaluator;
import io.jitsiops.alert.evaluate.Transition;
import io.jitsiops.alert.notify.Alert;
import io.jitsiops.alert.repository.AlertRepository;
import io.jitsiops.events.CloudEvent;
import io.jitsiops.events.EventPayload;
import io.jitsiops.events.kafka.EventPublisher;
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
    private final EventPublisher publisher;
    private final NotificationService notifications;
    private final AtomicLong transitions = new AtomicLong();
    private final AtomicLong persistFailures = new AtomicLong();
    private record PendingEffects(List<Transition> batch, io.smallrye.mutiny.subscription.UniEmitter<? super Void> done) {
    }

    private final java.util.ArrayDeque<PendingEffects> effects = new java.util.ArrayDeque<>();
    private boolean draining;
    private volatile boolean restored;
    private volatile String lastPersistError;

    private final OwnedPartitions owned;

    public AlertEngine(RuleRegistry rules, AlertRepository repository, EventPublisher publisher,
                       NotificationService notifications, MeterRegistry meters, OwnedPartitions owned) {
        this.owned = owned;
        this.evaluator = new RuleEvaluator(rules.current(), Instant.now());
        this.repository = repository;
        this.publisher = publisher;
        this.notifications = notifications;
        rules.onChange(next -> {
            List<Transition> t;
            synchronized (evaluator) {
                t = evaluator.replaceRules(next, Instant.now());
            }
            apply(t).subscribe().with(x -> { }, e -> LOG.error("Effects of a rules reload failed", e));
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

    /** Active alerts persisted before a restart continue where they were. */
    void onStart(@Observes StartupEvent event) {
        List<RuleEvaluator.Active> active = repository.activeForEvaluator().await().atMost(Duration.ofSeconds(30));
        synchronized (evaluator) {
            evaluator.restore(active);
        }
        restored = true;
        LOG.infof("Restored %d active alerts", active.size());
    }

    /** After a rebalance: adopts the active alerts persisted by the previous owner of our new partitions. */
    public Uni<Integer> adoptPersistedAlerts() {
        return repository.activeForEvaluator().map(active -> {
            synchronized (evaluator) {
                return evaluator.restoreMissing(active);
            }
        });
    }

    /** Evaluates one event; completes when its effects are durable. */
    public Uni<Void> evaluate(CloudEvent<EventPayload> event) {
        List<Observation> observations = extractor.extract(event);
        if (observations.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // events that arrive while the persisted alerts are still being restored wait for them
        return Uni.createFrom().deferred(() -> restored ? Uni.createFrom().voidItem()
                        : Uni.createFrom().<Void>failure(new IllegalStateException("alerts not restored yet")))
                .onFailure().retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(1)).indefinitely()
                .chain(() -> evaluateNow(observations));
    }

    private Uni<Void> evaluateNow(List<Observation> observations) {
        List<Transition> out = new ArrayList<>();
        Instant now = Instant.now();
        synchronized (evaluator) {
            for (Observation o : observations) {
                out.addAll(evaluator.observe(o, now));
            }
        }
        return apply(out);
    }

    @Scheduled(every = "${jitsiops.alert.evaluation-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        if (!restored) {
            return Uni.createFrom().voidItem();
        }
        List<Transition> out;
        synchronized (evaluator) {
            out = evaluator.tick(Instant.now(), input -> input.topic().map(owned::speaksFor).orElse(false));
        }
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
        PendingEffects next;
        synchronized (effects) {
            next = effects.poll();
            if (next == null) {
                draining = false;
                return;
            }
        }
        durable(next.batch()).subscribe().with(x -> {
            next.done().complete(null);
            drainNext();
        }, e -> {
            next.done().fail(e);
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
                    batch.forEach(t -> notifications.put(alert(t)));
                });
    }

    private Uni<Void> publish(List<Transition> batch) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Transition t : batch) {
            AlertStateChanged payload = new AlertStateChanged(t.fingerprint(), t.rule(), t.severity(), t.to(), t.labels(),
                    t.summary(), t.value(), t.threshold(), t.activeSince(), t.to() == AlertState.RESOLVED ? t.at() : null);
            CloudEvent<EventPayload> envelope = publisher.envelope(payload); // one id for every retry of this change
            chain = chain.chain(() -> publisher.send(envelope)
                    .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely());
        }
        return chain;
    }

    static Alert alert(Transition t) {
        return new Alert(t.fingerprint(), t.rule(), t.labels(), t.severity(), t.page(), t.to(), t.value(), t.threshold(),
                t.summary(), t.description(), t.dashboardUrl(), null, t.activeSince(),
                t.to() == AlertState.RESOLVED ? t.at() : null, null, "rule");
    }
}
