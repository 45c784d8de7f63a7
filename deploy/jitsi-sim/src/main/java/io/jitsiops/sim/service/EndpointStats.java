package io.jitsiops.sim.service;

/**
 * A snapshot of one endpoint's transceiver counters (cumulative) and current rates, as its bridge keeps them;
 * {@code lossFraction} is the current loss on the endpoint's path, both ways; {@code incomingLoss} and
 * {@code outgoingLoss} are what the bridge's LossTracker counted over the last 60 s.
 */
public record EndpointStats(long audioPacketsReceived, long audioBytesReceived, long videoPacketsReceived,
                            long videoBytesReceived, long videoPacketsExpected, long incomingPacketsLost,
                            long outgoingPacketsReceived, long outgoingPacketsLost, long packetsSent, long bytesSent,
                            double incomingBitrateBps, double outgoingBitrateBps, long incomingPacketRate,
                            long outgoingPacketRate, double lossFraction, LossWindow.Snapshot incomingLoss,
                            LossWindow.Snapshot outgoingLoss) {

    public long incomingPacketsReceived() {
        return audioPacketsReceived + videoPacketsReceived;
    }

    public long bytesReceived() {
        return audioBytesReceived + videoBytesReceived;
    }
}
