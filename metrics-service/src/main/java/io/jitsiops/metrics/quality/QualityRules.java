package io.jitsiops.metrics.quality;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.jitsiops.metrics.config.MetricsConfig;

/**
 * When a conference is degraded: bitrate or frame rate below, loss or jitter above the configured limits
 * ({@code jitsiops.metrics.quality.*}). Bitrate is judged only when someone sends video (a conference where every
 * camera is off has no video to judge), frame rate only when measured and someone sends video; loss and jitter only
 * when some stream has the figure.
 */
public final class QualityRules {
    private final MetricsConfig.Quality limits;

    public QualityRules(MetricsConfig.Quality limits) {
        this.limits = limits;
    }

    public ConferenceQuality judge(ConferenceQuality q) {
        List<String> reasons = new ArrayList<>();
        if (q.streams() == 0) {
            return q.judged(false, reasons); // nothing measured: not judged
        }
        boolean sendsVideo = q.frameHeight() > 0;
        // NaN: no stream sends video (cameras off, an audio-only call). NaN < limit is false as well; said outright
        if (!Double.isNaN(q.bitrateKbps()) && q.bitrateKbps() < limits.minBitrateKbps()) {
            reasons.add(format("bitrate_kbps", q.bitrateKbps(), "<", limits.minBitrateKbps()));
        }
        // NaN (no sender reports a frame rate) is not judged: NaN > 0 is false, the guard that already kept a 0 out
        if (sendsVideo && q.framesPerSecond() > 0 && q.framesPerSecond() < limits.minFps()) {
            reasons.add(format("frames_per_second", q.framesPerSecond(), "<", limits.minFps()));
        }
        // NaN: no stream had packets in the loss window. No figure is not a loss (NaN > limit is false as well; the check
        // says it outright rather than leaning on that)
        if (!Double.isNaN(q.packetLossPercent()) && q.packetLossPercent() > limits.maxPacketLossPercent()) {
            reasons.add(format("packet_loss_percent", q.packetLossPercent(), ">", limits.maxPacketLossPercent()));
        }
        if (!Double.isNaN(q.jitterMs()) && q.jitterMs() > limits.maxJitterMs()) { // NaN: no stream has a jitter figure
            reasons.add(format("jitter_ms", q.jitterMs(), ">", limits.maxJitterMs()));
        }
        return q.judged(!reasons.isEmpty(), reasons);
    }

    private static String format(String name, double value, String op, double limit) {
        return String.format(Locale.ROOT, "%s %.1f %s %s", name, value, op, trim(limit));
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
