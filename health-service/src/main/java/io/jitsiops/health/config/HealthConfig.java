package io.jitsiops.health.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How the health-service probes. Targets themselves come from the deployment description. */
@ConfigMapping(prefix = "jitsiops.health")
public interface HealthConfig {

    /** Interval of a target that does not set its own. */
    @WithDefault("60s")
    Duration defaultInterval();

    /** Timeout of a target that does not set its own. */
    @WithDefault("5s")
    Duration defaultTimeout();

    /** A check whose answer takes longer than this is DEGRADED (the seed's response_time warning). */
    @WithDefault("2s")
    Duration degradedLatency();

    /** Flap damping: a check is DOWN only after this many consecutive failures. */
    @WithDefault("3")
    int downAfterFailures();

    /** Flap damping: a DOWN check is back only after this many consecutive successes. */
    @WithDefault("2")
    int upAfterSuccesses();

    /** Results kept in PostgreSQL for the history API. */
    @WithDefault("14d")
    Duration historyRetention();

    /** Results held in memory while Kafka or PostgreSQL is away; the oldest are dropped beyond this. */
    @WithDefault("20000")
    int bufferCapacity();

    /**
     * First runs after start-up are spread at random over this window (or the check's interval, if shorter), so
     * that every check reports within seconds without all firing at the same instant.
     */
    @WithDefault("5s")
    Duration firstRunSpread();

    /** Whether the checks run by themselves; off, they run only on POST /api/health/check. */
    @WithDefault("true")
    boolean scheduleEnabled();

    Tls tls();

    Host host();

    interface Tls {
        /** A certificate that expires within this many days makes its check DEGRADED. */
        @WithDefault("14")
        int expiryWarningDays();

        /** PKCS#12 trust store for targets signed by a private CA; default: the JVM's trusted CAs. */
        Optional<String> trustStore();

        /** Name of the configuration key or environment variable holding the trust store password. */
        Optional<String> trustStorePasswordEnv();
    }

    interface Host {
        /** Whether this host's own CPU, memory, disk and network are checked. */
        @WithDefault("true")
        boolean enabled();

        @WithDefault("30s")
        Duration interval();

        /** Mount points whose usage is reported. */
        @WithDefault("/")
        List<String> diskPaths();

        /** Usage percentages at which the host check is DEGRADED (the seed's critical levels). */
        @WithDefault("90")
        double cpuDegradedPercent();

        @WithDefault("95")
        double memoryDegradedPercent();

        @WithDefault("90")
        double diskDegradedPercent();
    }
}
