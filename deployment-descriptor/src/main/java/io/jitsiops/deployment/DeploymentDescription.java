package io.jitsiops.deployment;

import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonFormat;

/**
 * The watched Jitsi deployment, as one YAML file describes it. Every section is optional in the file;
 * a service asks for the sections it needs with the {@code require...} methods, which fail naming the
 * missing key. See the README's configuration reference for every key.
 */
public record DeploymentDescription(
        String name,
        Jitsi jitsi,
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<Janssen> janssen,
        List<LogSource> logs,
        Backup backup,
        List<Host> hosts) {

    public DeploymentDescription {
        janssen = janssen == null ? List.of() : List.copyOf(janssen);
        logs = logs == null ? List.of() : List.copyOf(logs);
        hosts = hosts == null ? List.of() : List.copyOf(hosts);
    }

    public Jitsi requireJitsi() {
        return Optional.ofNullable(jitsi).orElseThrow(() -> new InvalidDeploymentException("jitsi", "is required by this service"));
    }

    /** The Janssen servers (one map in the file, or a list of named ones); at least one. */
    public List<Janssen> requireJanssen() {
        return Optional.of(janssen).filter(j -> !j.isEmpty())
                .orElseThrow(() -> new InvalidDeploymentException("janssen", "is required by this service"));
    }

    public Backup requireBackup() {
        return Optional.ofNullable(backup).orElseThrow(() -> new InvalidDeploymentException("backup", "is required by this service"));
    }

    /**
     * The Jitsi components; several JVBs and jicofos (shards) are allowed.
     *
     * @param websocketPath path of prosody's XMPP WebSocket (mod_websocket, e.g. {@code /xmpp-websocket}) under each
     *                      prosody target's url, when the deployment's clients use WebSocket: each prosody target
     *                      then also gets a WebSocket stream check; none when absent
     */
    public record Jitsi(String xmppDomain, List<Target> prosody, List<Target> jicofo, List<Target> jvb, List<Target> web,
                        String websocketPath) {
        public Jitsi {
            prosody = prosody == null ? List.of() : List.copyOf(prosody);
            jicofo = jicofo == null ? List.of() : List.copyOf(jicofo);
            jvb = jvb == null ? List.of() : List.copyOf(jvb);
            web = web == null ? List.of() : List.copyOf(web);
        }

        public Jitsi(String xmppDomain, List<Target> prosody, List<Target> jicofo, List<Target> jvb, List<Target> web) {
            this(xmppDomain, prosody, jicofo, jvb, web, null);
        }
    }

    /**
     * One probed endpoint.
     *
     * @param url            base URL of the component (prosody: the HTTP root serving /http-bind; jicofo and
     *                       jvb: the private REST root serving /about/health; web: the site)
     * @param healthPath     path under url probed for health (default per component)
     * @param interval       probe interval, e.g. 60s (default 60s)
     * @param timeout        probe timeout, e.g. 5s (default 5s)
     * @param expectedStatus HTTP status that counts as healthy (default 200)
     * @param metricsInterval how often the metrics-service scrapes the target's statistics (default 15s)
     * @param qualityInterval how often the metrics-service reads a JVB's per-conference quality (default 5s)
     */
    public record Target(String name, String url, String shard, String healthPath, String interval, String timeout,
                         Integer retries, Integer expectedStatus, String metricsInterval, String qualityInterval) {
        public Target(String name, String url, String shard, String healthPath, String interval, String timeout,
                      Integer retries, Integer expectedStatus) {
            this(name, url, shard, healthPath, interval, timeout, retries, expectedStatus, null, null);
        }
    }

    /**
     * One Janssen server (OAuth2/OIDC, SCIM). The file's {@code janssen:} is one such map (target name
     * {@code janssen}) or a list of them, each with a {@code name}.
     *
     * @param clientSecretEnv    name of the environment variable (or secret file) holding the client secret
     * @param scimUrl            SCIM 2.0 base (default {issuer}/jans-scim/restv1/v2)
     * @param name               target name in check keys (default {@code janssen}; required in a list)
     * @param allowedHosts       hosts ({@code host} or {@code host:port}) that discovery may point endpoints at
     *                           besides the issuer's own origin
     * @param roomTokenSecretEnv name of the variable holding jitsi-meet's {@code app_secret}, to verify HS-signed
     *                           room tokens
     */
    public record Janssen(String issuer, String clientId, String clientSecretEnv, String audience, String scimUrl,
                          String healthCheckUrl, String roomTokenEnv, Boolean scimRoundTrip, String name,
                          List<String> allowedHosts, String roomTokenSecretEnv, String interval, String timeout) {
        public static final String DEFAULT_NAME = "janssen";

        public Janssen {
            allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
        }

        /** The target name checks are keyed by. */
        public String targetName() {
            return name == null || name.isBlank() ? DEFAULT_NAME : name;
        }
    }

    /**
     * A remote host whose resources are read from a node_exporter-style {@code /metrics} endpoint.
     *
     * @param url the full URL of the metrics endpoint, e.g. http://jvb-0:9100/metrics
     */
    public record Host(String name, String url, String interval) {
    }

    /**
     * A log file and the format its lines are in.
     *
     * @param path     the file, or a glob (with *, ?, [...] or {a,b}) matching the live files only
     * @param timeZone IANA zone of the times the lines carry without an offset (JVB, jicofo, prosody, nginx
     *                 error log); default the service's {@code jitsiops.logs.default-time-zone}, else the host's
     * @param cri      whether lines are wrapped in the Kubernetes CRI log format ({@code <time> stdout F <line>});
     *                 default: when the path is under /var/log/pods
     */
    public record LogSource(String component, String path, LogFormat format, String timeZone, Boolean cri) {
        public LogSource(String component, String path, LogFormat format) {
            this(component, path, format, null, null);
        }
    }

    public enum LogFormat {
        prosody, jicofo, jvb, nginx_access, nginx_error
    }

    /**
     * What to back up, when, and where. The components are named as in the design notes:
     * {@code configurations} (the configuration folders), {@code certificates} (the certificate folders) and
     * {@code databases} (the PostgreSQL databases).
     *
     * @param configurations folders with Jitsi, prosody and nginx configuration
     * @param certificates   folders with TLS certificates
     * @param schedules      when backups run and how many of each are kept (default: the design notes' daily 02:00
     *                       keep 7, weekly Sunday 03:00 keep 4, monthly day 1 04:00 keep 3)
     * @param timeZone       the time zone the schedules' times are in (default UTC), e.g. Europe/Berlin
     * @param encryption     the encryption key (a secret named here, never the key itself)
     */
    public record Backup(String localDir, List<String> configurations, List<String> certificates,
                         Databases databases, S3 s3, List<BackupSchedule> schedules, String timeZone,
                         BackupEncryption encryption) {
        /** The component names a schedule may list. */
        public static final List<String> COMPONENTS = List.of("configurations", "certificates", "databases");
        /** The design notes' schedules, used when the file names none. */
        public static final List<BackupSchedule> DEFAULT_SCHEDULES = List.of(
                new BackupSchedule("daily", "02:00", null, 7, null),
                new BackupSchedule("weekly", "03:00", "Sunday", 4, null),
                new BackupSchedule("monthly", "04:00", "1", 3, null));

        public Backup {
            configurations = configurations == null ? List.of() : List.copyOf(configurations);
            certificates = certificates == null ? List.of() : List.copyOf(certificates);
            schedules = schedules == null || schedules.isEmpty() ? DEFAULT_SCHEDULES : List.copyOf(schedules);
            timeZone = timeZone == null || timeZone.isBlank() ? "UTC" : timeZone;
        }

        public Backup(String localDir, List<String> configurations, List<String> certificates, Databases databases, S3 s3) {
            this(localDir, configurations, certificates, databases, s3, null, null, null);
        }
    }

    /**
     * A backup schedule: at {@code time} every day, on one weekday ({@code day: Sunday}) or on one day of the
     * month ({@code day: "1"}), in the backup section's time zone.
     *
     * @param name       daily, weekly, monthly or any other name (letters, digits, dashes)
     * @param time       HH:mm, 24-hour
     * @param day        absent: every day; a weekday name: weekly; 1..28: monthly on that day
     * @param retention  how many backups of this schedule are kept (grandfather-father-son)
     * @param components which components it backs up (default all)
     */
    public record BackupSchedule(String name, String time, String day, Integer retention, List<String> components) {
        public BackupSchedule {
            components = components == null || components.isEmpty() ? Backup.COMPONENTS : List.copyOf(components);
        }
    }

    /**
     * The AES-256 key backups are encrypted with: 32 bytes, base64, in an environment variable or a file (e.g. a
     * mounted Kubernetes secret). Never the key itself in this file. Earlier keys stay readable for restores.
     *
     * @param keyEnv           name of the variable holding the key
     * @param keyFile          path of a file holding the key (instead of keyEnv)
     * @param previousKeyEnvs  variables holding earlier keys (after a rotation)
     * @param previousKeyFiles files holding earlier keys
     */
    public record BackupEncryption(String keyEnv, String keyFile, List<String> previousKeyEnvs,
                                   List<String> previousKeyFiles) {
        public BackupEncryption {
            previousKeyEnvs = previousKeyEnvs == null ? List.of() : List.copyOf(previousKeyEnvs);
            previousKeyFiles = previousKeyFiles == null ? List.of() : List.copyOf(previousKeyFiles);
        }
    }

    /** The PostgreSQL server holding the Jitsi-side databases to back up. */
    public record Databases(String host, Integer port, String user, String passwordEnv, List<String> names) {
        public Databases {
            names = names == null ? List.of() : List.copyOf(names);
        }
    }

    /** S3-compatible remote storage; credentials come from the named environment variables. */
    public record S3(String endpoint, String region, String bucket, String prefix, String accessKeyEnv,
                     String secretKeyEnv) {
    }
}
