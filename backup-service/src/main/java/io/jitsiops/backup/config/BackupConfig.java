package io.jitsiops.backup.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How the backup-service works. What is backed up, when and where comes from the deployment description's
 * {@code backup} section; these are the service's own settings.
 */
@ConfigMapping(prefix = "jitsiops.backup")
public interface BackupConfig {

    /** Whether the description's schedules run by themselves; off, backups run only on POST /api/backups. */
    @WithDefault("true")
    boolean scheduleEnabled();

    /** A scheduled run missed while the service was down runs once at start-up. */
    @WithDefault("true")
    boolean catchUp();

    /** Verify (re-read, restore into scratch, parse) every backup right after it is written. */
    @WithDefault("true")
    boolean verifyAfterBackup();

    /** An event (phase STALE) when the newest verified backup of a component is older than this. */
    @WithDefault("26h")
    Duration staleAfter();

    /** Every stored object is re-read and checksummed at least once within this period (rolling read-check). */
    @WithDefault("30d")
    Duration readCheckPeriod();

    /** Manual (on-demand) backups kept besides the schedules' own retention. */
    @WithDefault("10")
    int manualRetention();

    /** PostgreSQL client binaries (pg_dump, pg_restore); default: the newest /usr/lib/postgresql/N/bin, else PATH. */
    Optional<String> pgBin();

    /** Deflate level of folder archives (1 fastest .. 9 smallest). pg_dump's custom format compresses itself. */
    @WithDefault("1")
    int compressionLevel();

    /** Plaintext bytes per AES-256-GCM segment of an encrypted object. */
    @WithDefault("1048576")
    int encryptionSegmentBytes();

    /**
     * AES-GCM through Amazon Corretto Crypto Provider's native code where it loads (linux x86_64), else the JDK's
     * (see AesGcmProvider); false: always the JDK's.
     */
    @WithDefault("true")
    boolean nativeAesGcm();

    /**
     * Rounds of 200 small AES-GCM segments encrypted and decrypted at start so that the JIT compiles the cipher with
     * its CPU intrinsics before the first backup or restore (see SegmentedAesGcm#warmUp); 0 turns it off. Only when
     * the JDK's AES-GCM is used (the native one needs no warm-up).
     */
    @WithDefault("60")
    int cipherWarmUpRounds();

    /** Objects larger than this are uploaded to S3 in parts. */
    @WithDefault("16777216")
    long multipartThreshold();

    /** Size of one multipart upload part (S3's minimum is 5 MiB). */
    @WithDefault("8388608")
    int multipartPartBytes();

    /** Scratch databases of verification restores are named {prefix}_{database}_{random}. */
    @WithDefault("jitsiops_verify")
    String scratchDatabasePrefix();

    /** Timeout of one pg_dump / pg_restore / luac / nginx run. */
    @WithDefault("30m")
    Duration toolTimeout();

    Restore restore();

    Maintenance maintenance();

    interface Restore {
        /**
         * The services a restore stops before and starts after writing, by name. Each is controlled the way its
         * {@code type} says: {@code command} (shell commands), {@code systemd} ({@code systemctl}) or
         * {@code kubernetes} (the Deployment scaled to 0 and back). Checked at start-up, naming the key.
         */
        Map<String, RestoredService> services();

        /** How long a started service may take until it is healthy (and a stopped one until it is down). */
        @WithDefault("60s")
        Duration startTimeout();

        /**
         * Ask health-service (REST client {@code quarkus.rest-client.health-service.url}) whether a restarted
         * service is healthy; the service's own probe answers when health-service is unreachable or does not
         * watch it. Off: the own probe only.
         */
        @WithDefault("true")
        boolean useHealthService();

        /** The systemctl binary of the {@code systemd} type. */
        @WithDefault("systemctl")
        String systemctl();
    }

    /** How a service is controlled. */
    enum ControlType {
        /** {@code stop}, {@code start} and {@code check} shell commands, run with /bin/sh -c. */
        COMMAND,
        /** {@code systemctl stop|start|is-active <unit>}. */
        SYSTEMD,
        /** The Deployment scaled to 0 and back to its replica count, through the Kubernetes API. */
        KUBERNETES
    }

    interface RestoredService {
        /** {@code command} (default), {@code systemd} or {@code kubernetes}. */
        @WithDefault("command")
        ControlType type();

        /** Components (configurations, certificates, databases) whose restore needs this service stopped. */
        List<String> components();

        /** type command: the command that stops the service (exit status 0 when stopped). */
        Optional<String> stop();

        /** type command: the command that starts the service. */
        Optional<String> start();

        /** type command: exit status 0 when the service is up and healthy (its own probe). */
        Optional<String> check();

        /** type systemd: the unit; default the service's name plus {@code .service}. */
        Optional<String> unit();

        /** type kubernetes: the namespace; default the client's (in-cluster: the pod's own namespace). */
        Optional<String> namespace();

        /** type kubernetes: the Deployment; default the service's name. */
        Optional<String> deployment();

        /** health-service's component of this service (prosody, jicofo, jvb, web); default the service's name. */
        Optional<String> healthComponent();

        /** Only health-service's checks of this target (e.g. jvb-1); default every target of the component. */
        Optional<String> healthTarget();
    }

    interface Maintenance {
        /** When database maintenance runs by itself (Quartz cron, in the backup section's time zone); "off" for never. */
        @WithDefault("0 30 5 ? * SUN")
        String cron();

        /** Indexes whose measured bloat (pgstattuple's 100 - avg_leaf_density) passes this percentage are rebuilt. */
        @WithDefault("30")
        double reindexBloatPercent();

        /** Indexes smaller than this are never rebuilt (bloat of a tiny index costs nothing). */
        @WithDefault("1048576")
        long reindexMinBytes();

        /** Cleanup SQL per database name, run in one transaction before VACUUM (e.g. deleting old rows). */
        Map<String, String> cleanup();
    }
}
