package io.jitsiops.events.payload;

import java.time.Instant;
import java.util.Objects;

import io.jitsiops.events.EventPayload;

/**
 * One parsed error (or warning) from a component's log, with its stack trace when the entry had one.
 *
 * @param category what kind of failure it is (e.g. {@code xmpp-connection}, {@code ice-failure})
 * @param position where the entry starts in the file, so that re-reads after a restart are recognised
 */
public record LogErrorEntry(
        String component,
        String file,
        long position,
        Instant timestamp,
        String level,
        String logger,
        String message,
        String category,
        String stackTrace) implements EventPayload {

    public LogErrorEntry {
        Objects.requireNonNull(component, "component");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String subject() {
        return component;
    }
}
