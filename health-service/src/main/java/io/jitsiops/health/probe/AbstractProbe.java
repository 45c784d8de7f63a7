package io.jitsiops.health.probe;

import java.time.Duration;

/** A probe of one check with the target's settings. */
public abstract class AbstractProbe implements Probe {
    protected final CheckKey key;
    protected final ProbeSettings settings;

    protected AbstractProbe(CheckKey key, ProbeSettings settings) {
        this.key = key;
        this.settings = settings;
    }

    @Override
    public final CheckKey key() {
        return key;
    }

    @Override
    public final Duration interval() {
        return settings.interval();
    }

    @Override
    public final Duration timeout() {
        return settings.timeout();
    }

    @Override
    public final int retries() {
        return settings.retries();
    }

    /** Milliseconds since {@code startedNanos} (a {@link System#nanoTime()} reading). */
    protected static long elapsedMs(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}
