package io.jitsiops.metrics.quality;

import java.time.Instant;
import java.util.List;

import io.jitsiops.events.payload.ConferenceQualitySample;

/**
 * One conference's quality at one time, summed up over its participants' streams: mean bitrate and mean frame rate per
 * video sender, the most common frame height among them, the mean of the streams' packet loss percentages, mean
 * jitter and RTT of the streams that have those figures.
 * <p>
 * A video sender is a stream that carries bits ({@code bitrateKbps > 0}). A participant whose camera is off, who only
 * listens, or whose camera no one receives sends 0 bps: that is no video to judge, not bad video, so it does not lower
 * the bitrate or frame-rate mean (it still counts for loss, jitter and RTT, and in {@code streams}). A sender starved
 * to a few kbps carries bits and counts. A conference with no video sender has no bitrate and no frame-rate figure
 * (NaN), and frame height 0.
 * <p>
 * Loss is a mean of per-stream percentages, not pooled over packets: browser samples carry only a percentage, so a
 * pooled figure would mean one thing for bridge samples and another for browser samples. A stream with few packets
 * therefore weighs as much as a busy one. Streams without a loss figure (no packets in the bridge's 60 s window) are
 * left out of the mean.
 *
 * @param bitrateKbps       mean over the video senders; NaN when no stream sends video
 * @param framesPerSecond   mean over the video senders that report one; NaN when none does (it read 0 before: "not
 *                          measured" then meant one thing for frame rate and another for loss, jitter and bitrate)
 * @param packetLossPercent NaN when no stream has a loss figure
 * @param jitterMs          NaN when no stream has a jitter figure
 * @param streams how many measured streams the figures come from (0: participants known, quality not measured)
 */
public record ConferenceQuality(String conferenceId, String room, String bridge, String source, int participants,
                                double bitrateKbps, double framesPerSecond, int frameWidth, int frameHeight,
                                double packetLossPercent, double jitterMs, double rttMs, Instant sampledAt,
                                boolean degraded, List<String> reasons, int streams) {

    public ConferenceQuality judged(boolean degraded, List<String> reasons) {
        return new ConferenceQuality(conferenceId, room, bridge, source, participants, bitrateKbps, framesPerSecond, frameWidth,
                frameHeight, packetLossPercent, jitterMs, rttMs, sampledAt, degraded, List.copyOf(reasons), streams);
    }

    public ConferenceQualitySample toEvent() {
        // The event's packetLossPercent is a required double (events module, shared contract). When no stream has a loss
        // figure, nobody sent a packet in the window: nothing was lost of nothing received, so the conference reads 0 there.
        // Inside this service (API, re-export, PostgreSQL) it stays "no figure". Bitrate and jitter are required doubles
        // too: no video sender is 0 kbps sent (and 0 frames), and no jitter figure reads 0 there, for the same reason.
        // videoSent says which 0 kbps it is (false: nobody sent video), so that a consumer's bitrate rule does not take
        // an audio-only call for starved video.
        return new ConferenceQualitySample(conferenceId, room, bridge, participants, Double.isNaN(bitrateKbps) ? 0 : bitrateKbps,
                Double.isNaN(framesPerSecond) ? 0 : framesPerSecond, frameWidth, frameHeight, Double.isNaN(packetLossPercent) ? 0 : packetLossPercent,
                Double.isNaN(jitterMs) ? 0 : jitterMs, sampledAt,
                Double.isNaN(rttMs) ? null : rttMs, source, degraded, reasons, streams,
                streams == 0 ? null : !Double.isNaN(bitrateKbps));
    }

    /** Sums up the streams of one conference. */
    public static ConferenceQuality of(String conferenceId, String room, String bridge, String source, List<VideoSample> streams,
                                       int participants, Instant at) {
        Means means = new Means();
        streams.forEach(means::add);
        return means.quality(conferenceId, room, bridge, source, participants, at);
    }

    /**
     * Running sums of a conference's streams, with the rules above (video senders only for bitrate, frame rate and
     * height; streams without a figure left out of its mean): one place, shared by a bridge read
     * ({@link #of}) and a window of browser samples, so that the two means cannot drift apart. Not thread-safe.
     */
    public static final class Means {
        private final java.util.Map<Integer, Integer> heights = new java.util.HashMap<>();
        private int n;
        private double bitrate;
        private int bitrateN;
        private double fps;
        private int fpsN;
        private double loss;
        private int lossN;
        private double jitter;
        private int jitterN;
        private double rtt;
        private int rttN;

        public void add(VideoSample s) {
            n++;
            if (s.sendsVideo()) {
                bitrate += s.bitrateKbps();
                bitrateN++;
                if (!Double.isNaN(s.framesPerSecond())) {
                    fps += s.framesPerSecond();
                    fpsN++;
                }
                if (s.frameHeight() > 0) {
                    heights.merge(s.frameHeight(), 1, Integer::sum);
                }
            }
            if (!Double.isNaN(s.packetLossPercent())) {
                loss += s.packetLossPercent();
                lossN++;
            }
            if (!Double.isNaN(s.jitterMs())) {
                jitter += s.jitterMs();
                jitterN++;
            }
            if (!Double.isNaN(s.rttMs())) {
                rtt += s.rttMs();
                rttN++;
            }
        }

        /** The conference's figures over the streams added so far ({@code streams}: how many). */
        public ConferenceQuality quality(String conferenceId, String room, String bridge, String source, int participants, Instant at) {
            int height = heights.entrySet().stream().max(java.util.Map.Entry.<Integer, Integer>comparingByValue()
                    .thenComparing(java.util.Map.Entry.comparingByKey())).map(java.util.Map.Entry::getKey).orElse(0);
            return new ConferenceQuality(conferenceId, room, bridge, source, participants, bitrateN == 0 ? Double.NaN : bitrate / bitrateN,
                    fpsN == 0 ? Double.NaN : fps / fpsN, height * 16 / 9, height, lossN == 0 ? Double.NaN : loss / lossN,
                    jitterN == 0 ? Double.NaN : jitter / jitterN,
                    rttN == 0 ? Double.NaN : rtt / rttN, at, false, List.of(), n);
        }
    }
}
