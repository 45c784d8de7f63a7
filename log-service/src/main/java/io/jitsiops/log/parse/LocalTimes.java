package io.jitsiops.log.parse;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;

/**
 * Turns a wall-clock time without offset (JVB, jicofo, prosody, nginx error log: all write the JVM's or the
 * host's local time) into an instant in the time zone configured for the source. The epoch second of the
 * current minute is cached: consecutive lines share it, and zone rules are consulted once a minute.
 * Not thread-safe: one per parser, one parser per source.
 */
final class LocalTimes {
    private final ZoneId zone;
    private long cachedKey = Long.MIN_VALUE;
    private long cachedEpochSecond;

    LocalTimes(ZoneId zone) {
        this.zone = zone;
    }

    ZoneId zone() {
        return zone;
    }

    /** The instant, or null when the fields are not a valid date. */
    Instant of(int year, int month, int day, int hour, int minute, int second, int millis) {
        long key = ((((long) year * 13 + month) * 32 + day) * 24 + hour) * 60 + minute;
        if (key != cachedKey) {
            try {
                cachedEpochSecond = LocalDateTime.of(year, month, day, hour, minute).atZone(zone).toEpochSecond();
            } catch (DateTimeException e) {
                return null;
            }
            cachedKey = key;
        }
        if (second > 59 || millis > 999) {
            return null;
        }
        return Instant.ofEpochSecond(cachedEpochSecond + second, millis * 1_000_000L);
    }
}
