package io.jitsiops.log.tail;

import java.time.Duration;

import io.jitsiops.log.config.LogConfig;

/** The tailer's limits, from {@link LogConfig}. */
public record TailSettings(int maxLineBytes, int maxEntryBytes, int chunkBytes, int fingerprintBytes,
                           Duration multilineFlush, int maxImmediatePerCategory, Duration aggregateWindow) {
    public static TailSettings of(LogConfig c) {
        return new TailSettings(c.maxLineBytes(), c.maxEntryBytes(), c.tail().chunkBytes(), c.tail().fingerprintBytes(),
                c.tail().multilineFlush(), c.publish().maxImmediatePerCategory(), c.publish().aggregateWindow());
    }
}
