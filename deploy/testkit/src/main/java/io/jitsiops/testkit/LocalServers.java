package io.jitsiops.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import io.jitsiops.testkit.server.DeploymentFiles;
import io.jitsiops.testkit.server.KafkaServer;
import io.jitsiops.testkit.server.LocalServer;
import io.jitsiops.testkit.server.LocalStack;
import io.jitsiops.testkit.server.Ports;
import io.jitsiops.testkit.server.PostgresServer;
import io.jitsiops.testkit.server.ProsodyServer;
import io.jitsiops.testkit.server.ProjectLayout;
import io.jitsiops.testkit.server.QuarkusAppServer;
import io.jitsiops.testkit.server.S3ProxyServer;
import io.jitsiops.testkit.server.SmtpServer;

/**
 * The real servers of one test JVM: each started on first use on free loopback ports, in a private temporary
 * folder, and stopped (with the folder removed) when the JVM exits. No Docker.
 */
public final class LocalServers {
    private static final ProjectLayout LAYOUT = ProjectLayout.find();
    private static final List<LocalServer> STARTED = Collections.synchronizedList(new ArrayList<>());
    private static Path root;
    private static KafkaServer kafka;
    private static PostgresServer postgres;
    private static S3ProxyServer s3;
    private static SmtpServer smtp;
    private static QuarkusAppServer simulator;
    private static Path deploymentFile;
    private static TestServers servers;
    private static ProsodyServer prosody;

    private LocalServers() {
    }

    /**
     * Kafka: the one {@code JITSIOPS_TEST_KAFKA_BOOTSTRAP} names, else a container (JITSIOPS_TEST_SERVERS=testcontainers
     * and a Docker engine answers), else a local process (the default).
     */
    public static synchronized KafkaServer kafka() {
        if (kafka == null) {
            TestServers servers = servers();
            if (servers.kafkaBootstrap().isPresent()) {
                kafka = started(KafkaServer.existing(servers.kafkaBootstrap().get(), TestServers.KAFKA, dir("kafka")));
            } else if (containers()) {
                kafka = started(KafkaServer.existing(ContainerServers.kafka(), "Testcontainers", dir("kafka")));
            } else {
                kafka = started(new KafkaServer(LAYOUT, dir("kafka"), Ports.free(), Ports.free()));
            }
        }
        return kafka;
    }

    /** PostgreSQL: {@code JITSIOPS_TEST_POSTGRES_URL}'s, else a container, else a private local cluster (the default). */
    public static synchronized PostgresServer postgres() {
        if (postgres == null) {
            TestServers servers = servers();
            if (servers.postgres().isPresent()) {
                postgres = started(existing(servers.postgres().get(), TestServers.POSTGRES));
            } else if (containers()) {
                postgres = started(existing(ContainerServers.postgres(), "Testcontainers"));
            } else {
                postgres = started(new PostgresServer(dir("postgres"), Ports.free(), "jitsiops", false));
            }
        }
        return postgres;
    }

    /** S3: {@code JITSIOPS_TEST_S3_ENDPOINT}'s, else a container, else a local S3Proxy (the default). */
    public static synchronized S3ProxyServer s3() {
        if (s3 == null) {
            TestServers servers = servers();
            if (servers.s3().isPresent()) {
                TestServers.S3 e = servers.s3().get();
                s3 = started(S3ProxyServer.existing(e.endpoint(), e.accessKey(), e.secretKey(), TestServers.S3_ENDPOINT,
                        dir("s3proxy")));
            } else if (containers()) {
                TestServers.S3 e = ContainerServers.s3(LocalStack.S3_ACCESS_KEY, LocalStack.S3_SECRET_KEY, S3TestResource.BUCKET);
                s3 = started(S3ProxyServer.existing(e.endpoint(), e.accessKey(), e.secretKey(), "Testcontainers",
                        dir("s3proxy")));
            } else {
                s3 = started(new S3ProxyServer(LAYOUT, dir("s3proxy"), Ports.free(), LocalStack.S3_ACCESS_KEY,
                        LocalStack.S3_SECRET_KEY));
            }
        }
        return s3;
    }

    /** SMTP (and IMAP to read it back): {@code JITSIOPS_TEST_SMTP}'s, else a container, else a local GreenMail. */
    public static synchronized SmtpServer smtp() {
        if (smtp == null) {
            TestServers servers = servers();
            if (servers.smtp().isPresent()) {
                smtp = started(existing(servers.smtp().get(), TestServers.SMTP));
            } else if (containers()) {
                smtp = started(existing(ContainerServers.smtp(), "Testcontainers"));
            } else {
                smtp = started(new SmtpServer(LAYOUT, dir("greenmail"), Ports.free(), Ports.free()));
            }
        }
        return smtp;
    }

    private static PostgresServer existing(TestServers.Postgres p, String variable) {
        return PostgresServer.existing(p.host(), p.port(), p.database(), p.user(), p.password(), variable, dir("postgres"));
    }

    private static SmtpServer existing(TestServers.Smtp s, String variable) {
        return SmtpServer.existing(s.host(), s.smtpPort(), s.imapHost(), s.imapPort(), variable, dir("greenmail"));
    }

    /** The JITSIOPS_TEST_* variables of this JVM, read once. */
    private static synchronized TestServers servers() {
        if (servers == null) {
            servers = TestServers.fromEnvironment();
            if (!servers.allLocal()) {
                System.out.println("[testkit] servers: " + servers.kafkaBootstrap().map(k -> "Kafka " + k + "; ").orElse("")
                        + servers.postgres().map(p -> "PostgreSQL " + p + "; ").orElse("")
                        + servers.s3().map(s -> "S3 " + s + "; ").orElse("")
                        + servers.smtp().map(m -> "SMTP " + m.host() + ":" + m.smtpPort() + "; ").orElse("")
                        + "others: " + servers.effectiveMode(System.getenv()));
            }
        }
        return servers;
    }

    /** True when the servers not named by a variable come from Testcontainers. */
    private static boolean containers() {
        if (servers().effectiveMode(System.getenv()) != TestServers.Mode.TESTCONTAINERS) {
            return false;
        }
        try {
            Class.forName("org.testcontainers.kafka.KafkaContainer");
            Class.forName("org.testcontainers.postgresql.PostgreSQLContainer");
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException(TestServers.SERVERS + "=testcontainers and a Docker engine answers, but Testcontainers"
                    + " is not on this module's test class path: add org.testcontainers:testcontainers-kafka and"
                    + " org.testcontainers:testcontainers-postgresql (test scope)", e);
        }
    }

    public static synchronized QuarkusAppServer simulator() {
        if (simulator == null) {
            simulator = startedOnFreePort(port -> new QuarkusAppServer(LAYOUT, "jitsi-sim", "deploy/jitsi-sim", dir("jitsi-sim"), port,
                    Map.of("JITSISIM_LOG_DIR", simulatorLogs().toString(),
                            "JITSISIM_BASE_URL", "http://127.0.0.1:" + port,
                            "JITSISIM_LOG_INTERVAL", "200ms",
                            // the bridges' /colibri/stats is off by default, as in JVB; the checks under test read it
                            "JITSISIM_REST_API_BRIDGES", "jvb-1,jvb-2")));
        }
        return simulator;
    }

    /**
     * Starts a server on a free port, and on another one if the port was taken before the server bound it:
     * {@link Ports#free()} closes the port it found. Twice in session 29's runs an outgoing connection's local port took
     * it in that gap ("Port … seems to be in use", the simulator exiting with 1); since session 30 {@link Ports#free()}
     * chooses below the ephemeral range, so what is left is a process binding a port of its own choosing.
     */
    private static <T extends LocalServer> T startedOnFreePort(java.util.function.IntFunction<T> onPort) {
        for (int attempt = 1; ; attempt++) {
            try {
                return started(onPort.apply(Ports.free()));
            } catch (IllegalStateException e) {
                if (attempt == 3 || e.getMessage() == null || !e.getMessage().contains("in use")) {
                    throw e;
                }
                System.err.println("test kit: the port was taken before the server bound it, starting again on another: "
                        + e.getMessage().lines().findFirst().orElse(""));
            }
        }
    }

    /** A real prosody (Debian's) with BOSH for the XMPP domain {@code meet.jitsi}. */
    public static synchronized ProsodyServer prosody() {
        if (prosody == null) {
            prosody = started(new ProsodyServer(dir("prosody"), Ports.free(), Ports.free(), "meet.jitsi"));
        }
        return prosody;
    }

    public static Path simulatorLogs() {
        return dir("jitsi-sim").resolve("logs");
    }

    /** A deployment description pointing at this JVM's simulator and PostgreSQL. */
    public static synchronized Path deploymentFile() {
        if (deploymentFile == null) {
            try {
                deploymentFile = DeploymentFiles.writeForSimulator(dir("state").resolve("deployment.yaml"),
                        simulator().url(), simulatorLogs(), dir("state"), postgres().port(),
                        s3 == null ? null : s3.url());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return deploymentFile;
    }

    /**
     * The secrets folder the services read ({@code jitsiops.secrets.dir}), Kubernetes secret-volume style: one
     * file per variable name. It holds the simulator's client secret; tests may add their own.
     */
    public static synchronized Path secretsDir() {
        Path dir = dir("secrets");
        try {
            DeploymentFiles.writeSecret(dir, DeploymentFiles.CLIENT_SECRET_ENV, DeploymentFiles.SIMULATOR_CLIENT_SECRET);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    private static <T extends LocalServer> T started(T server) {
        server.start();
        STARTED.add(server);
        return server;
    }

    private static synchronized Path dir(String name) {
        try {
            if (root == null) {
                // Under the system temp folder: the postgres user must be able to reach its cluster folder.
                root = Files.createTempDirectory("jitsi-ops-test-");
                Files.setPosixFilePermissions(root, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
                Runtime.getRuntime().addShutdownHook(new Thread(LocalServers::stopAll, "jitsi-ops-testkit-stop"));
            }
            Path dir = root.resolve(name);
            Files.createDirectories(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void stopAll() {
        List<LocalServer> servers = new ArrayList<>(STARTED);
        Collections.reverse(servers);
        servers.forEach(LocalServer::release);
        deleteQuietly(root);
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort: a temp folder left behind is harmless
        }
    }
}
