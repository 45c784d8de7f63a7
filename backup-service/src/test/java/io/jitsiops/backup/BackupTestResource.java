package io.jitsiops.backup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.jitsiops.testkit.JitsiOpsTestResource;
import io.jitsiops.testkit.LocalServers;
import io.jitsiops.testkit.S3TestResource;
import io.jitsiops.testkit.server.DebianPackages;
import io.jitsiops.testkit.server.PostgresServer;
import io.jitsiops.testkit.server.S3ProxyServer;

/**
 * Everything a backup test needs, real: Kafka, PostgreSQL (holding the service's schema and the Jitsi-side
 * databases {@code jicofo} and {@code prosody}, with rows), S3Proxy with the bucket, sample {@code /etc} trees
 * (HOCON, prosody Lua, an nginx site, a Let's Encrypt layout with a real CA-signed certificate and its key, linked
 * from live/ into archive/ as certbot does), the Debian tools the verification runs (lua5.4, nginx, openssl), and a
 * deployment description whose backup section points at all of it, with the encryption key in a variable.
 */
public class BackupTestResource extends JitsiOpsTestResource {
    public static final String KEY_ENV = "JITSIOPS_BACKUP_KEY";
    public static final String KEY = Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(32));
    private static Path root;

    public static synchronized Path root() {
        try {
            if (root == null) {
                root = Files.createTempDirectory("jitsi-ops-backup-test-");
                Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
                Runtime.getRuntime().addShutdownHook(new Thread(() -> run(List.of("rm", "-rf", root.toString()))));
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path etc() {
        return root().resolve("etc");
    }

    public static Path backups() {
        return root().resolve("var-backups");
    }

    @Override
    public Map<String, String> start() {
        DebianPackages.require("lua5.4", "/usr/bin/luac5.4");
        DebianPackages.require("nginx", "/usr/sbin/nginx");
        DebianPackages.require("openssl", "/usr/bin/openssl");
        S3ProxyServer s3 = LocalServers.s3();
        Map<String, String> config = new LinkedHashMap<>(super.start());
        config.putAll(new S3TestResource().start());
        try {
            sampleTrees();
            databases(LocalServers.postgres());
            Path file = root().resolve("deployment.yaml");
            Files.writeString(file, """
                    name: backup-test
                    backup:
                      localDir: %s
                      timeZone: Europe/Berlin
                      schedules:
                        - {name: daily, time: "02:00", retention: 7}
                        - {name: weekly, time: "03:00", day: Sunday, retention: 4}
                        - {name: monthly, time: "04:00", day: "1", retention: 3}
                        - {name: tiny, time: "05:00", retention: 2, components: [configurations]}
                      configurations: [%s, %s, %s]
                      certificates: [%s]
                      databases:
                        host: 127.0.0.1
                        port: %d
                        user: postgres
                        names: [jicofo, prosody]
                      s3:
                        endpoint: %s
                        region: us-east-1
                        bucket: %s
                        prefix: test/
                        accessKeyEnv: JITSIOPS_S3_ACCESS_KEY
                        secretKeyEnv: JITSIOPS_S3_SECRET_KEY
                      encryption:
                        keyEnv: %s
                    """.formatted(backups(), etc().resolve("jitsi"), etc().resolve("prosody"), etc().resolve("nginx"),
                    etc().resolve("letsencrypt"), LocalServers.postgres().port(), s3.url(), S3TestResource.BUCKET, KEY_ENV));
            config.put("jitsiops.deployment.file", file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // secrets as the services read them: files in the secrets folder (Kubernetes secret-volume style)
        try {
            Path secrets = LocalServers.secretsDir();
            io.jitsiops.testkit.server.DeploymentFiles.writeSecret(secrets, KEY_ENV, KEY);
            io.jitsiops.testkit.server.DeploymentFiles.writeSecret(secrets, "JITSIOPS_S3_ACCESS_KEY", s3.accessKey());
            io.jitsiops.testkit.server.DeploymentFiles.writeSecret(secrets, "JITSIOPS_S3_SECRET_KEY", s3.secretKey());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        config.put("jitsiops.backup.schedule-enabled", "false");
        config.put("jitsiops.backup.pg-bin", PostgresServer.findBinaries().toString());
        // a small segment size exercises many AES-GCM segments per object
        config.put("jitsiops.backup.encryption-segment-bytes", "65536");
        config.put("jitsiops.backup.multipart-threshold", "6291456");
        config.put("jitsiops.backup.multipart-part-bytes", "5242880");
        // A real process standing for prosody, controlled by commands: healthy while running with a config free of
        // the marker BROKEN (what the rollback test restores on purpose).
        Path pid = root().resolve("prosody.pid");
        Path cfg = etc().resolve("prosody/conf.d/meet.jitsi.cfg.lua");
        config.put("jitsiops.backup.restore.services.prosody.components", "configurations,databases");
        config.put("jitsiops.backup.restore.services.prosody.start", "nohup sleep 900 >/dev/null 2>&1 & echo $! > " + pid);
        config.put("jitsiops.backup.restore.services.prosody.stop", "if [ -f " + pid + " ]; then kill $(cat " + pid + ") || true; rm -f " + pid + "; fi");
        config.put("jitsiops.backup.restore.services.prosody.check", "kill -0 $(cat " + pid + ") && ! grep -q BROKEN " + cfg);
        config.put("jitsiops.backup.restore.start-timeout", "3s");
        // health-service as the restore asks it: a real HTTP endpoint in its format, about the process above
        config.put("quarkus.rest-client.health-service.url", HealthServiceStandIn.start());
        config.put("jitsiops.backup.maintenance.cron", "off");
        config.put("jitsiops.backup.maintenance.reindex-min-bytes", "65536");
        config.put("jitsiops.backup.maintenance.cleanup.prosody", "DELETE FROM prosody WHERE store = 'expired-session'");
        return config;
    }

    static void sampleTrees() throws IOException {
        Path etc = etc();
        if (Files.exists(etc.resolve("letsencrypt/live"))) {
            return;
        }
        Files.createDirectories(etc.resolve("jitsi"));
        Files.createDirectories(etc.resolve("prosody/conf.d"));
        Files.createDirectories(etc.resolve("nginx/sites-available"));
        Files.createDirectories(etc.resolve("nginx/sites-enabled"));
        Files.writeString(etc.resolve("jitsi/jicofo.conf"), "jicofo {\n  xmpp {\n    client {\n      client-proxy = \"focus.meet.jitsi\"\n    }\n  }\n}\n");
        Files.writeString(etc.resolve("jitsi/jvb.conf"), "videobridge {\n  http-servers {\n    private {\n      port = 8080\n    }\n  }\n}\n");
        Files.writeString(etc.resolve("jitsi/sip-communicator.json"), "{\"org.jitsi.videobridge.ENABLE_STATISTICS\": true}\n");
        Files.writeString(etc.resolve("prosody/prosody.cfg.lua"), "admins = { \"focus@auth.meet.jitsi\" }\nplugin_paths = { \"/usr/share/jitsi-meet/prosody-plugins/\" }\nInclude \"conf.d/*.cfg.lua\"\n");
        Files.writeString(etc.resolve("prosody/conf.d/meet.jitsi.cfg.lua"), "VirtualHost \"meet.jitsi\"\n    authentication = \"token\"\n    app_id = \"jitsi-ops\"\n    modules_enabled = { \"bosh\"; \"websocket\"; }\n");
        Files.setPosixFilePermissions(etc.resolve("prosody/conf.d/meet.jitsi.cfg.lua"), PosixFilePermissions.fromString("rw-r-----"));
        Files.writeString(etc.resolve("nginx/sites-available/meet.jitsi.conf"), "server {\n    listen 127.0.0.1:18443;\n    server_name meet.jitsi;\n    location / {\n        root /usr/share/jitsi-meet;\n    }\n}\n");
        Files.createSymbolicLink(etc.resolve("nginx/sites-enabled/meet.jitsi.conf"), Path.of("../sites-available/meet.jitsi.conf"));
        Files.setLastModifiedTime(etc.resolve("jitsi/jvb.conf"), FileTime.from(Instant.parse("2025-01-02T03:04:05Z")));
        // Let's Encrypt layout: archive/ holds numbered files, live/ links to the current ones.
        Path archive = Files.createDirectories(etc.resolve("letsencrypt/archive/meet.jitsi"));
        Path live = Files.createDirectories(etc.resolve("letsencrypt/live/meet.jitsi"));
        Path work = Files.createTempDirectory(root(), "ca");
        openssl(work, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "30",
                "-subj", "/CN=jitsi-ops test root CA");
        openssl(work, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", archive.resolve("privkey1.pem").toString(),
                "-out", "leaf.csr", "-subj", "/CN=meet.jitsi");
        openssl(work, "x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", archive.resolve("cert1.pem").toString(), "-days", "30");
        Files.copy(work.resolve("ca.pem"), archive.resolve("chain1.pem"));
        Files.writeString(archive.resolve("fullchain1.pem"), Files.readString(archive.resolve("cert1.pem")) + Files.readString(work.resolve("ca.pem")));
        Files.setPosixFilePermissions(archive.resolve("privkey1.pem"), PosixFilePermissions.fromString("rw-------"));
        for (String f : new String[] { "cert", "chain", "fullchain", "privkey" }) {
            Files.createSymbolicLink(live.resolve(f + ".pem"), Path.of("../../archive/meet.jitsi/" + f + "1.pem"));
        }
        run(List.of("rm", "-rf", work.toString()));
    }

    static void databases(PostgresServer pg) throws IOException {
        for (String db : new String[] { "jicofo", "prosody" }) {
            if (!pg.psql("postgres", "SELECT 1 FROM pg_database WHERE datname = '" + db + "'").trim().equals("1")) {
                pg.psql("postgres", "CREATE DATABASE " + db);
            }
        }
        // prosody's own SQL storage table (mod_storage_sql), with roster-like rows
        pg.psql("prosody", """
                CREATE TABLE IF NOT EXISTS prosody ("host" TEXT, "user" TEXT, "store" TEXT, "key" TEXT, "type" TEXT, "value" TEXT);
                CREATE INDEX IF NOT EXISTS prosody_index ON prosody ("host", "user", "store", "key");
                TRUNCATE prosody;
                INSERT INTO prosody SELECT 'meet.jitsi', 'user' || g, 'accounts', 'password', 'string', md5(g::text)
                  FROM generate_series(1, 500) g;""");
        pg.psql("jicofo", """
                CREATE TABLE IF NOT EXISTS conference (id BIGSERIAL PRIMARY KEY, room TEXT NOT NULL, started_at TIMESTAMPTZ NOT NULL);
                CREATE TABLE IF NOT EXISTS participant (conference_id BIGINT REFERENCES conference(id), endpoint TEXT);
                TRUNCATE participant, conference;
                INSERT INTO conference (room, started_at) SELECT 'room-' || g, now() - g * interval '1 minute' FROM generate_series(1, 200) g;
                INSERT INTO participant SELECT id, 'ep-' || id || '-' || p FROM conference, generate_series(1, 3) p;""");
    }

    private static void openssl(Path dir, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("openssl " + String.join(" ", args) + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void run(List<String> cmd) {
        try {
            new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                    .waitFor(60, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            // best effort
        }
    }

    static Duration timeout() {
        return Duration.ofSeconds(120);
    }
}
