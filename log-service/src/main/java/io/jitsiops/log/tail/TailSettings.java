package io.jitsiops.log.tail;

import java.time.Duration;

import io.jitsiops.log.config.LogConfig;

/** The tailer's limits, from {@link LogConfig}. */
public record TailSettings(int maxLineBytes, int maxEntryBytes, int chunkBytes, int fingerprintBytes,
                           Duration multilineFlush, int maxImmediatePerCategory, Duration aggregateWindow, int stepsInFlight) {
    /** One step in flight (each waits for the acknowledgement of the one before it). */
    public TailSettings(int maxLineBytes, int maxEntryBytes, int chunkBytes, int fingerprintBytes, Duration multilineFlush,
                        int maxImmediatePerCategory, Duration aggregateWindow) {
        this(maxLineBytes, maxEntryBytes, chunkBytes, fingerprintBytes, multilineFlush, maxImmediatePerCategory, aggregateWindow, 1);
    }

    public TailSettings {
        if (stepsInFlight < 1 || stepsInFlight > 8) {
            throw new IllegalArgumentException("jitsiops.logs.tail.steps-in-flight must be from 1 to 8, not " + stepsInFlight);
        }
    }

    public static TailSettings of(LogConfig c) {
        return new TailSettings(c.maxLineBytes(), c.maxEntryBytes(), c.tail().chunkBytes(), c.tail().fingerprintBytes(),
                c.tail().multilineFlush(), c.publish().maxImmediatePerCategory(), c.publish().aggregateWindow(),
                c.tail().stepsInFlight());
    }
}
