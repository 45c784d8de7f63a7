package io.jitsiops.metrics.service;

import io.jitsiops.readiness.BoundedRetryBuffer;

import java.time.Instant;
import java.util.ArrayList;
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
import io.jitsiops.metrics.exposition.Labels;
import io.jitsiops.metrics.exposition.MetricFamily;
import io.jitsiops.metrics.exposition.MetricType;
import io.jitsiops.metrics.exposition.Sample;
import io.jitsiops.metrics.model.Point;
import io.jitsiops.metrics.model.SeriesKey;
import io.jitsiops.metrics.repository.SeriesRepository;
import io.jitsiops.metrics.scrape.Findings;
import io.jitsiops.metrics.scrape.Readings;
import io.jitsiops.metrics.scrape.ScrapeTarget;
import io.jitsiops.metrics.signals.SignalDeriver;
import io.vertx.core.Vertx;

/**
 * Where every scrape goes: the latest readings per target (for {@code /api/metrics/latest} and the re-export), and —
 * through bounded buffers that ride out outages — PostgreSQL ({@code metrics.metric_sample}) and Kafka
 * ({@code jitsi-ops.metrics}: one {@code component-sample} event per scrape, keyed {@code component/target}, sent in
 * batches).
 */
@ApplicationScoped
public class MetricsPipeline {
    /** In every component-sample event: 1 when the scrape read the target, 0 when no endpoint answered usefully. */
    public static final String SCRAPE_UP = "jitsi_ops_metrics_scrape_up";
    /** In every component-sample event: the target's open configuration findings ({@code GET /api/metrics/findings}). */
    public static final String CONFIG_FINDINGS = "jitsi_ops_metrics_config_findings";
    private final Map<String, Readings> latest = new ConcurrentHashMap<>();
    private final EventPublisher publisher;
    private final ParallelRetryBuffer<Point> database;
    private final BoundedRetryBuffer<CloudEvent<EventPayload>> kafka;

    private final SignalDeriver signals;
    private final Findings findings;

    public MetricsPipeline(MetricsConfig config, SeriesRepository series, EventPublisher publisher, KafkaBatches batches, Findings findings,
                           Vertx vertx) {
        this.publisher = publisher;
        this.findings = findings;
        this.signals = new SignalDeriver(new SignalDeriver.Guards(config.signals().minRtpPackets(), config.signals().minIceAttempts(),
                config.signals().minParticipants()));
        this.database = new ParallelRetryBuffer<>("postgresql series", config.insertLanes(), config.bufferCapacity(),
                config.insertBatchRows(), series::insert, vertx);
        this.kafka = batches.buffer("kafka component samples", config.bufferCapacity());
    }

    /** One scrape's readings, with the derived signals (SIGNALS.md) added as gauges. */
    public void accept(Readings scraped) {
        Readings r = withSignals(scraped, signals.derive(scraped.component(), scraped.target(), scraped.at(), scraped.families()));
        latest.put(r.component() + "/" + r.target(), r);
        database.offerAll(r.points());
        Map<String, Double> values = new HashMap<>();
        for (Point p : r.points()) {
            if (p.kind() != Point.Kind.HISTOGRAM && Double.isFinite(p.value())) {
                values.put(p.key().display(), p.value());
            }
        }
        values.put(SCRAPE_UP, 1.0);
        values.put(CONFIG_FINDINGS, (double) findings.count(r.component(), r.target()));
        kafka.offer(publisher.envelope(new ComponentMetricSample(r.component(), r.target(), r.at(), values)));
    }

    /**
     * A scrape in which no endpoint of the target answered usefully: still one event, so that a rule sees the target
     * unmeasured and its open configuration findings (the findings themselves name the setting to change).
     */
    public void acceptUnmeasured(ScrapeTarget t, Instant at) {
        kafka.offer(publisher.envelope(new ComponentMetricSample(t.component(), t.name(), at,
                Map.of(SCRAPE_UP, 0.0, CONFIG_FINDINGS, (double) findings.count(t.component(), t.name())))));
    }

    private static Readings withSignals(Readings r, Map<String, Double> derived) {
        if (derived.isEmpty()) {
            return r;
        }
        List<Point> points = new ArrayList<>(r.points().size() + derived.size());
        points.addAll(r.points());
        List<MetricFamily> families = new ArrayList<>(r.families().size() + derived.size());
        families.addAll(r.families());
        derived.forEach((name, value) -> {
            points.add(new Point(new SeriesKey(r.component(), r.target(), name, ""), value, r.at(), Point.Kind.GAUGE));
            families.add(new MetricFamily(name, MetricType.GAUGE, SignalDeriver.HELP.get(name), null,
                    List.of(new Sample(name, Labels.EMPTY, value, Sample.NO_TIMESTAMP, null))));
        });
        return new Readings(r.component(), r.target(), r.at(), points, families);
    }

    /** Drops the target's last readings (re-exported on /q/metrics) and its signal history. */
    public void forget(ScrapeTarget t) {
        latest.remove(t.key());
        signals.forget(t.component(), t.name());
    }

    public Collection<Readings> latest() {
        return latest.values();
    }

    public Readings latest(String component, String target) {
        return latest.get(component + "/" + target);
    }

    public List<BufferStatus> buffers() {
        return List.of(database, BufferStatus.of(kafka));
    }

    public ParallelRetryBuffer<Point> databaseBuffer() {
        return database;
    }

    public BoundedRetryBuffer<CloudEvent<EventPayload>> kafkaBuffer() {
        return kafka;
    }
}
