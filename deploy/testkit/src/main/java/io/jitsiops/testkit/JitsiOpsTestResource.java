package io.jitsiops.testkit;

import java.util.LinkedHashMap;
import java.util.Map;

import io.jitsiops.testkit.server.KafkaServer;
import io.jitsiops.testkit.server.PostgresServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * What every service test needs: a real Kafka broker, a real PostgreSQL and the Jitsi simulator, started
 * once per test JVM, and the service configured to use them through the same keys as in production.
 * Test code reaches the simulator at {@code jitsiops.simulator.url}.
 */
public class JitsiOpsTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        KafkaServer kafka = LocalServers.kafka();
        PostgresServer postgres = LocalServers.postgres();
        Map<String, String> config = new LinkedHashMap<>();
        config.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        config.put("quarkus.datasource.reactive.url", postgres.reactiveUrl());
        config.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl());
        config.put("quarkus.datasource.username", postgres.user());
        if (!postgres.password().isEmpty()) {
            // only an existing PostgreSQL (JITSIOPS_TEST_POSTGRES_URL) has one; the local cluster trusts loopback
            config.put("quarkus.datasource.password", postgres.password());
        }
        config.put("jitsiops.simulator.url", LocalServers.simulator().url());
        // Mutating endpoints accept bearer tokens from the simulator's Janssen, as they would from Janssen itself.
        config.put("quarkus.oidc.auth-server-url", LocalServers.simulator().url());
        config.put("jitsiops.deployment.file", LocalServers.deploymentFile().toString());
        // The Janssen client secret, as a mounted secret file (never a configuration key: see health-service Secrets).
        config.put("jitsiops.secrets.dir", LocalServers.secretsDir().toString());
        return config;
    }

    @Override
    public void stop() {
        // The servers serve every test class of this JVM; LocalServers stops them when the JVM exits.
    }
}
