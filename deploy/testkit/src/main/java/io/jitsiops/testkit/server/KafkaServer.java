package io.jitsiops.testkit.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/** Apache Kafka 4.x, one node in KRaft mode (broker and controller), from the Maven Central jars. */
public final class KafkaServer extends LocalServer {
    private final ProjectLayout layout;
    private final int port;
    private final int controllerPort;
    /** Set for a Kafka that already exists (JITSIOPS_TEST_KAFKA_BOOTSTRAP or a container). */
    private String existingBootstrap;
    /**
     * Length of the (appended) log when this process was launched: readiness looks for the start line after it only,
     * or a restarted Kafka would count as ready as soon as its port opened, on the line its previous run wrote.
     */
    private volatile long logLengthAtLaunch;

    /** A Kafka that already runs elsewhere, named by {@code variable}: the test kit starts and stops nothing. */
    public static KafkaServer existing(String bootstrapServers, String variable, Path dir) {
        KafkaServer kafka = new KafkaServer(null, dir, -1, -1);
        kafka.existingBootstrap = bootstrapServers;
        kafka.existing(variable);
        return kafka;
    }

    public KafkaServer(ProjectLayout layout, Path dir, int port, int controllerPort) {
        super("kafka", dir);
        this.layout = layout;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    public String bootstrapServers() {
        if (existingBootstrap != null) {
            return existingBootstrap;
        }
        return "127.0.0.1:" + port;
    }

    @Override
    public String endpoint() {
        return bootstrapServers();
    }

    @Override
    protected void prepare() throws IOException {
        logLengthAtLaunch = Files.exists(logFile()) ? Files.size(logFile()) : 0;
        Path props = dir.resolve("server.properties");
        write(props, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name=PLAINTEXT",
                "log.dirs=" + dir.resolve("data"),
                "num.partitions=3",
                "auto.create.topics.enable=true",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "log.retention.hours=168",
                ""));
        write(dir.resolve("log4j.properties"), String.join("\n",
                "log4j.rootLogger=INFO, file",
                "log4j.appender.file=org.apache.log4j.ConsoleAppender",
                "log4j.appender.file.layout=org.apache.log4j.PatternLayout",
                "log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n",
                "log4j.logger.kafka.request.logger=WARN",
                "log4j.logger.state.change.logger=WARN",
                "log4j.logger.org.apache.kafka.controller=WARN",
                "log4j.logger.kafka.log.LogCleaner=WARN",
                ""));
        if (!Files.exists(dir.resolve("data").resolve("meta.properties"))) {
            run(List.of(ProjectLayout.javaBinary().toString(), "-cp", classpath(),
                            "-Dlog4j.configuration=file:" + dir.resolve("log4j.properties"),
                            "kafka.tools.StorageTool", "format", "-t", clusterId(), "-c", props.toString(), "--standalone"),
                    dir, Duration.ofSeconds(60));
        }
    }

    @Override
    protected List<String> command() {
        return List.of(ProjectLayout.javaBinary().toString(), "-Xms128m", "-Xmx512m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true",
                "-Dlog4j.configuration=file:" + dir.resolve("log4j.properties"),
                "-cp", classpath(), "kafka.Kafka", dir.resolve("server.properties").toString());
    }

    @Override
    public boolean ready() {
        if (existingBootstrap != null) {
            String first = existingBootstrap.split(",")[0];
            int colon = first.lastIndexOf(':');
            return Probes.tcpOpen(first.substring(0, colon), Integer.parseInt(first.substring(colon + 1)));
        }
        if (!Probes.tcpOpen(port)) {
            return false;
        }
        try {
            byte[] log = Files.readAllBytes(logFile());
            int from = log.length >= logLengthAtLaunch ? (int) logLengthAtLaunch : 0; // shorter: the log was replaced
            return new String(log, from, log.length - from, StandardCharsets.ISO_8859_1).contains("Kafka Server started");
        } catch (IOException e) {
            return false;
        }
    }

    private String classpath() {
        return layout.serverLib("kafka") + "/*";
    }

    /** A KRaft cluster id: 16 random bytes, base64url without padding (what StorageTool random-uuid prints). */
    private static String clusterId() {
        SecureRandom random = new SecureRandom();
        while (true) {
            byte[] bytes = new byte[16];
            random.nextBytes(bytes);
            String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            if (!id.startsWith("-")) {
                return id;
            }
        }
    }
}
