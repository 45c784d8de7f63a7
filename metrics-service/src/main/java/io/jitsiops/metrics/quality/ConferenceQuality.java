package io.jitsiops.metrics.quality;

import java.time.Instant;
import java.util.List;

import io.jitsiops.events.payload.ConferenceQualitySample;

/**
 * One conference's quality at one time, summed up over its participants' streams: mean bitrate and frame rate per
 * sending participant, the most common frame height, packet loss over all packets, mean jitter and RTT.
 *
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
        return new ConferenceQualitySample(conferenceId, room, bridge, participants, bitrateKbps, framesPerSecond, frameWidth,
                frameHeight, packetLossPercent, jitterMs, sampledAt, Double.isNaN(rttMs) ? null : rttMs, source, degraded, reasons, streams);
    }

    /** Sums up the streams of one conference. */
    public static ConferenceQuality of(String conferenceId, String room, String bridge, String source, List<VideoSample> streams,
                                       int participants, Instant at) {
        double bitrate = 0;
        int bitrateN = 0;
        double fps = 0;
        int fpsN = 0;
        double lossSum = 0;
        double jitter = 0;
        double rtt = 0;
        int rttN = 0;
        java.util.Map<Integer, Integer> heights = new java.util.HashMap<>();
        for (VideoSample s : streams) {
            bitrate += s.bitrateKbps();
            bitrateN++;
            if (!Double.isNaN(s.framesPerSecond())) {
                fps += s.framesPerSecond();
                fpsN++;
            }
            if (s.frameHeight() > 0) {
                heights.merge(s.frameHeight(), 1, Integer::sum);
            }
            lossSum += s.packetLossPercent();
            jitter += s.jitterMs();
            if (!Double.isNaN(s.rttMs())) {
                rtt += s.rttMs();
                rttN++;
            }
        }
        int n = Math.max(1, streams.size());
        int height = heights.entrySet().stream().max(java.util.Map.Entry.<Integer, Integer>comparingByValue()
                .thenComparing(java.util.Map.Entry.comparingByKey())).map(java.util.Map.Entry::getKey).orElse(0);
        return new ConferenceQuality(conferenceId, room, bridge, source, participants, bitrateN == 0 ? 0 : bitrate / bitrateN,
                fpsN == 0 ? 0 : fps / fpsN, height * 16 / 9, height, lossSum / n, jitter / n, rttN == 0 ? Double.NaN : rtt / rttN,
                at, false, List.of(), streams.size());
    }
}
