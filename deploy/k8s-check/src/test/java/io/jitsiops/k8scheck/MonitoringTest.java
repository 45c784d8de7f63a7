package io.jitsiops.k8scheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Prometheus finds every service and has its own alerts on each; Grafana's sidecar finds the dashboards. */
class MonitoringTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theServiceMonitorSelectsExactlyTheFiveServicesOnTheirHttpPort() {
        for (String overlay : Manifests.overlays()) {
            JsonNode monitor = Manifests.ofKind(overlay, "ServiceMonitor").get(0);
            Map<String, String> selector = JSON.convertValue(monitor.path("spec").path("selector").path("matchLabels"),
                    JSON.getTypeFactory().constructMapType(Map.class, String.class, String.class));
            var selected = Manifests.ofKind(overlay, "Service").stream().filter(s -> selector.entrySet().stream()
                    .allMatch(e -> e.getValue().equals(s.path("metadata").path("labels").path(e.getKey()).asText())))
                    .map(Manifests::name).toList();
            // Not the metrics-service's headless Service too: every pod would be scraped twice.
            assertThat(selected).as(overlay).containsExactlyInAnyOrder("health-service", "metrics-service", "log-service",
                    "backup-service", "alert-service");
            assertThat(monitor.path("spec").path("endpoints").get(0).path("path").asText()).isEqualTo("/q/metrics");
            assertThat(monitor.path("spec").path("endpoints").get(0).path("port").asText()).isEqualTo("http");
        }
    }

    @Test
    void everyScrapedServiceHasItsOwnAlertsThatPassPromtoolAndReadOnlyItsOwnJob() throws Exception {
        // promtool (Debian's prometheus package) checks what Prometheus would load from the rules' groups
        io.jitsiops.testkit.server.DebianPackages.require("prometheus", "/usr/bin/promtool");
        for (String overlay : Manifests.overlays()) {
            List<JsonNode> rules = Manifests.ofKind(overlay, "PrometheusRule");
            // one PrometheusRule jitsi-ops-<service> per service the ServiceMonitor scrapes, labelled with it: its job
            // (the ServiceMonitor's jobLabel is app.kubernetes.io/name)
            Map<String, JsonNode> byService = new TreeMap<>();
            for (JsonNode rule : rules) {
                String service = rule.path("metadata").path("labels").path("app.kubernetes.io/name").asText();
                assertThat(Manifests.name(rule)).as(overlay).isEqualTo("jitsi-ops-" + service);
                assertThat(byService.put(service, rule)).as(overlay + ": two PrometheusRules for " + service).isNull();
            }
            assertThat(byService.keySet()).as(overlay).containsExactlyInAnyOrder("health-service", "metrics-service",
                    "log-service", "backup-service", "alert-service");
            Path dir = ruleSpecs(overlay, byService);
            for (var e : byService.entrySet()) {
                checkAlerts(overlay, e.getKey(), e.getValue());
            }
            List<String> command = new ArrayList<>(List.of("/usr/bin/promtool", "check", "rules"));
            byService.keySet().forEach(service -> command.add(dir.resolve(service + ".yaml").toString()));
            assertThat(promtool(dir, command)).as(overlay + ": promtool check rules").isEmpty();
            delete(dir);
        }
    }

    @Test
    void theSelfMonitoringAlertsFireWhenTheirServiceStopsWorkingAndStayQuietWhileItWorks() throws Exception {
        // promtool's rule unit tests on the alerts that are more than a threshold: a scheduler that stops or never
        // starts, a target moved between replicas, a component never verified since the pod started (NaN)
        io.jitsiops.testkit.server.DebianPackages.require("prometheus", "/usr/bin/promtool");
        for (String overlay : Manifests.overlays()) {
            Map<String, JsonNode> byService = new TreeMap<>();
            Manifests.ofKind(overlay, "PrometheusRule").forEach(r -> byService.put(
                    r.path("metadata").path("labels").path("app.kubernetes.io/name").asText(), r));
            Path dir = ruleSpecs(overlay, byService);
            try (var test = MonitoringTest.class.getResourceAsStream("/self-monitoring-alerts.test.yaml")) {
                Files.copy(test, dir.resolve("self-monitoring-alerts.test.yaml"));
            }
            assertThat(promtool(dir, List.of("/usr/bin/promtool", "test", "rules", "self-monitoring-alerts.test.yaml")))
                    .as(overlay + ": promtool test rules src/test/resources/self-monitoring-alerts.test.yaml").isEmpty();
            delete(dir);
        }
    }

    /** Each service's rule groups as Prometheus loads them, in a new folder as {@code <service>.yaml}. */
    private static Path ruleSpecs(String overlay, Map<String, JsonNode> byService) throws IOException {
        Path dir = Files.createTempDirectory("rules-" + overlay + "-");
        for (var e : byService.entrySet()) {
            Files.writeString(dir.resolve(e.getKey() + ".yaml"), Manifests.YAML.writeValueAsString(e.getValue().path("spec")));
        }
        return dir;
    }

    private static void delete(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }

    /** Runs promtool in {@code dir}: "" when it exits 0, else what it said. */
    private static String promtool(Path dir, List<String> command) throws IOException, InterruptedException {
        Process promtool = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return promtool.waitFor() == 0 ? "" : out;
    }

    /** A series selector in a PromQL expression: the metric's name and what is between its braces. */
    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^}]*)}");

    /**
     * Every alert of a service's rule reads that service's series only (each selector names its job, so no alert
     * fires on another service's figures), says how bad it is, and says what it means and what to do.
     */
    private static void checkAlerts(String overlay, String service, JsonNode rule) {
        assertThat(rule.path("spec").path("groups").size()).as(overlay + " " + service).isPositive();
        for (JsonNode group : rule.path("spec").path("groups")) {
            assertThat(group.path("rules").size()).as(overlay + " " + service).isPositive();
            for (JsonNode r : group.path("rules")) {
                String name = overlay + " " + r.path("alert").asText();
                String expr = r.path("expr").asText();
                Matcher selector = SELECTOR.matcher(expr);
                int selectors = 0;
                while (selector.find()) {
                    selectors++;
                    assertThat(selector.group(2)).as(name + ": " + selector.group()).contains("job=\"" + service + "\"");
                }
                assertThat(selectors).as(name + ": " + expr).isPositive();
                assertThat(r.path("labels").path("severity").asText()).as(name).isIn("warning", "critical");
                assertThat(r.path("annotations").path("summary").asText()).as(name).isNotBlank();
                assertThat(r.path("annotations").path("description").asText()).as(name).isNotBlank();
            }
        }
    }

    @Test
    void everyServicePodCarriesPlainScrapeAnnotations() {
        for (Workloads w : Workloads.all()) {
            if (w.serving()) {
                assertThat(w.template().getMetadata().getAnnotations()).as(w.where())
                        .containsEntry("prometheus.io/scrape", "true").containsEntry("prometheus.io/path", "/q/metrics")
                        .containsEntry("prometheus.io/port", String.valueOf(w.template().getSpec().getContainers().get(0)
                                .getPorts().get(0).getContainerPort()));
            }
        }
    }

    @Test
    void theDashboardsAreValidGrafanaJsonInAConfigMapWithTheSidecarLabel() throws Exception {
        for (String overlay : Manifests.overlays()) {
            JsonNode cm = Manifests.ofKind(overlay, "ConfigMap").stream()
                    .filter(c -> c.path("metadata").path("labels").path("grafana_dashboard").asText().equals("1"))
                    .findFirst().orElseThrow(() -> new AssertionError(overlay + ": no ConfigMap labelled grafana_dashboard"));
            assertThat(cm.path("data").size()).isEqualTo(4);
            for (Iterator<Map.Entry<String, JsonNode>> it = cm.path("data").fields(); it.hasNext();) {
                var e = it.next();
                JsonNode dashboard = JSON.readTree(e.getValue().asText());
                assertThat(dashboard.path("uid").asText()).as(e.getKey()).isNotEmpty();
                assertThat(dashboard.path("panels").size()).as(e.getKey()).isGreaterThan(3);
                // every query is on a series a jitsi-ops service exports (jitsiops_*, jitsi_* re-exported by metrics-service)
                dashboard.findValues("expr").forEach(expr -> assertThat(expr.asText()).as(e.getKey()).containsPattern("jitsi"));
            }
        }
    }

    @Test
    void theLoadAndQualityDashboardIsTheMetricsServicesOwn() throws Exception {
        // kustomize reads no file outside k8s/base, so the dashboard is copied there; the copy must not drift.
        assertThat(Files.readString(Manifests.k8s().resolve("base/dashboards/jitsi-load-and-quality.json")))
                .as("k8s/base/dashboards/jitsi-load-and-quality.json is a copy of metrics-service/dashboards/"
                        + "jitsi-load-and-quality.json: cp the latter over the former")
                .isEqualTo(Files.readString(Manifests.root().resolve("metrics-service/dashboards/jitsi-load-and-quality.json")));
    }
}
