package io.jitsiops.events.payload;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import io.jitsiops.events.EventPayload;

/**
 * Video quality of one conference on one bridge at one time. Lower bitrate and fps are worse; higher
 * loss and jitter are worse.
 *
 * @param packetLossPercent received packets lost, 0..100
 * @param frameHeight       the dominant received resolution's height in pixels (720 for 1280x720)
 * @param rttMs             optional: mean round-trip time in ms (null when not measured)
 * @param source            optional: where the figures come from: {@code bridge} (the JVB's endpoint statistics)
 *                          or {@code client} (browser statistics posted to the metrics-service); null = bridge
 * @param degraded          optional: set when the metrics-service's quality rules judged this sample; true when the
 *                          conference is degraded (the alert-service decides who is told)
 * @param degradedReasons   optional: which rules failed, e.g. {@code packet_loss_percent 7.5 > 5}
 * @param samples           optional: how many per-participant stream samples this conference sample sums up (browser
 *                          samples of one window, or the streams of one bridge read)
 * @param videoSent         optional: whether any of those streams sent video; false means nobody did (cameras off,
 *                          an audio-only call), and then {@code bitrateKbps} and {@code framesPerSecond} are 0 because
 *                          there is no video to measure, not because video is starved; null = not stated (no stream
 *                          measured, or a producer before session 25)
 */
public record ConferenceQualitySample(
        String conferenceId,
        String roomName,
        String bridge,
        int participants,
        double bitrateKbps,
        double framesPerSecond,
        int frameWidth,
        int frameHeight,
        double packetLossPercent,
        double jitterMs,
        Instant sampledAt,
        Double rttMs,
        String source,
        Boolean degraded,
        List<String> degradedReasons,
        Integer samples,
        Boolean videoSent) implements EventPayload {

    public ConferenceQualitySample {
        Objects.requireNonNull(conferenceId, "conferenceId");
        Objects.requireNonNull(sampledAt, "sampledAt");
        degradedReasons = degradedReasons == null ? null : List.copyOf(degradedReasons);
    }

    /** A sample that does not say whether video was sent. */
    public ConferenceQualitySample(String conferenceId, String roomName, String bridge, int participants, double bitrateKbps,
                                   double framesPerSecond, int frameWidth, int frameHeight, double packetLossPercent,
                                   double jitterMs, Instant sampledAt, Double rttMs, String source, Boolean degraded,
                                   List<String> degradedReasons, Integer samples) {
        this(conferenceId, roomName, bridge, participants, bitrateKbps, framesPerSecond, frameWidth, frameHeight,
                packetLossPercent, jitterMs, sampledAt, rttMs, source, degraded, degradedReasons, samples, null);
    }

    /** A sample without the optional stream count. */
    public ConferenceQualitySample(String conferenceId, String roomName, String bridge, int participants, double bitrateKbps,
                                   double framesPerSecond, int frameWidth, int frameHeight, double packetLossPercent,
                                   double jitterMs, Instant sampledAt, Double rttMs, String source, Boolean degraded,
                                   List<String> degradedReasons) {
        this(conferenceId, roomName, bridge, participants, bitrateKbps, framesPerSecond, frameWidth, frameHeight,
                packetLossPercent, jitterMs, sampledAt, rttMs, source, degraded, degradedReasons, null, null);
    }

    /** A sample without the optional fields. */
    public ConferenceQualitySample(String conferenceId, String roomName, String bridge, int participants, double bitrateKbps,
                                   double framesPerSecond, int frameWidth, int frameHeight, double packetLossPercent,
                                   double jitterMs, Instant sampledAt) {
        this(conferenceId, roomName, bridge, participants, bitrateKbps, framesPerSecond, frameWidth, frameHeight,
                packetLossPercent, jitterMs, sampledAt, null, null, null, null, null, null);
    }

    @Override
    public String subject() {
        return "conference/" + conferenceId;
    }
}
