package io.jitsiops.metrics.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The metrics-service's settings ({@code jitsiops.metrics.*}); targets come from the deployment description, where
 * {@code metricsInterval}/{@code qualityInterval}/{@code timeout} of a target override the defaults here.
 */
@ConfigMapping(prefix = "jitsiops.metrics")
public interface MetricsConfig {

    /** Whether targets are scraped on their intervals (tests drive scrapes themselves). */
    @WithDefault("true")
    boolean scheduleEnabled();

    /**
     * Path of nginx's {@code stub_status} page under each web target's url (the site's
     * {@code location = /nginx_status { stub_status; }}).
     */
    @WithDefault("/nginx_status")
    String nginxStatusPath();

    /** Default interval for server statistics ({@code /metrics}, {@code /colibri/stats}, jicofo {@code /stats}). */
    @WithDefault("15s")
    Duration statsInterval();

    /** Default interval for a JVB's per-conference quality ({@code /debug?full=true}). */
    @WithDefault("5s")
    Duration qualityInterval();

    /** Default time one scrape may take, connection and whole body included. */
    @WithDefault("5s")
    Duration timeout();

    /** A response body longer than this is cut off and the scrape fails (a runaway or endless response). */
    @WithDefault("8388608")
    int maxBodyBytes();

    /** Items held for Kafka and for PostgreSQL each while they are away; past it the oldest are dropped and counted. */
    @WithDefault("200000")
    int bufferCapacity();

    /**
     * Insert batches in flight at once to PostgreSQL, per table fed at high rate (browser samples, scraped series):
     * each is one {@code INSERT … SELECT FROM unnest(…)} on its own pooled connection. One at a time capped browser
     * ingest at about 39,000 rows/s; keep it below {@code quarkus.datasource.reactive.max-size}.
     */
    @WithDefault("4")
    int insertLanes();

    /** Rows per {@code INSERT … unnest} batch. */
    @WithDefault("5000")
    int insertBatchRows();

    /**
     * Browser-sample rows waiting for PostgreSQL beyond which {@code POST /api/video-metrics} answers 503 with
     * {@code Retry-After} and takes nothing: the sender keeps its samples and sends them again, instead of the service
     * accepting samples that its bounded buffer would then drop. Keep it below {@code buffer-capacity}.
     */
    @WithDefault("100000")
    int ingestBacklogLimit();

    /** Client-side samples in one {@code POST /api/video-metrics}. */
    @WithDefault("10000")
    int maxBatchSamples();

    /** The role a bearer token needs to post browser samples ({@code POST /api/video-metrics}). */
    @WithDefault("jitsi-ops-operator")
    String ingestRole();

    Retention retention();

    Quality quality();

    Export export();

    Replicas replicas();

    Signals signals();

    interface Retention {
        /** How long raw samples are kept. */
        @WithDefault("7d")
        Duration raw();

        /** How long 1-minute rollups are kept. */
        @WithDefault("90d")
        Duration rollup();

        /** How often rollups are computed and old rows deleted. */
        @WithDefault("1m")
        Duration every();
    }

    /** When a conference counts as degraded (a quality event is published on each change). */
    interface Quality {
        @WithDefault("150")
        double minBitrateKbps();

        @WithDefault("10")
        double minFps();

        @WithDefault("5")
        double maxPacketLossPercent();

        @WithDefault("30")
        double maxJitterMs();

        /** Client samples are summed up per room over this window before a conference sample is published. */
        @WithDefault("5s")
        Duration window();
    }

    /** Re-export on /q/metrics. */
    interface Export {
        /** At most this many conferences get their own series; the rest are counted in an overflow counter. */
        @WithDefault("200")
        int maxConferences();

        /** At most this many series per metric name and target (labelled families such as per-queue counters). */
        @WithDefault("500")
        int maxSeriesPerMetric();
    }

    /** Guards of the derived signals (metrics-service/SIGNALS.md): below them a guarded signal is 0. */
    interface Signals {
        /** RTP packets the transit-time histogram must have measured in the last minute for the delay share. */
        @WithDefault("1000")
        long minRtpPackets();

        /** ICE agents that ended in the last 10 minutes for the bridge's ICE failure share. */
        @WithDefault("20")
        long minIceAttempts();

        /** Current participants for jicofo's ICE restarts and failures per participant (Jitsi: at least 20). */
        @WithDefault("20")
        long minParticipants();
    }

    /**
     * Several replicas share the targets: replica {@code index} of {@code count} scrapes the targets whose
     * consistent-hash owner it is (see README). One replica: every target.
     */
    interface Replicas {
        @WithDefault("0")
        int index();

        @WithDefault("1")
        int count();

        /**
         * {@code static}: the consistent-hash ring over {@code count} replicas, each told its {@code index} (no
         * coordination; a dead replica's targets wait for it). {@code kafka}: the replicas hold lease partitions through
         * a Kafka consumer group, and a dead replica's targets are taken over ({@code index}/{@code count} unused).
         */
        @WithDefault("static")
        String membership();

        /** Lease partitions (kafka membership): more than the replicas ever run, so that they share evenly. */
        @WithDefault("32")
        int leasePartitions();

        /** How long a silent replica keeps its leases before the others take its targets over (kafka membership). */
        @WithDefault("10s")
        Duration sessionTimeout();
    }
}
