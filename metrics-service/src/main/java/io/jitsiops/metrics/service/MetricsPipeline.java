package io.jitsiops.metrics.service;

import io.jitsiops.readiness.BoundedRetryBuffer;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.jitsiops.events.CloudEvent;
import io.jitsiops.events.EventPayload;
import io.jitsiops.events.kafka.EventPublisher;
import io.jitsiops.events.payload.ComponentMetricSample;
import io.jitsiops.metrics.config.MetricsConfig;
import io.jitsiops.metrics.model.Point;
import io.jitsiops.metrics.repository.SeriesRepository;
import io.jitsiops.metrics.scrape.Readings;
import io.vertx.core.Vertx;

/**
 * Where every scrape goes: the latest readings per target (for {@code /api/metrics/latest} and the re-export), and —
 * through bounded buffers that ride out outages — PostgreSQL ({@code metrics.metric_sample}) and Kafka
 * ({@code jitsi-ops.metrics}: one {@code component-sample} event per scrape, keyed {@code component/target}, sent in
 * batches).
 */
@ApplicationScoped
public class MetricsPipeline {
    private final Map<String, Readings> latest = new ConcurrentHashMap<>();
    private final EventPublisher publisher;
    private final BoundedRetryBuffer<Point> database;
    private final BoundedRetryBuffer<CloudEvent<EventPayload>> kafka;

    public MetricsPipeline(MetricsConfig config, SeriesRepository series, EventPublisher publisher, KafkaBatches batches, Vertx vertx) {
        this.publisher = publisher;
        this.database = new BoundedRetryBuffer<>("postgresql series", config.bufferCapacity(), 5000, series::insert, vertx);
        this.kafka = batches.buffer("kafka component samples", config.bufferCapacity());
    }

    public void accept(Readings r) {
        latest.put(r.component() + "/" + r.target(), r);
        database.offerAll(r.points());
        Map<String, Double> values = new HashMap<>();
        for (Point p : r.points()) {
            if (p.kind() != Point.Kind.HISTOGRAM && Double.isFinite(p.value())) {
                values.put(p.key().display(), p.value());
            }
        }
        kafka.offer(publisher.envelope(new ComponentMetricSample(r.component(), r.target(), r.at(), values)));
    }

    public Collection<Readings> latest() {
        return latest.values();
    }

    public Readings latest(String component, String target) {
        return latest.get(component + "/" + target);
    }

    public List<BoundedRetryBuffer<?>> buffers() {
        return List.of(database, kafka);
    }

    public BoundedRetryBuffer<Point> databaseBuffer() {
        return database;
    }

    public BoundedRetryBuffer<CloudEvent<EventPayload>> kafkaBuffer() {
        return kafka;
    }
}
