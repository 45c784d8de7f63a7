package io.jitsiops.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.Test;

import io.jitsiops.metrics.service.KafkaTargetLeases;
import io.jitsiops.testkit.LocalServers;
import io.jitsiops.testkit.server.Ports;
import io.jitsiops.testkit.server.PostgresServer;
import io.jitsiops.testkit.server.ProjectLayout;

/**
 * The packaged metrics-service (its fast-jar, as it runs in production) with Kafka membership, whose lease topic has
 * fewer partitions than {@code jitsiops.metrics.replicas.lease-partitions}, stops with a non-zero exit code and says
 * why: the key, the topic, both counts and the fix. Left running it would scrape only the targets hashed to the
 * partitions that exist, and nothing would show the others missing. A process of its own, after {@code package}
 * (failsafe): a start that fails inside the test JVM can take the surefire fork down with it (StartUpRefusalIT of
 * backup-service). Real Kafka and PostgreSQL from the test kit.
 * <p>
 * The service's own lease topic is used (it is not configurable), and never made short: if missing it is created with
 * the configured default of 32, as the first replica would, and the service is told one partition more than it has.
 */
class LeaseTopicRefusalIT {
    @Test
    void aReplicaWhoseLeaseTopicHasFewerPartitionsThanConfiguredStopsNamingTheKeyTheTopicAndBothCounts() throws Exception {
        String bootstrap = LocalServers.kafka().bootstrapServers();
        int found = leaseTopicPartitions(bootstrap);
        int configured = found + 1;
        Path dir = Files.createTempDirectory("jitsi-ops-metrics-lease-refusal-");
        Path config = Files.createDirectories(dir.resolve("config"));
        Files.writeString(dir.resolve("deployment.yaml"), """
                name: lease-refusal
                jitsi:
                  jvb:
                    - name: jvb-1
                      url: http://127.0.0.1:%d
                """.formatted(Ports.free())); // nothing listens: the replica stops before it would matter
        PostgresServer pg = LocalServers.postgres();
        List<String> lines = new ArrayList<>(List.of(
                "quarkus.http.port=" + Ports.free(),
                "quarkus.http.host=127.0.0.1",
                "kafka.bootstrap.servers=" + bootstrap,
                "quarkus.datasource.reactive.url=" + pg.reactiveUrl(),
                "quarkus.datasource.jdbc.url=" + pg.jdbcUrl(),
                "quarkus.datasource.username=" + pg.user(),
                "quarkus.oidc.auth-server-url=http://127.0.0.1:" + Ports.free() + "/janssen",
                "quarkus.oidc.connection-delay=0s",
                "jitsiops.deployment.file=" + dir.resolve("deployment.yaml"),
                "jitsiops.metrics.schedule-enabled=true",
                "jitsiops.metrics.replicas.membership=kafka",
                "jitsiops.metrics.replicas.lease-partitions=" + configured,
                "jitsiops.metrics.replicas.session-timeout=6s"));
        if (pg.password() != null) {
            lines.add("quarkus.datasource.password=" + pg.password());
        }
        Files.writeString(config.resolve("application.properties"), String.join("\n", lines) + "\n");
        Path log = dir.resolve("metrics-service.log");
        Process p = new ProcessBuilder(List.of(ProjectLayout.javaBinary().toString(), "-Xmx192m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-jar", ProjectLayout.find().quarkusRunJar("metrics-service").toString()))
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        boolean exited = p.waitFor(120, TimeUnit.SECONDS);
        if (!exited) {
            p.destroyForcibly().waitFor();
        }
        String text = Files.readString(log);
        assertThat(exited).as("the replica should have stopped:\n%s", text).isTrue();
        assertThat(p.exitValue()).as(text).isNotZero();
        assertThat(text).contains("jitsiops.metrics.replicas.lease-partitions is " + configured + " but the scrape lease topic "
                        + KafkaTargetLeases.TOPIC + " has " + found + " partitions")
                .contains("--alter --topic " + KafkaTargetLeases.TOPIC + " --partitions " + configured)
                .contains("Stopping: this replica cannot hold scrape leases");
        deleteTree(dir);
    }

    /** The service's lease topic's partitions; created with the default 32 if missing, as the first replica would. */
    private static int leaseTopicPartitions(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            try {
                admin.createTopics(List.of(new NewTopic(KafkaTargetLeases.TOPIC, Optional.of(32), Optional.empty())))
                        .all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            return admin.describeTopics(List.of(KafkaTargetLeases.TOPIC)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(KafkaTargetLeases.TOPIC).partitions().size();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
