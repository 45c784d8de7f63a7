package io.jitsiops.backup.restore.control;

import java.io.IOException;

/**
 * Stops, starts and probes one service a restore touches. Every method blocks (a process call or Kubernetes API
 * calls): worker threads only. A failure is an {@link IOException} whose message says what failed and why.
 */
public interface ServiceController {

    /** The service's name in the configuration ({@code jitsiops.backup.restore.services.<name>}). */
    String name();

    /** How it is controlled, for step details and logs: {@code systemd unit prosody.service}. */
    String describe();

    /** Stops the service; returns when it is stopped. */
    void stop() throws IOException;

    /** Starts the service (back to its size before {@link #stop()} where that applies); returns when started. */
    void start() throws IOException;

    /** The service's own probe: returns when it is up, throws with the reason when not. */
    void probe() throws IOException;
}
