package io.jitsiops.alert;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.jitsiops.testkit.LocalServers;
import io.jitsiops.testkit.server.Ports;
import io.jitsiops.testkit.server.PostgresServer;
import io.jitsiops.testkit.server.ProjectLayout;

/**
 * The packaged alert-service (its fast-jar, as it runs in production) as a process of its own, in a working folder
 * holding its rules file and {@code config/application.properties}: the test kit's Kafka, PostgreSQL and simulator,
 * one webhook receiver {@code sink}, and a short consumer session so a killed replica's partitions move quickly.
 * For the failsafe tests that kill it or run several replicas; they run after {@code package}.
 */
final class PackagedAlertService {
    final Path dir;
    final int port;
    private Process process;

    private PackagedAlertService(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /**
     * A working folder for one replica: the rules, the sink's URL and any further properties; {@code database} names
     * a database of the test kit's PostgreSQL of its own (created if missing), null for the test kit's.
     */
    static PackagedAlertService prepare(String rulesYaml, int sinkPort, boolean sendResolved, String database,
                                        String... properties) throws IOException {
        Path dir = Files.createTempDirectory("alert-service-");
        Files.createDirectories(dir.resolve("config"));
        Files.writeString(dir.resolve("rules.yaml"), rulesYaml);
        PostgresServer pg = LocalServers.postgres();
        String db = database == null ? pg.database() : database;
        if (database != null) {
            pg.createDatabaseIfMissing(database);
        }
        int port = Ports.free();
        List<String> lines = new ArrayList<>(List.of(
                "quarkus.http.port=" + port,
                "quarkus.http.host=127.0.0.1",
                "kafka.bootstrap.servers=" + LocalServers.kafka().bootstrapServers(),
                "quarkus.datasource.reactive.url=postgresql://" + pg.host() + ":" + pg.port() + "/" + db,
                "quarkus.datasource.jdbc.url=jdbc:postgresql://" + pg.host() + ":" + pg.port() + "/" + db,
                "quarkus.datasource.username=" + PostgresServer.USER,
                "quarkus.oidc.auth-server-url=" + LocalServers.simulator().url(),
                "jitsiops.alert.rules-file=" + dir.resolve("rules.yaml"),
                "jitsiops.deployment.file=" + LocalServers.deploymentFile(),
                "jitsiops.alert.receivers.sink.type=webhook",
                "jitsiops.alert.receivers.sink.url=http://127.0.0.1:" + sinkPort + "/hook",
                "jitsiops.alert.receivers.sink.send-resolved=" + sendResolved,
                "mp.messaging.incoming.events-in.session.timeout.ms=6000",
                "mp.messaging.incoming.events-in.heartbeat.interval.ms=1000"));
        lines.addAll(List.of(properties));
        // Quarkus reads config/application.properties in its working folder
        Files.writeString(dir.resolve("config").resolve("application.properties"), String.join("\n", lines) + "\n");
        return new PackagedAlertService(dir, port);
    }

    /** Starts the fast-jar and waits until it is ready. */
    PackagedAlertService start() throws IOException {
        Process p = new ProcessBuilder(List.of(ProjectLayout.javaBinary().toString(), "-Xmx256m", "-XX:+UseSerialGC", "-jar",
                ProjectLayout.find().quarkusRunJar("alert-service").toString()))
                .directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("alert-service.log").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        process = p;
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!p.isAlive()) {
                throw new IllegalStateException("alert-service exited: " + Files.readString(dir.resolve("alert-service.log")));
            }
            return get("/q/health/ready") != null;
        });
        return this;
    }

    /** SIGKILL: no shutdown hook, nothing flushed. */
    void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor();
        }
    }

    /** The body of a GET answered 200, or null. */
    String get(String path) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
            c.setConnectTimeout(1000);
            c.setReadTimeout(5000);
            if (c.getResponseCode() != 200) {
                return null;
            }
            try (var in = c.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The webhook receiver's endpoint in the test JVM: answers 200 at once and hands each body to {@code onBody}
     * (on one of its 4 threads).
     */
    static com.sun.net.httpserver.HttpServer sink(java.util.function.Consumer<String> onBody) throws IOException {
        System.setProperty("sun.net.httpserver.nodelay", "true"); // answers at once, no Nagle wait for a delayed ACK
        com.sun.net.httpserver.HttpServer sink = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 512);
        sink.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        sink.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, -1);
            ex.close();
            onBody.accept(body);
        });
        sink.start();
        return sink;
    }

    /** POSTs a JSON body with a bearer token; the status code, or -1 when the replica did not answer. */
    int post(String path, String json, String token) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
            c.setConnectTimeout(1000);
            c.setReadTimeout(5000);
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "application/json");
            c.setRequestProperty("Authorization", "Bearer " + token);
            try (var out = c.getOutputStream()) {
                out.write(json.getBytes(StandardCharsets.UTF_8));
            }
            int status = c.getResponseCode();
            try (var in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
                if (in != null) {
                    in.readAllBytes();
                }
            }
            return status;
        } catch (IOException e) {
            return -1;
        }
    }

    String log() throws IOException {
        return Files.readString(dir.resolve("alert-service.log"));
    }

    /** Whether Kafka has assigned this replica partitions (and it adopted their alerts): its log says so. */
    boolean assigned() throws IOException {
        return log().contains("assigned: adopted");
    }

    /**
     * Replicas of one test sharing a database of their own (and a consumer group, named by the test's properties):
     * {@link #close} kills every replica and drops the database, so a run leaves neither behind.
     */
    static final class ReplicaSet implements AutoCloseable {
        private final String database;
        private final List<PackagedAlertService> started = new CopyOnWriteArrayList<>();

        ReplicaSet(String database) {
            this.database = database;
        }

        /** Prepares and starts one more replica on this set's database. */
        PackagedAlertService start(String rulesYaml, int sinkPort, String... properties) throws IOException {
            PackagedAlertService replica = prepare(rulesYaml, sinkPort, true, database, properties).start();
            started.add(replica);
            return replica;
        }

        @Override
        public void close() throws Exception {
            for (PackagedAlertService r : started) {
                r.kill();
            }
            LocalServers.postgres().psql("postgres", "DROP DATABASE IF EXISTS \"" + database + "\" WITH (FORCE)");
        }
    }
}
