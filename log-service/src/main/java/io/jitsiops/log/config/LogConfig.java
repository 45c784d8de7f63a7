package io.jitsiops.log.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** log-service settings ({@code jitsiops.logs.*}); what to tail comes from the deployment description's {@code logs[]}. */
@ConfigMapping(prefix = "jitsiops.logs")
public interface LogConfig {

    /** A rules file replacing the shipped default (classpath log-rules.yaml). */
    Optional<Path> rulesFile();

    /** Longer lines keep this many bytes and are flagged truncated. */
    @WithDefault("65536")
    int maxLineBytes();

    /** An entry's continuation text (stack trace, traceback) is cut at this size and flagged truncated. */
    @WithDefault("262144")
    int maxEntryBytes();

    /** Time zone of sources whose lines carry no offset, unless the source names its own ({@code logs[].timeZone}). */
    Optional<String> defaultTimeZone();

    Tail tail();

    Publish publish();

    Rotation rotation();

    interface Tail {
        /** Whether the configured files are tailed (off: only the API's paste analysis works). */
        @WithDefault("true")
        boolean enabled();

        /** How often each file is looked at for new bytes, renames and truncation. */
        @WithDefault("250ms")
        Duration pollInterval();

        /** Bytes read per step; records of one step are acknowledged by Kafka before its checkpoint is stored. */
        @WithDefault("1048576")
        int chunkBytes();

        /**
         * Steps of one file sent to Kafka before the oldest is acknowledged (1: each step waits for the acknowledgement
         * of the one before it). The records keep their order (one key, one writer thread per key, the idempotent
         * producer); cursors are stored in order, each only once every step up to it is acknowledged. From 1 to 8 (each
         * holds a step's entries in memory). 1 by default: 2 measured no faster in bench/logs (stop 22), with more heap.
         */
        @WithDefault("1")
        int stepsInFlight();

        /** Worker threads reading files (blocking I/O, never the event loop). */
        @WithDefault("2")
        int threads();

        /** Bytes of a file's start hashed into its fingerprint (with device and inode: its identity). */
        @WithDefault("1024")
        int fingerprintBytes();

        /** An entry whose continuation lines stopped arriving for this long is complete. */
        @WithDefault("1s")
        Duration multilineFlush();

        /** How often globs are expanded again to find new files. */
        @WithDefault("10s")
        Duration rescanInterval();

        /**
         * A file gone this long (absent from its path, not matched by its glob at a rescan since, read to its end with its
         * cursor stored) is no longer tailed. Longer than the moment between a rotation's rename and the writer's reopen,
         * which the tailer waits through. A configured path that is not a glob is never retired.
         */
        @WithDefault("1m")
        Duration retireAfter();
    }

    interface Publish {
        /** Topic every parsed entry is shipped to (key: the file path), with its file identity and position. */
        @WithDefault("jitsi-ops.log-entries")
        String entriesTopic();

        /** Per component and category and aggregate window, at most this many LogErrorEntry events at once. */
        @WithDefault("20")
        int maxImmediatePerCategory();

        /** Length of the per-component LogWindowAggregate windows. */
        @WithDefault("1m")
        Duration aggregateWindow();

        /**
         * Producer compression of the entries topic (none, gzip, snappy, lz4, zstd). snappy: the Kafka client's lz4
         * runs as lz4-java's pure-Java "safe" compressor, which was the largest single cost of shipping in the
         * tail-to-Kafka profile; snappy-java compresses natively (its library is unpacked to java.io.tmpdir).
         */
        @WithDefault("snappy")
        String compression();

        /** Producer linger: records wait this long to fill a batch. */
        @WithDefault("5ms")
        Duration linger();

        /** How long a step waits for Kafka's acknowledgement before it is retried (no checkpoint moves meanwhile). */
        @WithDefault("30s")
        Duration ackTimeout();
    }

    interface Rotation {
        /** Generate a logrotate configuration for the tailed files and run logrotate with it on a schedule. */
        @WithDefault("false")
        boolean enabled();

        /** The logrotate binary. */
        @WithDefault("/usr/sbin/logrotate")
        String logrotate();

        /** Where the generated configuration and logrotate's state file are written. */
        @WithDefault("/var/lib/jitsi-ops/logrotate")
        Path workDir();

        /** How often logrotate runs. */
        @WithDefault("1h")
        Duration interval();

        /** Rotate a file once it is larger than this (logrotate's size directive). */
        @WithDefault("100M")
        String size();

        /** Rotated files kept. */
        @WithDefault("7")
        int keep();

        /** Compress rotated files (delaycompress keeps the latest one plain, so the tailer can finish it). */
        @WithDefault("true")
        boolean compress();

        /** Command run after renaming prosody's and nginx's files so that they reopen them (e.g. {@code kill -USR1 $(cat /run/nginx.pid)}). */
        Optional<String> postrotate();
    }
}
