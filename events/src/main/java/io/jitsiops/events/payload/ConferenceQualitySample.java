package io.jitsiops.events.payload;

import java.time.Instant;
import java.util.Objects;

import io.jitsiops.events.EventPayload;

/**
 * Video quality of one conference on one bridge at one time. Lower bitrate and fps are worse; higher
 * loss and jitter are worse.
 *
 * @param packetLossPercent received packets lost, 0..100
 * @param frameHeight       the dominant received resolution's height in pixels (720 for 1280x720)
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
        Instant sampledAt) implements EventPayload {

    public ConferenceQualitySample {
        Objects.requireNonNull(conferenceId, "conferenceId");
        Objects.requireNonNull(sampledAt, "sampledAt");
    }

    @Override
    public String subject() {
        return "conference/" + conferenceId;
    }
}
