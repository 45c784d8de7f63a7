package io.jitsiops.metrics.service;

import io.jitsiops.readiness.BoundedRetryBuffer;

import jakarta.enterprise.context.ApplicationScoped;

import io.jitsiops.events.CloudEvent;
import io.jitsiops.events.EventPayload;
import io.jitsiops.events.kafka.EventPublisher;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Kafka buffers: a batch of events is handed to the producer at once (it batches them into records per partition,
 * {@code linger.ms}/{@code batch.size}) and the batch counts as delivered when the broker acknowledged all of it.
 */
@ApplicationScoped
public class KafkaBatches {
    private final EventPublisher publisher;
    private final Vertx vertx;

    public KafkaBatches(EventPublisher publisher, Vertx vertx) {
        this.publisher = publisher;
        this.vertx = vertx;
    }

    public BoundedRetryBuffer<CloudEvent<EventPayload>> buffer(String name, int capacity) {
        return new BoundedRetryBuffer<>(name, capacity, 500,
                batch -> Uni.join().all(batch.stream().map(publisher::send).toList()).andFailFast().replaceWithVoid(), vertx);
    }
}
