package io.jitsiops.metrics.service;

import io.jitsiops.readiness.BoundedRetryBuffer;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.jitsiops.events.CloudEvent;
import io.jitsiops.events.EventPayload;
import io.jitsiops.events.kafka.EventPublisher;
import io.jitsiops.metrics.config.MetricsConfig;
import io.jitsiops.metrics.quality.BridgeDebugQuality;
import io.jitsiops.metrics.quality.ConferenceQuality;
import io.jitsiops.metrics.quality.QualityRules;
import io.jitsiops.metrics.quality.VideoSample;
import io.jitsiops.metrics.repository.QualityRepository;
import io.vertx.core.Vertx;

/**
 * Per-conference quality from both sources. Bridge debug statistics give one conference sample per bridge read;
 * browsers' samples are summed up per room over {@code jitsiops.metrics.quality.window}. Each conference sample is
 * judged by the quality rules, stored ({@code metrics.conference_quality}) and published
 * ({@code conference-quality} events keyed {@code conference/<id>} with {@code degraded} and its reasons: the
 * alert-service decides who is told). Every stream sample is stored ({@code metrics.video_sample}).
 */
@ApplicationScoped
public class QualityPipeline {
    static final String CLIENT_BRIDGE = "client";
    private final MetricsConfig config;
    private final QualityRules rules;
    private final EventPublisher publisher;
    private final Vertx vertx;
    private final ParallelRetryBuffer<VideoSample> streams;
    private final BoundedRetryBuffer<ConferenceQuality> conferences;
    private final BoundedRetryBuffer<CloudEvent<EventPayload>> kafka;
    private final Map<String, ConferenceQuality> latest = new ConcurrentHashMap<>();
    private final Map<String, RoomWindow> windows = new ConcurrentHashMap<>();
    private final AtomicLong degradedTransitions = new AtomicLong();
    private final AtomicLong clientSamples = new AtomicLong();
    private final AtomicLong rejectedSamples = new AtomicLong();
    private final AtomicLong throttledBatches = new AtomicLong();
    private long timer = -1;

    public QualityPipeline(MetricsConfig config, QualityRepository repository, EventPublisher publisher, KafkaBatches batches, Vertx vertx) {
        this.config = config;
        this.rules = new QualityRules(config.quality());
        this.publisher = publisher;
        this.vertx = vertx;
        this.streams = new ParallelRetryBuffer<>("postgresql streams", config.insertLanes(), config.bufferCapacity(),
                config.insertBatchRows(), repository::insertStreams, vertx);
        this.conferences = new BoundedRetryBuffer<>("postgresql conferences", config.bufferCapacity(), 1000,
                repository::insertConferences, vertx);
        this.kafka = batches.buffer("kafka conference quality", config.bufferCapacity());
    }

    @PostConstruct
    void start() {
        timer = vertx.setPeriodic(config.quality().window().toMillis(), id -> flushClientWindows(Instant.now()));
    }

    @PreDestroy
    void stop() {
        vertx.cancelTimer(timer);
    }

    public void acceptBridge(BridgeDebugQuality.Result result) {
        streams.offerAll(result.streams());
        for (ConferenceQuality q : result.conferences()) {
            conference(q);
        }
    }

    public void acceptClient(List<VideoSample> samples, int rejected) {
        clientSamples.addAndGet(samples.size());
        rejectedSamples.addAndGet(rejected);
        streams.offerAll(samples);
        for (VideoSample s : samples) {
            windows.computeIfAbsent(s.room(), RoomWindow::new).add(s);
        }
    }

    /** Sums up each room's client samples of the window past into one conference sample. */
    public void flushClientWindows(Instant at) {
        for (String room : List.copyOf(windows.keySet())) {
            RoomWindow w = windows.remove(room);
            if (w != null) {
                conference(w.quality(at));
            }
        }
        Instant stale = at.minus(Duration.ofMinutes(2));
        latest.values().removeIf(q -> q.sampledAt().isBefore(stale));
    }

    private void conference(ConferenceQuality raw) {
        ConferenceQuality q = rules.judge(raw);
        String key = q.source() + "/" + q.bridge() + "/" + q.conferenceId();
        ConferenceQuality before = latest.put(key, q);
        if (q.degraded() && (before == null || !before.degraded())) {
            degradedTransitions.incrementAndGet();
        }
        conferences.offer(q);
        kafka.offer(publisher.envelope(q.toEvent()));
    }

    /**
     * Drops the conferences last read from the bridge's debug interface (re-exported as jitsi_ops_conference_*), rather
     * than leaving them until they are two minutes old: another replica reads that bridge now.
     */
    public void forgetBridge(String bridge) {
        latest.values().removeIf(q -> q.source().equals(BridgeDebugQuality.SOURCE) && q.bridge().equals(bridge));
    }

    public Collection<ConferenceQuality> latest() {
        return latest.values();
    }

    public long degradedTransitions() {
        return degradedTransitions.get();
    }

    public long clientSamples() {
        return clientSamples.get();
    }

    public long rejectedSamples() {
        return rejectedSamples.get();
    }

    /** A posted batch was refused whole (503) because PostgreSQL was behind. */
    public void throttled() {
        throttledBatches.incrementAndGet();
    }

    public long throttledBatches() {
        return throttledBatches.get();
    }

    public List<BufferStatus> buffers() {
        return List.of(streams, BufferStatus.of(conferences), BufferStatus.of(kafka));
    }

    public ParallelRetryBuffer<VideoSample> streamBuffer() {
        return streams;
    }

    public BoundedRetryBuffer<CloudEvent<EventPayload>> kafkaBuffer() {
        return kafka;
    }

    /** Running sums of one room's client samples within one window (package-private for its unit test). */
    static final class RoomWindow {
        private final String room;
        private final Set<String> participants = new HashSet<>();
        /**
         * ConferenceQuality's own sums, so that a window of browser samples and a bridge read cannot drift apart: a
         * browser reports a muted camera or a stream no one receives as 0 bps (bytesSent/bytesReceived stand still; the
         * API has no other way to say it), which is no video, not bad video; ClientSampleReader requires loss and
         * jitter on every browser sample.
         */
        private final ConferenceQuality.Means means = new ConferenceQuality.Means();

        RoomWindow(String room) {
            this.room = room;
        }

        synchronized void add(VideoSample s) {
            participants.add(s.participant());
            means.add(s);
        }

        synchronized ConferenceQuality quality(Instant at) {
            return means.quality(room, room, CLIENT_BRIDGE, "client", participants.size(), at);
        }
    }
}
