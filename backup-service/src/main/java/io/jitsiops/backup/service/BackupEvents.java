package io.jitsiops.backup.service;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.jitsiops.events.CloudEvent;
import io.jitsiops.events.kafka.EventPublisher;
import io.jitsiops.events.EventPayload;
import io.jitsiops.readiness.BoundedRetryBuffer;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.jitsiops.events.payload.BackupLifecycle;
import io.jitsiops.events.payload.BackupPhase;

/**
 * Lifecycle events on {@code jitsi-ops.backups}. Sending never blocks the backup: events wait in order in a bounded
 * buffer (module readiness) while Kafka is away and are delivered, in order, when it is back — a backup taken during
 * a Kafka outage still tells STARTED, COMPLETED and VERIFIED afterwards. Errors carry reasons, never secrets. The buffer
 * is on /q/metrics as {@code jitsiops_backup_buffer_*{buffer="kafka"}} (see {@link BoundedRetryBuffer#bindTo}).
 */
@Startup // the buffer's series exist from start-up, not from the first event
@ApplicationScoped
public class BackupEvents {
    /** Events kept while Kafka is away; past this the oldest are dropped and counted (an outage of days). */
    private static final int CAPACITY = 10_000;
    private final EventPublisher publisher;
    private final BoundedRetryBuffer<CloudEvent<EventPayload>> kafka;

    public BackupEvents(EventPublisher publisher, MeterRegistry registry, Vertx vertx) {
        this.publisher = publisher;
        // one at a time: events of one backup stay in order even across a failed attempt
        this.kafka = new BoundedRetryBuffer<>("kafka", CAPACITY, 1,
                batch -> Uni.join().all(batch.stream().map(publisher::send).toList()).andFailFast().replaceWithVoid(), vertx);
        kafka.bindTo(registry, BackupMetrics.BUFFER_METERS);
    }

    public void publish(BackupLifecycle event) {
        kafka.offer(publisher.envelope(event));
    }

    /** The events waiting for Kafka (readiness and tests). */
    public BoundedRetryBuffer<?> buffer() {
        return kafka;
    }

    public void phase(String backupId, BackupPhase phase, String schedule, List<String> parts, String location,
                      Long size, String sha256, String step, String error) {
        publish(new BackupLifecycle(backupId, phase, schedule, parts, location, size, sha256, step, error, Instant.now()));
    }
}
