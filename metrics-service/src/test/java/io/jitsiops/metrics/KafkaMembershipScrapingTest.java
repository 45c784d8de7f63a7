package io.jitsiops.metrics;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.jitsiops.testkit.JitsiOpsTestResource;
import io.jitsiops.testkit.LocalServers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The service as Kubernetes runs it (k8s/base/metrics-service.yaml: {@code JITSIOPS_METRICS_MEMBERSHIP=kafka}): its
 * own schedule scrapes only the targets whose lease partitions it holds in the consumer group on the real broker, so
 * a lone replica must come to hold them all and scrape every target. The lease hand-over between replicas, and a
 * killed one's, are {@code KafkaTargetLeasesTest} and {@code KilledReplicaTakeoverTest}.
 */
@QuarkusTest
@TestProfile(KafkaMembershipScrapingTest.KafkaMembership.class)
@QuarkusTestResource(JitsiOpsTestResource.class)
class KafkaMembershipScrapingTest {

    public static class KafkaMembership implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("jitsiops.metrics.schedule-enabled", "true",
                    "jitsiops.metrics.replicas.membership", "kafka",
                    "jitsiops.metrics.replicas.session-timeout", "6s",
                    "jitsiops.metrics.stats-interval", "1s",
                    "jitsiops.metrics.quality-interval", "1s");
        }
    }

    @Test
    void aLoneReplicaHoldsEveryLeaseAndItsOwnScheduleScrapesEveryTarget() {
        Instant since = Instant.now();
        for (String target : List.of("jvb-1", "jvb-2", "jicofo")) {
            await(target + " scraped by the schedule").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> Integer.parseInt(LocalServers.postgres().psql("jitsiops",
                            "SELECT count(*) FROM metrics.metric_sample WHERE target = '" + target + "' AND sampled_at > '"
                                    + since + "'").trim()) > 0);
        }
    }
}
