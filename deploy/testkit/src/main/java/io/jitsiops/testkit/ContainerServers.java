package io.jitsiops.testkit;

import java.time.Duration;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The test kit's servers as containers (Testcontainers), for a team's Docker-based CI: chosen by
 * {@code JITSIOPS_TEST_SERVERS=testcontainers} and only when a Docker engine answers ({@link TestServers}); the
 * endpoints then serve the tests exactly as servers named by the JITSIOPS_TEST_* variables do. Loaded only on that
 * path: Testcontainers is an optional dependency of the test kit, so a module whose CI takes this path adds
 * {@code org.testcontainers:testcontainers-kafka} and {@code testcontainers-postgresql} to its test dependencies.
 * NOT exercised on the machines this project is built on (no Docker engine there). Containers are removed by
 * Testcontainers' reaper when the JVM ends.
 */
final class ContainerServers {
    /** The same server versions as the local processes (Kafka 4.1, PostgreSQL 15, S3Proxy, GreenMail 2.1). */
    static final String KAFKA_IMAGE = "apache/kafka:4.1.1";
    static final String POSTGRES_IMAGE = "postgres:15";
    static final String S3PROXY_IMAGE = "andrewgaul/s3proxy:2.6.0";
    static final String GREENMAIL_IMAGE = "greenmail/standalone:2.1.3";

    private ContainerServers() {
    }

    static String kafka() {
        KafkaContainer kafka = new KafkaContainer(DockerImageName.parse(KAFKA_IMAGE));
        kafka.start();
        return kafka.getBootstrapServers();
    }

    static TestServers.Postgres postgres() {
        PostgreSQLContainer postgres = new PostgreSQLContainer(DockerImageName.parse(POSTGRES_IMAGE))
                .withDatabaseName("jitsiops").withUsername("postgres").withPassword("postgres");
        postgres.start();
        return new TestServers.Postgres(postgres.getHost(), postgres.getMappedPort(5432), "jitsiops", "postgres", "postgres");
    }

    static TestServers.S3 s3(String accessKey, String secretKey, String bucket) {
        GenericContainer<?> s3 = new GenericContainer<>(DockerImageName.parse(S3PROXY_IMAGE)).withExposedPorts(80)
                .withEnv("S3PROXY_AUTHORIZATION", "aws-v2-or-v4").withEnv("S3PROXY_IDENTITY", accessKey)
                .withEnv("S3PROXY_CREDENTIAL", secretKey).withEnv("JCLOUDS_PROVIDER", "filesystem")
                .withEnv("JCLOUDS_FILESYSTEM_BASEDIR", "/data")
                .waitingFor(Wait.forListeningPort().withStartupTimeout(Duration.ofSeconds(90)));
        s3.start();
        try {
            // The filesystem backend keeps a bucket as a folder, as the local S3Proxy does.
            s3.execInContainer("mkdir", "-p", "/data/" + bucket);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the bucket " + bucket + " in the S3Proxy container", e);
        }
        return new TestServers.S3("http://" + s3.getHost() + ":" + s3.getMappedPort(80), accessKey, secretKey);
    }

    static TestServers.Smtp smtp() {
        GenericContainer<?> mail = new GenericContainer<>(DockerImageName.parse(GREENMAIL_IMAGE)).withExposedPorts(3025, 3143)
                .withEnv("GREENMAIL_OPTS", "-Dgreenmail.setup.test.smtp -Dgreenmail.setup.test.imap"
                        + " -Dgreenmail.hostname=0.0.0.0 -Dgreenmail.auth.disabled")
                .waitingFor(Wait.forListeningPort().withStartupTimeout(Duration.ofSeconds(90)));
        mail.start();
        return new TestServers.Smtp(mail.getHost(), mail.getMappedPort(3025), mail.getHost(), mail.getMappedPort(3143));
    }
}
