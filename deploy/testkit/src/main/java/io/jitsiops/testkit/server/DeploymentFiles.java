package io.jitsiops.testkit.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the deployment description for a Jitsi deployment played by the simulator: the file the local
 * stack and the tests give the services. A user watching a real deployment writes their own (see README).
 */
public final class DeploymentFiles {
    /** The S3 bucket the simulator's deployment description sends backups to. */
    public static final String BACKUP_BUCKET = "jitsi-backups";
    /** The Jitsi databases the simulator's deployment description backs up (jicofo's and prosody's, as in the seed). */
    public static final java.util.List<String> JITSI_DATABASES = java.util.List.of("jicofo", "prosody");

    /** The client secret the simulator's Janssen accepts (a local stand-in, not a secret). */
    public static final String SIMULATOR_CLIENT_SECRET = "jitsi-ops-local-secret";
    public static final String CLIENT_SECRET_ENV = "JITSIOPS_JANSSEN_CLIENT_SECRET";

    private DeploymentFiles() {
    }

    /**
     * @param simulatorUrl the simulator's base URL
     * @param simulatorLogs the simulator's log folder
     * @param stateDir      where backups and the sample configuration to back up live
     * @param postgresPort  the PostgreSQL holding the Jitsi-side databases to back up
     * @param s3Endpoint    the S3-compatible server for remote backups, or null for none
     */
    public static Path writeForSimulator(Path file, String simulatorUrl, Path simulatorLogs, Path stateDir,
                                         int postgresPort, String s3Endpoint) throws IOException {
        return writeForSimulator(file, simulatorUrl, java.util.Map.of(), simulatorLogs, stateDir, postgresPort, s3Endpoint);
    }

    /**
     * As above, with some bridges described at their own port (the simulator's {@code jitsisim.own-port-base}
     * listeners) instead of under the simulator's {@code /jvb/<name>} paths: a REFUSED fault then really refuses
     * the connections the services make to that bridge, as a crashed JVB does.
     *
     * @param bridgeUrls bridge name to its own base URL, e.g. {@code jvb-1 -> http://127.0.0.1:28081}
     */
    public static Path writeForSimulator(Path file, String simulatorUrl, java.util.Map<String, String> bridgeUrls,
                                         Path simulatorLogs, Path stateDir, int postgresPort, String s3Endpoint)
            throws IOException {
        return writeForSimulator(file, simulatorUrl, bridgeUrls, simulatorLogs, stateDir, postgresPort, s3Endpoint, List.of());
    }

    /** A daily backup schedule of the description: {@code time} is HH:MM in UTC, {@code retention} backups kept. */
    public record Schedule(String name, String time, int retention) {
    }

    /** As above, with these backup schedules (none: backup-service's defaults). */
    public static Path writeForSimulator(Path file, String simulatorUrl, java.util.Map<String, String> bridgeUrls,
                                         Path simulatorLogs, Path stateDir, int postgresPort, String s3Endpoint,
                                         List<Schedule> schedules) throws IOException {
        Path etc = stateDir.resolve("sample-etc");
        for (String sub : new String[] { "jitsi", "prosody", "nginx", "letsencrypt" }) {
            Files.createDirectories(etc.resolve(sub));
        }
        writeIfMissing(etc.resolve("jitsi/jicofo.conf"), "jicofo {\n  xmpp { client { client-proxy = \"focus.meet.jitsi\" } }\n}\n");
        writeIfMissing(etc.resolve("jitsi/jvb.conf"), "videobridge {\n  http-servers { private { port = 8080 } }\n}\n");
        writeIfMissing(etc.resolve("prosody/prosody.cfg.lua"), "VirtualHost \"meet.jitsi\"\n    authentication = \"token\"\n");
        // A site that `nginx -t` accepts as it stands (a "listen … ssl" without its certificate lines would fail the
        // backup's verification, as it would fail nginx itself).
        writeIfMissing(etc.resolve("nginx/meet.conf"), "server {\n    listen 80;\n    server_name meet.jitsi;\n    root /usr/share/jitsi-meet;\n}\n");
        writeIfMissing(etc.resolve("letsencrypt/README"), "certificates live here\n");
        StringBuilder y = new StringBuilder();
        y.append("# Written by the jitsi-ops local stack: a Jitsi deployment played by the simulator.\n");
        y.append("name: local-simulator\n");
        y.append("jitsi:\n");
        y.append("  xmppDomain: meet.jitsi\n");
        y.append("  prosody:\n");
        y.append("    - name: prosody\n      url: ").append(simulatorUrl).append("/prosody\n");
        y.append("  jicofo:\n");
        y.append("    - name: jicofo\n      url: ").append(simulatorUrl).append("/jicofo\n      shard: shard-1\n");
        y.append("  jvb:\n");
        for (String bridge : new String[] { "jvb-1", "jvb-2" }) {
            String url = bridgeUrls.getOrDefault(bridge, simulatorUrl + "/jvb/" + bridge);
            y.append("    - name: ").append(bridge).append("\n      url: ").append(url).append("\n      shard: shard-1\n");
        }
        y.append("  web:\n");
        y.append("    - name: web\n      url: ").append(simulatorUrl).append("/web\n      healthPath: /about/health\n");
        y.append("janssen:\n");
        y.append("  issuer: ").append(simulatorUrl).append("\n"); // Janssen's issuer is the bare host
        y.append("  clientId: jitsi-ops\n");
        y.append("  clientSecretEnv: ").append(CLIENT_SECRET_ENV).append("\n");
        y.append("  audience: jitsi-ops\n");
        y.append("  scimRoundTrip: true\n"); // the simulator's SCIM: a test user costs nothing there
        y.append("hosts:\n");
        y.append("  - name: jvb-host\n    url: ").append(simulatorUrl).append("/node/jvb-host/metrics\n");
        y.append("logs:\n");
        y.append(log("prosody", simulatorLogs.resolve("prosody/prosody.log"), "prosody"));
        y.append(log("jicofo", simulatorLogs.resolve("jitsi/jicofo.log"), "jicofo"));
        y.append(log("jvb", simulatorLogs.resolve("jitsi/jvb.log"), "jvb"));
        y.append(log("nginx", simulatorLogs.resolve("nginx/access.log"), "nginx_access"));
        y.append("backup:\n");
        y.append("  localDir: ").append(stateDir.resolve("backups")).append("\n");
        y.append("  configurations:\n");
        for (String sub : new String[] { "jitsi", "prosody", "nginx" }) {
            y.append("    - ").append(etc.resolve(sub)).append("\n");
        }
        y.append("  certificates:\n    - ").append(etc.resolve("letsencrypt")).append("\n");
        y.append("  databases:\n    host: 127.0.0.1\n    port: ").append(postgresPort)
                .append("\n    user: postgres\n    passwordEnv: JITSIOPS_DB_PASSWORD\n    names: [")
                .append(String.join(", ", JITSI_DATABASES)).append("]\n");
        // Backups are encrypted (AES-256) with a key from a secret: here a file made once, readable by its owner only.
        Path key = stateDir.resolve("backup-encryption.key");
        if (!Files.exists(key)) {
            byte[] raw = new byte[32];
            new java.security.SecureRandom().nextBytes(raw);
            Files.writeString(key, java.util.Base64.getEncoder().encodeToString(raw) + "\n");
            Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        }
        if (!schedules.isEmpty()) {
            y.append("  schedules:\n");
            for (Schedule sc : schedules) {
                y.append("    - name: ").append(sc.name()).append("\n      time: \"").append(sc.time())
                        .append("\"\n      retention: ").append(sc.retention()).append("\n");
            }
        }
        y.append("  timeZone: UTC\n");
        y.append("  encryption:\n    keyFile: ").append(key).append("\n");
        if (s3Endpoint != null) {
            y.append("  s3:\n    endpoint: ").append(s3Endpoint).append("\n    region: us-east-1\n    bucket: ").append(BACKUP_BUCKET).append("\n")
                    .append("    prefix: local/\n    accessKeyEnv: JITSIOPS_S3_ACCESS_KEY\n    secretKeyEnv: JITSIOPS_S3_SECRET_KEY\n");
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, y.toString());
        return file;
    }

    /** Writes one secret as a file named after its variable (owner-only), the way a Kubernetes secret volume does. */
    public static Path writeSecret(Path dir, String name, String value) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(name);
        Files.writeString(file, value + "\n");
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private static String log(String component, Path path, String format) {
        return "  - component: " + component + "\n    path: " + path + "\n    format: " + format + "\n";
    }

    private static void writeIfMissing(Path file, String content) throws IOException {
        if (!Files.exists(file)) {
            Files.writeString(file, content);
        }
    }
}
