package io.jitsiops.metrics.service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.jitsiops.metrics.repository.QualityRepository;
import io.jitsiops.metrics.repository.SeriesRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The performance report of a window (the seed's {@code analyzePerformance}): for each quality figure (from
 * conference samples) and each bridge figure (from the JVBs' own series), min/avg/p50/p95/max; the worst
 * conferences by loss, jitter and bitrate; and the trend of each average against the window before.
 */
@ApplicationScoped
public class PerformanceAnalyzer {
    /** Bridge series in the report, with whether higher is better (for the trend's verdict). */
    static final Map<String, Boolean> BRIDGE_FIGURES = Map.of(
            "jitsi_jvb_stress", false,
            "jitsi_jvb_current_endpoints", true,
            "jitsi_jvb_incoming_bitrate", true,
            "jitsi_jvb_average_rtt", false,
            "jitsi_jvb_incoming_loss_fraction", false,
            "jitsi_jvb_outgoing_loss_fraction", false,
            "jitsi_jicofo_participants_current", true,
            "jitsi_jicofo_conferences", true);
    static final Map<String, Boolean> QUALITY_FIGURES = Map.of(
            "bitrate_kbps", true, "frames_per_second", true, "packet_loss_percent", false, "jitter_ms", false,
            "rtt_ms", false, "participants", true);
    private static final String[] STATS = { "min", "avg", "p50", "p95", "max", "samples" };

    private final QualityRepository quality;
    private final SeriesRepository series;

    public PerformanceAnalyzer(QualityRepository quality, SeriesRepository series) {
        this.quality = quality;
        this.series = series;
    }

    public Uni<JsonObject> analyze(Instant end, Duration window) {
        Instant start = end.minus(window);
        Instant previousStart = start.minus(window);
        List<String> bridgeNames = List.copyOf(BRIDGE_FIGURES.keySet());
        Uni<Map<String, double[]>> q = quality.statistics(start, end);
        Uni<Map<String, double[]>> qPrev = quality.statistics(previousStart, start);
        Uni<Map<String, double[]>> b = series.statistics(bridgeNames, start, end);
        Uni<Map<String, double[]>> bPrev = series.statistics(bridgeNames, previousStart, start);
        Uni<List<QualityRepository.Worst>> byLoss = quality.worst("packet_loss_percent", true, 5, start, end);
        Uni<List<QualityRepository.Worst>> byJitter = quality.worst("jitter_ms", true, 5, start, end);
        Uni<List<QualityRepository.Worst>> byBitrate = quality.worst("bitrate_kbps", false, 5, start, end);
        return Uni.combine().all().unis(q, qPrev, b, bPrev, byLoss, byJitter, byBitrate).with(list -> {
            @SuppressWarnings("unchecked")
            JsonObject report = new JsonObject()
                    .put("windowStart", start.toString()).put("windowEnd", end.toString()).put("window", window.toString())
                    .put("conferenceQuality", figures((Map<String, double[]>) list.get(0), (Map<String, double[]>) list.get(1), QUALITY_FIGURES))
                    .put("bridges", figures((Map<String, double[]>) list.get(2), (Map<String, double[]>) list.get(3), BRIDGE_FIGURES))
                    .put("worstConferences", new JsonObject()
                            .put("byPacketLoss", worst(list.get(4))).put("byJitter", worst(list.get(5))).put("byLowBitrate", worst(list.get(6))));
            return report;
        });
    }

    private static JsonObject figures(Map<String, double[]> now, Map<String, double[]> before, Map<String, Boolean> higherIsBetter) {
        JsonObject out = new JsonObject();
        now.forEach((name, v) -> {
            JsonObject f = new JsonObject();
            for (int i = 0; i < STATS.length; i++) {
                f.put(STATS[i], finite(v[i]));
            }
            double[] prev = before.get(name);
            JsonObject trend = new JsonObject();
            if (prev != null && Double.isFinite(prev[1]) && Double.isFinite(v[1])) {
                double delta = v[1] - prev[1];
                trend.put("previousAvg", prev[1]).put("delta", delta)
                        .put("percent", prev[1] == 0 ? null : finite(100 * delta / Math.abs(prev[1])));
                boolean better = higherIsBetter.getOrDefault(name, true) ? delta > 0 : delta < 0;
                trend.put("direction", Math.abs(delta) <= 1e-9 * Math.max(1, Math.abs(prev[1])) ? "same" : better ? "better" : "worse");
            } else {
                trend.put("direction", "no previous data");
            }
            f.put("trend", trend);
            out.put(name, f);
        });
        return out;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    @SuppressWarnings("unchecked")
    private static JsonArray worst(Object list) {
        JsonArray a = new JsonArray();
        for (QualityRepository.Worst w : (List<QualityRepository.Worst>) list) {
            a.add(new JsonObject().put("conferenceId", w.conferenceId()).put("room", w.room()).put("bridge", w.bridge())
                    .put("avg", finite(w.value())).put("samples", w.samples()));
        }
        return a;
    }
}
