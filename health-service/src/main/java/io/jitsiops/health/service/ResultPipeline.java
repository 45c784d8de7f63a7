package io.jitsiops.health.service;

import io.jitsiops.readiness.BoundedRetryBuffer;

import java.time.Instant;
import java.util.Collection;

import jakarta.enterprise.context.ApplicationScoped;

import io.jitsiops.events.CloudEvent;
import io.jitsiops.events.EventPayload;
import io.jitsiops.events.kafka.EventPublisher;
import io.jitsiops.events.payload.HealthCheckResult;
import io.jitsiops.events.payload.HealthStatusChanged;
import io.jitsiops.health.config.HealthConfig;
import io.jitsiops.health.probe.CheckKey;
import io.jitsiops.health.probe.ProbeOutcome;
import io.jitsiops.health.repository.CheckResultRepository;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.vertx.core.Vertx;

/**
 * Where every outcome goes: flap damping, metrics, the live stream, and — through bounded buffers that
 * ride out outages — Kafka ({@code jitsi-ops.health}: each result, plus a status-change event on a damped
 * transition) and the PostgreSQL history. The buffers are series on /q/metrics ({@code jitsiops_health_buffer_items},
 * {@code _capacity}, {@code _dropped_total}, {@code _delivered_total}, tagged {@code buffer="kafka"|"postgresql"}).
 */
@Startup // the buffers' series exist from start-up, even with no check configured to run
@ApplicationScoped
public class ResultPipeline {
    private static final String BUFFER_METERS = "jitsiops.health.buffer";
    private final FlapDamper damper;
    private final HealthMetrics metrics;
    private final EventPublisher publisher;
    private final BoundedRetryBuffer<CloudEvent<EventPayload>> kafka;
    private final BoundedRetryBuffer<HealthCheckResult> database;
    private final BroadcastProcessor<CheckState> updates = BroadcastProcessor.create();
    private final Object updatesLock = new Object();

    public ResultPipeline(HealthConfig config, HealthMetrics metrics, EventPublisher publisher,
                          CheckResultRepository repository, MeterRegistry registry, Vertx vertx) {
        this.damper = new FlapDamper(config.downAfterFailures(), config.upAfterSuccesses());
        this.metrics = metrics;
        this.publisher = publisher;
        this.kafka = new BoundedRetryBuffer<>("kafka", config.bufferCapacity(), 256,
                batch -> Uni.join().all(batch.stream().map(publisher::send).toList()).andFailFast().replaceWithVoid(), vertx);
        this.database = new BoundedRetryBuffer<>("postgresql", config.bufferCapacity(), 500, repository::insert, vertx);
        kafka.bindTo(registry, BUFFER_METERS);
        database.bindTo(registry, BUFFER_METERS);
    }

    /** Lists a configured check before its first run, so that the API shows it (UNKNOWN) from start-up. */
    public void pending(CheckKey key, Instant since) {
        damper.pending(key, since);
    }

    public CheckState accept(CheckKey key, ProbeOutcome outcome, Instant at) {
        FlapDamper.Step step = damper.record(key, outcome, at);
        CheckState state = step.state();
        metrics.record(key, state.status(), outcome.latencyMs(), outcome.measurements().get("tls.cert_days_to_expiry"));
        HealthCheckResult result = new HealthCheckResult(key.component(), key.target(), key.check(), outcome.status().toWire(),
                outcome.latencyMs(), outcome.error(), outcome.measurements(), at);
        kafka.offer(publisher.envelope(result));
        step.previous().ifPresent(previous -> kafka.offer(publisher.envelope(new HealthStatusChanged(key.component(),
                key.target(), previous.toWire(), state.status().toWire(), outcome.error(), state.since()))));
        database.offer(result);
        synchronized (updatesLock) { // a processor takes one signal at a time
            updates.onNext(state);
        }
        return state;
    }

    public Collection<CheckState> states() {
        return damper.states();
    }

    /** Every new state as it happens; a slow reader loses updates rather than holding the probes back. */
    public Multi<CheckState> updates() {
        return updates.onOverflow().drop();
    }

    public BoundedRetryBuffer<?> kafkaBuffer() {
        return kafka;
    }

    public BoundedRetryBuffer<?> databaseBuffer() {
        return database;
    }

}
