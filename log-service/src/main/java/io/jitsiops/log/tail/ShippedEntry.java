package io.jitsiops.log.tail;

import java.time.Instant;
import java.util.Map;

import io.jitsiops.log.parse.ExceptionInfo;

/**
 * The value of a record on the entries topic (JSON). {@code fileKey} + {@code fingerprint} + {@code position}
 * identify the entry:
 * a consumer recognises an entry shipped twice (after a crash between Kafka's acknowledgement and the
 * cursor's commit) by them.
 */
public record ShippedEntry(
        String component,
        String format,
        String file,
        String fileKey,
        String fingerprint,
        int fingerprintLength,
        long position,
        long end,
        boolean parsed,
        Instant timestamp,
        String level,
        String rawLevel,
        String thread,
        Map<String, String> context,
        String logger,
        String message,
        String stackTrace,
        ExceptionInfo exception,
        Map<String, String> fields,
        boolean truncated,
        String category) {
}
