package io.jitsiops.sim.service;

import java.util.concurrent.ThreadLocalRandom;

/**
 * One participant's connection to its bridge, with the cumulative counters the bridge keeps for it (what the
 * endpoint's transceiver statistics report under {@code /debug?full=true}). Counters advance with the
 * conference's current quality each time {@link #advance} is called.
 */
public final class SimEndpoint {
    /** Audio: Opus at about 50 packets/s and 40 kbit/s. */
    static final double AUDIO_PPS = 50;
    static final double AUDIO_BPS = 40_000;
    /** Video packets carry about 1,100 bytes of payload. */
    static final double VIDEO_PACKET_BYTES = 1_100;

    final String id;
    final String statsId;
    final long audioSsrc;
    final long videoSsrc;
    final long createdAtMillis;
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

    SimEndpoint(String id, String statsId) {
        this.id = id;
        this.statsId = statsId;
        ThreadLocalRandom r = ThreadLocalRandom.current();
        this.audioSsrc = r.nextLong(1L, 1L << 32);
        this.videoSsrc = r.nextLong(1L, 1L << 32);
        this.createdAtMillis = System.currentTimeMillis();
        this.lastAdvanceNanos = System.nanoTime();
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
        double videoBps = Math.max(0, c.bitrateKbps * 1000 - AUDIO_BPS);
        double videoPps = videoBps / 8 / VIDEO_PACKET_BYTES;
        double sentPps = AUDIO_PPS + videoPps;
        incomingBitrateBps = (AUDIO_BPS + videoBps) * (1 - lossFraction);
        incomingPacketRate = Math.round(sentPps * (1 - lossFraction));
        outgoingBitrateBps = incomingBitrateBps * receivers;
        outgoingPacketRate = incomingPacketRate * receivers;
        long audio = Math.round(AUDIO_PPS * seconds * (1 - lossFraction));
        long videoExpected = Math.round(videoPps * seconds);
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
