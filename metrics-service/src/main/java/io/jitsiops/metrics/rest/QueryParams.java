package io.jitsiops.metrics.rest;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import io.jitsiops.deployment.DurationParser;

/** Query parameters read strictly: a bad one is an IllegalArgumentException naming it (→ 400). */
final class QueryParams {
    private QueryParams() {
    }

    static Instant instant(String name, String value, Instant fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + ": not an ISO-8601 instant like 2026-11-29T08:00:00Z: '" + value + "'");
        }
    }

    static Duration duration(String name, String value, Duration fallback, Duration min, Duration max) {
        Duration d;
        if (value == null || value.isBlank()) {
            d = fallback;
        } else {
            try {
                d = DurationParser.parse(value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + ": " + e.getMessage());
            }
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException(name + ": must be between " + min + " and " + max + ", got " + value);
        }
        return d;
    }

    static void range(Instant from, Instant to, Duration max) {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to");
        }
        if (Duration.between(from, to).compareTo(max) > 0) {
            throw new IllegalArgumentException("from..to spans more than " + max.toDays() + " days");
        }
    }
}
