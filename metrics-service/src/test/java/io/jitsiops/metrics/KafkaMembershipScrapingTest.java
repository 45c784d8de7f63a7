package io.jitsiops.metrics;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.jitsiops.metrics.config.MetricsConfig;
import io.jitsiops.metrics.exposition.ExpositionParser;
import io.jitsiops.metrics.exposition.MetricFamily;
import io.jitsiops.metrics.exposition.Sample;
import io.jitsiops.metrics.service.KafkaTargetLeases;
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
 * killed one's, are {@code KafkaTargetLeasesTest} and {@code KilledReplicaTakeoverTest}. When a second replica joins,
 * the targets whose leases move to it leave this one's /q/metrics, and come back, counted afresh, with their leases.
 */
@QuarkusTest
@TestProfile(KafkaMembershipScrapingTest.KafkaMembership.class)
@QuarkusTestResource(JitsiOpsTestResource.class)
class KafkaMembershipScrapingTest {
    /** Every target of the test kit's deployment description, as {@code component/name}. */
    private static final List<String> TARGETS = List.of("jvb/jvb-1", "jvb/jvb-2", "jicofo/jicofo", "prosody/prosody", "web/web");
    /** ScrapeScheduler's consumer group. */
    private static final String GROUP = "jitsi-ops-metrics-scrapers";

    @Inject
    MetricsConfig config;

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

    @Test
    void aTargetsSeriesLeaveThisReplicaWithItsLeaseAndComeBackCountedAfreshWithIt() {
        await("every target scraped here a few times").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> TARGETS.stream().allMatch(t -> scrapes(exposition(), t) >= 10));
        String first = exposition();
        Map<String, Double> countedFirst = new HashMap<>();
        TARGETS.forEach(t -> countedFirst.put(t, scrapes(first, t)));
        Map<String, Double> countedBefore = new HashMap<>();
        List<String> moved;
        int partitions = config.replicas().leasePartitions();
        try (KafkaTargetLeases other = new KafkaTargetLeases(LocalServers.kafka().bootstrapServers(), GROUP, KafkaTargetLeases.TOPIC, partitions,
                Duration.ofSeconds(6))) {
            // the group splits the leases between this replica and the other: what moved leaves this one's /q/metrics
            await("the leases split and the moved targets' series gone").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        String text = exposition();
                        return !other.owned().isEmpty() && other.owned().size() < partitions
                                && TARGETS.stream().allMatch(t -> exported(text, t) != other.holdsLease(t));
                    });
            moved = TARGETS.stream().filter(other::holdsLease).toList();
            List<String> kept = TARGETS.stream().filter(t -> !other.holdsLease(t)).toList();
            assertThat(moved).as("targets whose lease moved (of %s, leases %s)", TARGETS, other.owned()).isNotEmpty();
            assertThat(kept).as("targets whose lease stayed (leases moved: %s)", other.owned()).isNotEmpty();
            String text = exposition();
            for (String t : moved) {
                String name = t.substring(t.indexOf('/') + 1);
                assertThat(text).as("no series of %s, whose lease moved", t).doesNotContainPattern(label("target", name))
                        .doesNotContainPattern(label("bridge", name).pattern() + "source=\"bridge\"");
            }
            for (String t : kept) {
                countedBefore.put(t, scrapes(text, t));
            }
            // the API says which targets this replica scrapes now; a moved one is listed, not scraped here, no endpoints
            List<Map<String, Object>> listed = given().get("/api/metrics/targets").then().statusCode(200).extract().jsonPath().getList("$");
            assertThat(listed).hasSize(TARGETS.size());
            for (Map<String, Object> t : listed) {
                String key = t.get("component") + "/" + t.get("target");
                assertThat(t.get("scrapedHere")).as(key).isEqualTo(kept.contains(key));
                if (moved.contains(key)) {
                    assertThat((Map<?, ?>) t.get("endpoints")).as(key).isEmpty();
                }
            }
            await("the targets that stayed still scraped here").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        String now = exposition();
                        return kept.stream().allMatch(t -> scrapes(now, t) > countedBefore.get(t));
                    });
            text = exposition();
            for (String t : moved) {
                assertThat(text).as("still no series of %s", t).doesNotContainPattern(label("target", t.substring(t.indexOf('/') + 1)));
            }
        }
        // the other replica leaves the group: its leases come back here, and with them the series, counted from 0
        Map<String, Double> countedAfter = new HashMap<>();
        await("the moved targets scraped here again").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    String text = exposition();
                    moved.forEach(t -> countedAfter.put(t, scrapes(text, t)));
                    return moved.stream().allMatch(t -> countedAfter.get(t) > 0);
                });
        assertThat(countedAfter).allSatisfy((t, n) -> assertThat(n).as("%s's scrapes, counted afresh", t).isLessThan(countedFirst.get(t)));
    }

    private static String exposition() {
        return given().accept("text/plain; version=0.0.4").get("/q/metrics").then().statusCode(200).extract().asString();
    }

    private static Pattern label(String name, String value) {
        return Pattern.compile("[{,]" + name + "=\"" + Pattern.quote(value) + "\"[,}]");
    }

    private static boolean exported(String text, String target) {
        return label("target", target.substring(target.indexOf('/') + 1)).matcher(text).find();
    }

    /** jitsi_ops_metrics_scrapes_total of the target ({@code component/name}), summed over its endpoints; 0 when absent. */
    private static double scrapes(String text, String target) {
        String component = target.substring(0, target.indexOf('/'));
        String name = target.substring(target.indexOf('/') + 1);
        double sum = 0;
        for (MetricFamily f : ExpositionParser.parse(text, ExpositionParser.Format.PROMETHEUS_0_0_4)) {
            for (Sample s : f.samples()) {
                if (s.name().equals("jitsi_ops_metrics_scrapes_total") && component.equals(s.labels().get("component"))
                        && name.equals(s.labels().get("target"))) {
                    sum += s.value();
                }
            }
        }
        return sum;
    }
}
