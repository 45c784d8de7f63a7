package io.jitsiops.k8scheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jitsiops.events.Topics;

/**
 * The topics of the event contract exist in Kafka: as Strimzi KafkaTopics (prod) and through the kafka-topics Job
 * (dev), both with the same partitions and retention.
 */
class TopicsTest {
    /**
     * spec of Strimzi's KafkaTopic kafka.strimzi.io/v1beta2 (strimzi-kafka-operator, api module
     * io.strimzi.api.kafka.model.topic.KafkaTopicSpec: topicName, partitions, replicas, config). Strimzi's own model
     * classes are built on an older fabric8 model, so the spec is checked strictly here: an unknown field fails.
     */
    record KafkaTopicSpec(String topicName, Integer partitions, Integer replicas, Map<String, Object> config) {
    }

    record Topic(int partitions, String retentionMs) {
    }

    private static final ObjectMapper STRICT = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Test
    void strimziTopicsAreExactlyTheEventContractsTopicsAndTheDeadLetterTopic() throws Exception {
        List<JsonNode> kafkaTopics = Manifests.ofKind("prod", "KafkaTopic");
        Map<String, Topic> topics = new LinkedHashMap<>();
        for (JsonNode t : kafkaTopics) {
            assertThat(t.path("apiVersion").asText()).isEqualTo("kafka.strimzi.io/v1beta2");
            assertThat(t.path("metadata").path("labels").path("strimzi.io/cluster").asText()).as(Manifests.name(t)).isNotEmpty();
            assertThat(t.path("metadata").path("namespace").asText()).as("KafkaTopics live beside the Kafka cluster")
                    .isNotEqualTo("jitsi-ops");
            KafkaTopicSpec spec = STRICT.treeToValue(t.path("spec"), KafkaTopicSpec.class);
            assertThat(spec.replicas()).as(spec.topicName()).isGreaterThanOrEqualTo(3);
            assertThat(spec.config()).containsEntry("min.insync.replicas", "2");
            topics.put(spec.topicName(), new Topic(spec.partitions(), String.valueOf(spec.config().get("retention.ms"))));
        }
        assertThat(topics.keySet()).containsExactlyInAnyOrderElementsOf(contractTopics());
        assertThat(topics).isEqualTo(jobTopics());
    }

    @Test
    void theEventTopicsHaveAsManyPartitionsAsTheAlertServiceMayHaveReplicas() {
        int maxReplicas = maxReplicas("alert-service");
        jobTopics().forEach((name, topic) -> {
            if (Topics.EVENT_TOPICS.contains(name)) {
                assertThat(topic.partitions()).as(name).isEqualTo(maxReplicas);
            }
        });
    }

    @Test
    void theLeaseTopicHasAsManyPartitionsAsTheMetricsServiceHasLeasesAndBoundsItsAutoscaler() throws Exception {
        Topic leases = jobTopics().get(leaseTopic());
        String properties = Files.readString(Manifests.root().resolve("metrics-service/src/main/resources/application.properties"));
        Matcher m = Pattern.compile("(?m)^jitsiops\\.metrics\\.replicas\\.lease-partitions=(\\d+)").matcher(properties);
        assertThat(m.find()).as("lease-partitions in metrics-service's application.properties").isTrue();
        assertThat(leases.partitions()).isEqualTo(Integer.parseInt(m.group(1)));
        assertThat(maxReplicas("metrics-service")).isLessThanOrEqualTo(leases.partitions());
    }

    private static int maxReplicas(String service) {
        return Manifests.ofKind("prod", "HorizontalPodAutoscaler").stream().filter(h -> Manifests.name(h).equals(service))
                .findFirst().orElseThrow(() -> new AssertionError("prod: no HorizontalPodAutoscaler " + service))
                .path("spec").path("maxReplicas").asInt();
    }

    @Test
    void theDevOverlayCreatesTheTopicsWithAJobWhoseScriptReadsTheList() {
        JsonNode job = Manifests.ofKind("dev", "Job").get(0);
        assertThat(job.path("spec").path("template").path("spec").path("containers").get(0).path("command").toString())
                .contains("create-topics.sh");
        JsonNode cm = configMap("dev", "jitsi-ops-kafka-topics");
        assertThat(cm.path("data").path("create-topics.sh").asText()).contains("--if-not-exists")
                .contains("/etc/jitsi-ops-topics/topics");
        assertThat(Manifests.ofKind("dev", "KafkaTopic")).isEmpty();
        assertThat(Manifests.ofKind("prod", "Job")).isEmpty();
    }

    private static List<String> contractTopics() {
        List<String> all = new ArrayList<>(Topics.EVENT_TOPICS);
        all.add(Topics.DEAD_LETTER);
        all.add(leaseTopic());
        return all;
    }

    /**
     * The metrics-service's lease topic, as its {@code KafkaTargetLeases.TOPIC} names it (read from the source: this
     * module does not depend on the service, and the manifests must follow the code, not a copy of the name).
     */
    private static String leaseTopic() {
        try {
            String source = Files.readString(Manifests.root()
                    .resolve("metrics-service/src/main/java/io/jitsiops/metrics/service/KafkaTargetLeases.java"));
            Matcher m = Pattern.compile("String TOPIC = \"([^\"]+)\"").matcher(source);
            if (!m.find()) {
                throw new AssertionError("KafkaTargetLeases declares no TOPIC");
            }
            return m.group(1);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The Job's list (topic partitions retention.ms per line), as rendered in the dev overlay. */
    private static Map<String, Topic> jobTopics() {
        Map<String, Topic> topics = new LinkedHashMap<>();
        for (String line : configMap("dev", "jitsi-ops-kafka-topics").path("data").path("topics").asText().split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3) {
                topics.put(f[0], new Topic(Integer.parseInt(f[1]), f[2]));
            }
        }
        assertThat(topics.keySet()).containsExactlyInAnyOrderElementsOf(contractTopics());
        return topics;
    }

    private static JsonNode configMap(String overlay, String name) {
        return Manifests.ofKind(overlay, "ConfigMap").stream().filter(c -> Manifests.name(c).equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(overlay + ": no ConfigMap " + name));
    }
}
