package io.jitsiops.readiness;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;

/**
 * Kafka is ready when the cluster answers a metadata request within the bound. Replaces Quarkus' check
 * ({@code quarkus.kafka.health.enabled=false}), which waits up to the admin client's default API timeout.
 */
@Readiness
@ApplicationScoped
public class KafkaReadinessCheck implements AsyncHealthCheck {
    static final String NAME = "Kafka connection health check";
    private final Map<String, Object> kafkaConfig;
    private final Duration timeout;
    private final ReadinessBound bound;
    private volatile AdminClient admin;

    public KafkaReadinessCheck(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
                               @ConfigProperty(name = "jitsiops.readiness.timeout", defaultValue = "1500ms") Duration timeout) {
        this.kafkaConfig = kafkaConfig;
        this.timeout = timeout;
        this.bound = new ReadinessBound(NAME, timeout);
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return bound.check(() -> {
            int ms = (int) timeout.toMillis();
            return Uni.createFrom().completionStage(admin().describeCluster(new DescribeClusterOptions().timeoutMs(ms))
                    .nodes().toCompletionStage())
                    .map(nodes -> nodes.stream().map(n -> n.host() + ":" + n.port()).collect(Collectors.joining(",")));
        }, "nodes");
    }

    private AdminClient admin() {
        AdminClient a = admin;
        if (a == null) {
            synchronized (this) {
                if (admin == null) {
                    Map<String, Object> conf = new HashMap<>(kafkaConfig);
                    int ms = (int) timeout.toMillis();
                    conf.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
                    conf.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
                    conf.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "jitsi-ops-readiness");
                    admin = AdminClient.create(conf);
                }
                a = admin;
            }
        }
        return a;
    }

    @PreDestroy
    void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
        }
    }
}
