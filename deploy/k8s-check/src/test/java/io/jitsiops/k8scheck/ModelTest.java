package io.jitsiops.k8scheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResource;

class ModelTest {
    /** Kinds outside the fabric8 model; each has a strict check of its own (named here). */
    private static final Map<String, String> CHECKED_ELSEWHERE = Map.of(
            "kafka.strimzi.io/v1beta2/KafkaTopic", "TopicsTest",
            "monitoring.coreos.com/v1/ServiceMonitor", "ModelTest.serviceMonitorsHaveOnlyFieldsOfThePrometheusOperatorsSpec",
            "monitoring.coreos.com/v1/PrometheusRule", "ModelTest.prometheusRulesHaveOnlyFieldsOfThePrometheusOperatorsSpec");

    /**
     * The fields of the Prometheus Operator's ServiceMonitorSpec and Endpoint (prometheus-operator
     * pkg/apis/monitoring/v1/servicemonitor_types.go and types.go) that a ServiceMonitor here may use; anything else
     * fails (FAIL_ON_UNKNOWN_PROPERTIES), as an unknown field would in the fabric8 model.
     */
    record ServiceMonitorSpec(String jobLabel, LabelSelector selector, NamespaceSelector namespaceSelector,
            List<Endpoint> endpoints, List<String> targetLabels, List<String> podTargetLabels) {
    }

    record LabelSelector(Map<String, String> matchLabels, List<Map<String, Object>> matchExpressions) {
    }

    record NamespaceSelector(Boolean any, List<String> matchNames) {
    }

    record Endpoint(String port, String targetPort, String path, String scheme, String interval, String scrapeTimeout,
            Boolean honorLabels, Map<String, List<String>> params) {
    }

    /**
     * The fields of the Prometheus Operator's PrometheusRuleSpec, RuleGroup and Rule (prometheus-operator
     * pkg/apis/monitoring/v1/prometheusrule_types.go) that a PrometheusRule here may use.
     */
    record PrometheusRuleSpec(List<RuleGroup> groups) {
    }

    record RuleGroup(String name, String interval, Map<String, String> labels, List<Rule> rules) {
    }

    record Rule(String alert, String record, String expr,
            @com.fasterxml.jackson.annotation.JsonProperty("for") String forDuration, String keep_firing_for,
            Map<String, String> labels, Map<String, String> annotations) {
    }

    @Test
    void everyOverlayRendersWithKubectlKustomize() {
        assertThat(Manifests.overlays()).contains("dev", "prod");
        for (String overlay : Manifests.overlays()) {
            assertThat(Manifests.objects(overlay)).as(overlay).hasSizeGreaterThan(20);
        }
    }

    @Test
    void everyRenderedObjectLoadsIntoTheFabric8ModelWithoutUnknownFields() {
        List<String> problems = new ArrayList<>();
        Set<String> seen = new java.util.TreeSet<>();
        for (String overlay : Manifests.overlays()) {
            for (JsonNode object : Manifests.objects(overlay)) {
                String type = object.path("apiVersion").asText() + "/" + object.path("kind").asText();
                String where = overlay + ": " + type + " " + Manifests.name(object);
                KubernetesResource loaded = Model.load(object);
                seen.add(type + " -> " + loaded.getClass().getSimpleName());
                if (loaded instanceof GenericKubernetesResource) {
                    if (!CHECKED_ELSEWHERE.containsKey(type)) {
                        problems.add(where + ": not a kind of the fabric8 model (wrong apiVersion or kind?)");
                    }
                    continue;
                }
                Model.unknownFields(loaded).forEach(u -> problems.add(where + ": unknown field " + u));
            }
        }
        assertThat(problems).as("loaded as %s", seen).isEmpty();
    }

    @Test
    void serviceMonitorsHaveOnlyFieldsOfThePrometheusOperatorsSpec() throws Exception {
        for (ServiceMonitorSpec spec : strictSpecs("ServiceMonitor", ServiceMonitorSpec.class)) {
            assertThat(spec.endpoints()).isNotEmpty();
        }
    }

    @Test
    void prometheusRulesHaveOnlyFieldsOfThePrometheusOperatorsSpec() throws Exception {
        for (PrometheusRuleSpec spec : strictSpecs("PrometheusRule", PrometheusRuleSpec.class)) {
            assertThat(spec.groups()).isNotEmpty();
            spec.groups().forEach(g -> assertThat(g.rules()).as(g.name()).isNotEmpty());
        }
    }

    /**
     * The specs of every overlay's objects of a Prometheus Operator kind, read strictly into {@code type} (an unknown
     * field fails), each object with that API version and only the metadata the operator's kinds take here.
     */
    private static <T> List<T> strictSpecs(String kind, Class<T> type) throws Exception {
        var strict = new com.fasterxml.jackson.databind.ObjectMapper()
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        List<T> specs = new ArrayList<>();
        for (String overlay : Manifests.overlays()) {
            List<JsonNode> objects = Manifests.ofKind(overlay, kind);
            assertThat(objects).as(overlay + ": " + kind).isNotEmpty();
            for (JsonNode o : objects) {
                assertThat(o.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
                specs.add(strict.treeToValue(o.path("spec"), type));
                Set<String> metadataKeys = new java.util.TreeSet<>();
                o.path("metadata").fieldNames().forEachRemaining(metadataKeys::add);
                assertThat(metadataKeys).isSubsetOf("name", "namespace", "labels", "annotations");
            }
        }
        return specs;
    }

    @Test
    void aMisspelledFieldIsFound() {
        // The check itself: fabric8 would load this Deployment without complaint.
        Map<String, Object> container = Map.of("name", "c", "readinesProbe", Map.of("periodSeconds", 1));
        Map<String, Object> template = Map.of("spec", Map.of("containers", List.of(container)));
        JsonNode typo = Manifests.YAML.valueToTree(Map.of("apiVersion", "apps/v1", "kind", "Deployment",
                "metadata", Map.of("name", "x"), "spec", Map.of("template", template)));
        assertThat(Model.unknownFields(Model.load(typo))).singleElement().asString().contains("readinesProbe");
    }
}
