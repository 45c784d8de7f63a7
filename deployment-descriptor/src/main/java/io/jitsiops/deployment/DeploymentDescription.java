package io.jitsiops.deployment;

import java.util.List;
import java.util.Optional;

/**
 * The watched Jitsi deployment, as one YAML file describes it. Every section is optional in the file;
 * a service asks for the sections it needs with the {@code require...} methods, which fail naming the
 * missing key. See the README's configuration reference for every key.
 */
public record DeploymentDescription(
        String name,
        Jitsi jitsi,
        Janssen janssen,
        List<LogSource> logs,
        Backup backup,
        List<Host> hosts) {

    public DeploymentDescription {
        logs = logs == null ? List.of() : List.copyOf(logs);
        hosts = hosts == null ? List.of() : List.copyOf(hosts);
    }

    public Jitsi requireJitsi() {
        return Optional.ofNullable(jitsi).orElseThrow(() -> new InvalidDeploymentException("jitsi", "is required by this service"));
    }

    public Janssen requireJanssen() {
        return Optional.ofNullable(janssen).orElseThrow(() -> new InvalidDeploymentException("janssen", "is required by this service"));
    }

    public Backup requireBackup() {
        return Optional.ofNullable(backup).orElseThrow(() -> new InvalidDeploymentException("backup", "is required by this service"));
    }

    /** The Jitsi components; several JVBs and jicofos (shards) are allowed. */
    public record Jitsi(String xmppDomain, List<Target> prosody, List<Target> jicofo, List<Target> jvb, List<Target> web) {
        public Jitsi {
            prosody = prosody == null ? List.of() : List.copyOf(prosody);
            jicofo = jicofo == null ? List.of() : List.copyOf(jicofo);
            jvb = jvb == null ? List.of() : List.copyOf(jvb);
            web = web == null ? List.of() : List.copyOf(web);
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
     */
    public record Target(String name, String url, String shard, String healthPath, String interval, String timeout,
                         Integer retries, Integer expectedStatus) {
    }

    /**
     * Janssen (OAuth2/OIDC, SCIM).
     *
     * @param clientSecretEnv name of the environment variable holding the client secret (never the secret)
     * @param scimUrl         SCIM 2.0 base (default {issuer}/jans-scim/restv1/v2)
     */
    public record Janssen(String issuer, String clientId, String clientSecretEnv, String audience, String scimUrl,
                          String healthCheckUrl, String roomTokenEnv, Boolean scimRoundTrip) {
    }

    /**
     * A remote host whose resources are read from a node_exporter-style {@code /metrics} endpoint.
     *
     * @param url the full URL of the metrics endpoint, e.g. http://jvb-0:9100/metrics
     */
    public record Host(String name, String url, String interval) {
    }

    /** A log file and the format its lines are in. */
    public record LogSource(String component, String path, LogFormat format) {
    }

    public enum LogFormat {
        prosody, jicofo, jvb, nginx_access, nginx_error
    }

    /**
     * What to back up and where.
     *
     * @param configurations folders with Jitsi, prosody and nginx configuration
     * @param certificates   folders with TLS certificates
     */
    public record Backup(String localDir, List<String> configurations, List<String> certificates,
                         Databases databases, S3 s3) {
        public Backup {
            configurations = configurations == null ? List.of() : List.copyOf(configurations);
            certificates = certificates == null ? List.of() : List.copyOf(certificates);
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
