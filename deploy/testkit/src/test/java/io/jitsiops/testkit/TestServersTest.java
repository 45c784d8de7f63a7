package io.jitsiops.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which servers the test kit uses, from the JITSIOPS_TEST_* variables (TestServers). */
class TestServersTest {

    @Test
    void withNoVariableEverythingIsALocalProcessAsBefore() {
        TestServers servers = TestServers.from(Map.of());
        assertThat(servers.allLocal()).isTrue();
        assertThat(servers.effectiveMode(Map.of())).isEqualTo(TestServers.Mode.LOCAL);
    }

    @Test
    void existingServersAreReadFromTheirVariables() {
        TestServers servers = TestServers.from(Map.of(
                "JITSIOPS_TEST_KAFKA_BOOTSTRAP", "kafka-0.kafka:9092, kafka-1.kafka:9092",
                "JITSIOPS_TEST_POSTGRES_URL", "postgresql://ci:s%40cret@pg.ci.svc:6432/jitsiops_ci",
                "JITSIOPS_TEST_S3_ENDPOINT", "https://minio.ci.svc:9000/",
                "JITSIOPS_TEST_S3_ACCESS_KEY", "ak", "JITSIOPS_TEST_S3_SECRET_KEY", "sk",
                "JITSIOPS_TEST_SMTP", "mail.ci.svc:2525", "JITSIOPS_TEST_IMAP", "mail.ci.svc:1143"));
        assertThat(servers.allLocal()).isFalse();
        assertThat(servers.kafkaBootstrap()).contains("kafka-0.kafka:9092,kafka-1.kafka:9092");
        TestServers.Postgres pg = servers.postgres().orElseThrow();
        assertThat(pg).isEqualTo(new TestServers.Postgres("pg.ci.svc", 6432, "jitsiops_ci", "ci", "s@cret"));
        assertThat(pg.jdbcUrl()).isEqualTo("jdbc:postgresql://pg.ci.svc:6432/jitsiops_ci");
        assertThat(pg.reactiveUrl()).isEqualTo("postgresql://pg.ci.svc:6432/jitsiops_ci");
        assertThat(pg.toString()).doesNotContain("s@cret");
        assertThat(servers.s3()).contains(new TestServers.S3("https://minio.ci.svc:9000", "ak", "sk"));
        assertThat(servers.s3().orElseThrow().toString()).doesNotContain("sk");
        assertThat(servers.smtp()).contains(new TestServers.Smtp("mail.ci.svc", 2525, "mail.ci.svc", 1143));
    }

    @Test
    void postgresPortDefaultsTo5432AndPasswordToNone() {
        assertThat(TestServers.from(Map.of("JITSIOPS_TEST_POSTGRES_URL", "postgresql://ci@pg/jitsiops")).postgres())
                .contains(new TestServers.Postgres("pg", 5432, "jitsiops", "ci", ""));
    }

    @Test
    void anInvalidValueFailsNamingTheVariableWithoutPrintingAPassword() {
        assertThatThrownBy(() -> TestServers.from(Map.of("JITSIOPS_TEST_KAFKA_BOOTSTRAP", "kafka")))
                .hasMessageContaining("JITSIOPS_TEST_KAFKA_BOOTSTRAP").hasMessageContaining("host:port");
        assertThatThrownBy(() -> TestServers.from(Map.of("JITSIOPS_TEST_POSTGRES_URL", "jdbc:postgresql://u:hunter2@pg/db")))
                .hasMessageContaining("JITSIOPS_TEST_POSTGRES_URL").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> TestServers.from(Map.of("JITSIOPS_TEST_S3_ENDPOINT", "http://minio:9000")))
                .hasMessageContaining("JITSIOPS_TEST_S3_ACCESS_KEY must be set");
        assertThatThrownBy(() -> TestServers.from(Map.of("JITSIOPS_TEST_SMTP", "mail:25")))
                .hasMessageContaining("JITSIOPS_TEST_IMAP must be set");
        assertThatThrownBy(() -> TestServers.from(Map.of("JITSIOPS_TEST_SERVERS", "docker")))
                .hasMessageContaining("JITSIOPS_TEST_SERVERS").hasMessageContaining("local or testcontainers");
    }

    @Test
    void testcontainersIsChosenOnlyWhenADockerEngineAnswers(@TempDir Path dir) throws Exception {
        TestServers asked = TestServers.from(Map.of("JITSIOPS_TEST_SERVERS", "testcontainers"));
        assertThat(asked.allLocal()).isFalse();
        // Nothing at DOCKER_HOST: local processes.
        Map<String, String> nothing = Map.of("DOCKER_HOST", "unix://" + dir.resolve("absent.sock"));
        assertThat(asked.effectiveMode(nothing)).isEqualTo(TestServers.Mode.LOCAL);
        assertThat(TestServers.dockerAnswers(Map.of("DOCKER_HOST", "tcp://127.0.0.1:1"), Duration.ofMillis(500))).isFalse();
        // A socket that answers /_ping as the Docker engine does: containers.
        Path socket = dir.resolve("docker.sock");
        try (ServerSocketChannel engine = fakeEngine(socket, "HTTP/1.1 200 OK\r\nApi-Version: 1.47\r\nContent-Length: 2\r\n\r\nOK")) {
            Map<String, String> env = Map.of("DOCKER_HOST", "unix://" + socket);
            assertThat(asked.effectiveMode(env)).isEqualTo(TestServers.Mode.TESTCONTAINERS);
            // ... but not unless asked for.
            assertThat(TestServers.from(Map.of()).effectiveMode(env)).isEqualTo(TestServers.Mode.LOCAL);
        }
        // Something else on the socket is not a Docker engine.
        Path other = dir.resolve("other.sock");
        try (ServerSocketChannel notDocker = fakeEngine(other, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")) {
            assertThat(asked.effectiveMode(Map.of("DOCKER_HOST", "unix://" + other))).isEqualTo(TestServers.Mode.LOCAL);
        }
    }

    /** A unix-socket server answering every connection once with {@code answer}, as the Docker engine's /_ping. */
    private static ServerSocketChannel fakeEngine(Path socket, String answer) throws IOException {
        Files.deleteIfExists(socket);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread t = new Thread(() -> {
            while (server.isOpen()) {
                try (SocketChannel c = server.accept()) {
                    c.read(ByteBuffer.allocate(256));
                    c.write(ByteBuffer.wrap(answer.getBytes(StandardCharsets.ISO_8859_1)));
                } catch (IOException closed) {
                    return;
                }
            }
        }, "fake-docker-engine");
        t.setDaemon(true);
        t.start();
        return server;
    }
}
