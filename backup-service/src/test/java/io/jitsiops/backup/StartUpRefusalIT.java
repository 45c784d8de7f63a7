package io.jitsiops.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.jitsiops.testkit.LocalServers;
import io.jitsiops.testkit.server.Ports;
import io.jitsiops.testkit.server.PostgresServer;
import io.jitsiops.testkit.server.ProjectLayout;

/**
 * The packaged backup-service (its fast-jar, as it runs in production) started with a bad backup setting refuses to
 * start, exits non-zero and names the key — one bad setting per start: a schedule of the deployment description, its
 * encryption key file, and a restore service of the configuration. Runs after {@code package} (failsafe), as a
 * process of its own: a start that fails inside the test JVM ({@code @QuarkusMainTest}) took the surefire fork down
 * with it here. Real PostgreSQL from the test kit (Flyway migrates before the backup plan is read).
 */
class StartUpRefusalIT {
    private static final String KEY = Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(32));

    @Test
    void aBadScheduleABadKeyFileAndABadRestoreServiceEachStopTheStartNamingTheKey() throws Exception {
        Path dir = Files.createTempDirectory("jitsi-ops-backup-refusal-");
        Files.createDirectories(dir.resolve("etc"));
        Files.writeString(dir.resolve("backup.key"), KEY + "\n");
        PostgresServer pg = LocalServers.postgres();
        List<Path> runs = List.of(
                run(dir, "schedule", pg, description(dir, "25:00", dir.resolve("backup.key")), Map.of()),
                run(dir, "key-file", pg, description(dir, "02:00", dir.resolve("no-such.key")), Map.of()),
                run(dir, "restore-service", pg, description(dir, "02:00", dir.resolve("backup.key")),
                        Map.of("jitsiops.backup.restore.services.prosody.components", "configurations,logs",
                                "jitsiops.backup.restore.services.prosody.stop", "true",
                                "jitsiops.backup.restore.services.prosody.start", "true",
                                "jitsiops.backup.restore.services.prosody.check", "true")));
        List<Process> started = new ArrayList<>();
        for (Path run : runs) { // the three side by side: each spends most of its time starting a JVM
            started.add(start(run));
        }
        List<String> logs = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            Process p = started.get(i);
            boolean exited = p.waitFor(90, TimeUnit.SECONDS);
            if (!exited) {
                p.destroyForcibly().waitFor();
            }
            String log = Files.readString(runs.get(i).resolve("backup-service.log"));
            assertThat(exited).as("the service should have refused to start:\n%s", log).isTrue();
            assertThat(p.exitValue()).as(log).isNotZero();
            logs.add(log);
        }
        assertThat(logs.get(0)).contains("backup.schedules[0].time: must be HH:mm (24-hour), got '25:00'");
        assertThat(logs.get(1)).contains("backup.encryption.keyFile: cannot read the key file '" + dir.resolve("no-such.key"));
        assertThat(logs.get(2)).contains("jitsiops.backup.restore.services.prosody.components: 'logs' is not one of");
        assertThat(logs).noneMatch(l -> l.contains(KEY)).noneMatch(l -> l.contains("Listening on"));
        deleteTree(dir);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static String description(Path dir, String dailyTime, Path keyFile) {
        return """
                name: startup-refusal
                backup:
                  localDir: %s
                  schedules:
                    - {name: daily, time: "%s", retention: 7}
                  configurations: [%s]
                  encryption:
                    keyFile: %s
                """.formatted(dir.resolve("backups"), dailyTime, dir.resolve("etc"), keyFile);
    }

    /** A working folder with the deployment file and config/application.properties (read by Quarkus from there). */
    private static Path run(Path dir, String name, PostgresServer pg, String description, Map<String, String> extra)
            throws IOException {
        Path run = Files.createDirectories(dir.resolve(name).resolve("config"));
        Files.writeString(run.resolveSibling("deployment.yaml"), description);
        List<String> lines = new ArrayList<>(List.of(
                "quarkus.http.port=" + Ports.free(),
                "quarkus.http.host=127.0.0.1",
                "kafka.bootstrap.servers=127.0.0.1:" + Ports.free(), // nothing listens: the start stops before any send
                "quarkus.datasource.reactive.url=" + pg.reactiveUrl(),
                "quarkus.datasource.jdbc.url=" + pg.jdbcUrl(),
                "quarkus.datasource.username=" + PostgresServer.USER,
                "quarkus.oidc.auth-server-url=http://127.0.0.1:" + Ports.free() + "/janssen",
                "quarkus.oidc.connection-delay=0s", // nothing listens there either: no 10 s of retries before the start
                "jitsiops.deployment.file=" + run.resolveSibling("deployment.yaml"),
                "jitsiops.backup.schedule-enabled=false",
                "jitsiops.backup.maintenance.cron=off"));
        extra.forEach((k, v) -> lines.add(k + "=" + v));
        Files.writeString(run.resolve("application.properties"), String.join("\n", lines) + "\n");
        return run.getParent();
    }

    private static Process start(Path run) throws IOException {
        return new ProcessBuilder(List.of(ProjectLayout.javaBinary().toString(), "-Xmx192m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-jar", ProjectLayout.find().quarkusRunJar("backup-service").toString()))
                .directory(run.toFile()).redirectErrorStream(true)
                .redirectOutput(run.resolve("backup-service.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    }
}
