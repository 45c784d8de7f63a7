package io.jitsiops.metrics.quality;

import java.time.Instant;

/**
 * Video quality of one participant's stream at one time, from a browser's statistics (source {@code client}) or from
 * the bridge's endpoint statistics (source {@code bridge}, direction {@code send}: what the bridge receives from the
 * participant).
 *
 * @param direction       {@code send} (the participant's outgoing stream) or {@code receive}
 * @param bitrateKbps     the stream's video bitrate; 0 when no video flows (camera off, audio-only or receive-only, a
 *                        camera no one receives): not a video sender, see {@link #sendsVideo()}
 * @param framesPerSecond NaN when not measured (audio only)
 * @param frameWidth      0 when not measured
 * @param packetLossPercent NaN when not measured: a bridge endpoint without packets in the JVB's 60 s loss window
 *                        (browser samples always carry one: the API requires it)
 * @param jitterMs        NaN when not measured: a bridge endpoint without an SSRC in the receiver's incoming statistics
 *                        (browser samples always carry one: the API requires it)
 * @param rttMs           NaN when not measured
 */
public record VideoSample(String room, String participant, String direction, String source, String bridge, Instant sampledAt,
                          double bitrateKbps, double framesPerSecond, int frameWidth, int frameHeight,
                          double packetLossPercent, double jitterMs, double rttMs) {

    /**
     * Whether video flows on this stream: any bits at all, as JVB's own Endpoint.isSendingVideo (any video packets in
     * its rate window). A starved stream of a few kbps sends video; 0 bps does not.
     */
    public boolean sendsVideo() {
        return bitrateKbps > 0;
    }
}
