package io.jitsiops.sim.service;

import java.util.concurrent.ThreadLocalRandom;

/**
 * One participant's connection to its bridge, with the cumulative counters the bridge keeps for it (what the
 * endpoint's transceiver statistics report under {@code /debug?full=true}). Counters advance with the
 * conference's current quality each time {@link #advance} is called.
 */
public final class SimEndpoint {
    /**
     * The participant's camera, and so what its bridge receives and shows of it. Whether an endpoint sends video is,
     * on a real bridge, whether video bits arrive (jitsi-videobridge a29d97d {@code Endpoint.isSendingVideo} =
     * {@code transceiver.isReceivingVideo()}); audio flows in every case.
     */
    public enum Camera {
        /** Sends video: a camera source, its simulcast layers carrying bits. */
        ON,
        /**
         * Joined with the camera off ({@code startWithVideoMuted}, or no camera): lib-jitsi-meet has no local video
         * track, so no video source is signaled, and the bridge's {@code Colibri2ConferenceHandler} sets the endpoint's
         * video sources from what was signaled: none ("If "sources" was signaled, but it didn't contain any video
         * sources, clear the endpoint's video sources"). {@code media_sources} is empty, and the receiver's
         * {@code IncomingStatisticsTracker} has only the audio SSRC (it adds an SSRC when its first packet arrives).
         */
        NEVER_ON,
        /**
         * Turned the camera off {@link #CAMERA_ON_BEFORE_TURNED_OFF} after joining: lib-jitsi-meet keeps the muted
         * track's source signaled (modules/RTC/TraceablePeerConnection.ts {@code removeTrackFromPc}: a mute is
         * {@code replaceTrack(localTrack, null, true)}, no renegotiation, no source-remove) and sends
         * {@code SourceVideoTypeMessage} with {@code NONE}
         * ({@code JitsiConference._sendBridgeVideoTypeMessage}: a muted track is {@code BridgeVideoType.NONE}), which the
         * bridge sets on the source ({@code AbstractEndpoint.setVideoType}); so the source stays, shown with
         * {@code video_type} {@code NONE}, its layers keep their height and frame rate with {@code bitrate_bps} 0
         * ({@code RtpLayerDesc.debugState}), and the video SSRC keeps its counters from when the camera was on, no longer
         * growing.
         */
        TURNED_OFF
    }

    /** Audio: Opus at about 50 packets/s and 40 kbit/s. */
    static final double AUDIO_PPS = 50;
    static final double AUDIO_BPS = 40_000;
    /** Video packets carry about 1,100 bytes of payload. */
    static final double VIDEO_PACKET_BYTES = 1_100;
    /** How long a {@link Camera#TURNED_OFF} camera sends before it is turned off. */
    public static final java.time.Duration CAMERA_ON_BEFORE_TURNED_OFF = java.time.Duration.ofSeconds(10);

    final String id;
    final String statsId;
    final long audioSsrc;
    final long videoSsrc;
    final long createdAtMillis;
    final Camera camera;
    private final long createdNanos;
    /** How long after joining video arrives from it: always for ON, never for NEVER_ON. */
    private final long cameraOnNanos;
    private long lastAdvanceNanos;
    // Cumulative, as the bridge's IncomingStatisticsTracker / OutgoingStatisticsTracker keep them.
    long audioPacketsReceived;
    long audioBytesReceived;
    long videoPacketsReceived;
    long videoBytesReceived;
    long videoPacketsExpected;
    long incomingPacketsLost;
    long outgoingPacketsReceived;
    long outgoingPacketsLost;
    long packetsSent;
    long bytesSent;
    // Over the last 60 s, as the bridge's LossTracker keeps them (endpoint_connection_stats).
    private final LossWindow incomingLoss = new LossWindow();
    private final LossWindow outgoingLoss = new LossWindow();
    // Current rates, from the last advance.
    double incomingBitrateBps;
    double outgoingBitrateBps;
    long incomingPacketRate;
    long outgoingPacketRate;
    double lossFraction;

    SimEndpoint(String id, String statsId, Camera camera) {
        this.id = id;
        this.statsId = statsId;
        this.camera = camera;
        ThreadLocalRandom r = ThreadLocalRandom.current();
        this.audioSsrc = r.nextLong(1L, 1L << 32);
        this.videoSsrc = r.nextLong(1L, 1L << 32);
        this.createdAtMillis = System.currentTimeMillis();
        this.createdNanos = System.nanoTime();
        this.lastAdvanceNanos = createdNanos;
        this.cameraOnNanos = switch (camera) {
            case ON -> Long.MAX_VALUE;
            case NEVER_ON -> 0;
            case TURNED_OFF -> CAMERA_ON_BEFORE_TURNED_OFF.toNanos();
        };
    }

    public String id() {
        return id;
    }

    public String statsId() {
        return statsId;
    }

    public long audioSsrc() {
        return audioSsrc;
    }

    public long videoSsrc() {
        return videoSsrc;
    }

    public long createdAtMillis() {
        return createdAtMillis;
    }

    public Camera camera() {
        return camera;
    }

    /** Whether video bits arrive from this participant now (JVB's {@code isSendingVideo}). */
    public boolean sendingVideo() {
        return System.nanoTime() - createdNanos < cameraOnNanos;
    }

    /** Of the time since it joined until {@code nanos}, how long its camera was on. */
    private long cameraOnUntil(long nanos) {
        return Math.min(Math.max(0, nanos - createdNanos), cameraOnNanos);
    }

    /** The counters and rates as of the last {@link #advance}. */
    public synchronized EndpointStats stats() {
        long nowMillis = System.nanoTime() / 1_000_000;
        return new EndpointStats(audioPacketsReceived, audioBytesReceived, videoPacketsReceived, videoBytesReceived,
                videoPacketsExpected, incomingPacketsLost, outgoingPacketsReceived, outgoingPacketsLost, packetsSent,
                bytesSent, incomingBitrateBps, outgoingBitrateBps, incomingPacketRate, outgoingPacketRate, lossFraction,
                incomingLoss.at(nowMillis), outgoingLoss.at(nowMillis));
    }

    /** Moves the counters forward to now with the conference's quality; {@code receivers} get what this one sends. */
    synchronized void advance(SimConference c, int receivers) {
        long now = System.nanoTime();
        long elapsedNanos = now - lastAdvanceNanos;
        double seconds = elapsedNanos / 1e9;
        lastAdvanceNanos = now;
        lossFraction = Math.min(1.0, c.packetLossPercent / 100.0);
        // Video of this interval: only the part of it before the camera went off.
        double videoSeconds = (cameraOnUntil(now) - cameraOnUntil(now - elapsedNanos)) / 1e9;
        double videoPps = Math.max(0, c.bitrateKbps * 1000 - AUDIO_BPS) / 8 / VIDEO_PACKET_BYTES;
        double videoBps = now - createdNanos < cameraOnNanos ? Math.max(0, c.bitrateKbps * 1000 - AUDIO_BPS) : 0;
        double sentPps = AUDIO_PPS + (videoBps > 0 ? videoPps : 0);
        incomingBitrateBps = (AUDIO_BPS + videoBps) * (1 - lossFraction);
        incomingPacketRate = Math.round(sentPps * (1 - lossFraction));
        outgoingBitrateBps = incomingBitrateBps * receivers;
        outgoingPacketRate = incomingPacketRate * receivers;
        long audio = Math.round(AUDIO_PPS * seconds * (1 - lossFraction));
        long videoExpected = Math.round(videoPps * videoSeconds);
        long video = Math.round(videoExpected * (1 - lossFraction));
        long lost = Math.round((AUDIO_PPS * seconds + videoExpected) * lossFraction);
        audioPacketsReceived += audio;
        audioBytesReceived += Math.round(audio * AUDIO_BPS / 8 / AUDIO_PPS);
        videoPacketsExpected += videoExpected;
        videoPacketsReceived += video;
        videoBytesReceived += Math.round(video * VIDEO_PACKET_BYTES);
        incomingPacketsLost += lost;
        long sent = Math.round(outgoingPacketRate * seconds);
        packetsSent += sent;
        bytesSent += Math.round(outgoingBitrateBps / 8 * seconds);
        // What receivers report back in RTCP: the same network conditions downstream.
        long sentLost = Math.round(sent * lossFraction);
        outgoingPacketsLost += sentLost;
        outgoingPacketsReceived += sent - sentLost;
        incomingLoss.add(lost, audio + video, (now - elapsedNanos) / 1_000_000, now / 1_000_000);
        outgoingLoss.add(sentLost, sent - sentLost, (now - elapsedNanos) / 1_000_000, now / 1_000_000);
    }
}
