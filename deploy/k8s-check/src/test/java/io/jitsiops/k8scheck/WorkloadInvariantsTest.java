package io.jitsiops.k8scheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;

/** What every container of every overlay must have (issue 13): probes, limits, least privilege. */
class WorkloadInvariantsTest {
    private static final List<String> SERVICES = List.of("health-service", "metrics-service", "log-service",
            "backup-service", "alert-service");

    @Test
    void everyOverlayRunsTheFiveServices() {
        for (String overlay : Manifests.overlays()) {
            assertThat(Workloads.of(overlay).stream().filter(Workloads::serving).map(Workloads::name))
                    .as(overlay).containsExactlyInAnyOrderElementsOf(SERVICES);
        }
    }

    @Test
    void everyServingContainerHasTheThreeQuarkusHealthProbes() {
        List<String> problems = new ArrayList<>();
        for (Workloads w : Workloads.all()) {
            if (!w.serving()) {
                continue;
            }
            for (Container c : containers(w.template().getSpec())) {
                probe(problems, w, c, "startupProbe", c.getStartupProbe(), "/q/health/started");
                probe(problems, w, c, "livenessProbe", c.getLivenessProbe(), "/q/health/live");
                probe(problems, w, c, "readinessProbe", c.getReadinessProbe(), "/q/health/ready");
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyContainerHasRequestsAndLimits() {
        List<String> problems = new ArrayList<>();
        for (Workloads w : Workloads.all()) {
            for (Container c : containers(w.template().getSpec())) {
                var r = c.getResources();
                Map<String, Quantity> requests = r == null || r.getRequests() == null ? Map.of() : r.getRequests();
                Map<String, Quantity> limits = r == null || r.getLimits() == null ? Map.of() : r.getLimits();
                for (String res : List.of("cpu", "memory")) {
                    if (!requests.containsKey(res)) {
                        problems.add(w.where() + " " + c.getName() + ": no " + res + " request");
                    }
                    if (!limits.containsKey(res)) {
                        problems.add(w.where() + " " + c.getName() + ": no " + res + " limit");
                    }
                }
                if (requests.containsKey("memory") && limits.containsKey("memory") && Quantity.getAmountInBytes(
                        requests.get("memory")).compareTo(Quantity.getAmountInBytes(limits.get("memory"))) > 0) {
                    problems.add(w.where() + " " + c.getName() + ": memory request above the limit");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyContainerRunsNonRootReadOnlyWithoutCapabilitiesUnderSeccomp() {
        List<String> problems = new ArrayList<>();
        for (Workloads w : Workloads.all()) {
            PodSpec pod = w.template().getSpec();
            PodSecurityContext podSc = pod.getSecurityContext();
            if (pod.getHostNetwork() != null && pod.getHostNetwork() || pod.getHostPID() != null && pod.getHostPID()) {
                problems.add(w.where() + ": host network or PID namespace");
            }
            for (Container c : containers(pod)) {
                SecurityContext sc = c.getSecurityContext();
                String who = w.where() + " " + c.getName() + ": ";
                if (sc == null) {
                    problems.add(who + "no securityContext");
                    continue;
                }
                Boolean nonRoot = sc.getRunAsNonRoot() != null ? sc.getRunAsNonRoot()
                        : podSc == null ? null : podSc.getRunAsNonRoot();
                Long uid = sc.getRunAsUser() != null ? sc.getRunAsUser() : podSc == null ? null : podSc.getRunAsUser();
                if (!Boolean.TRUE.equals(nonRoot) || uid == null || uid == 0) {
                    problems.add(who + "not runAsNonRoot with a non-zero runAsUser");
                }
                if (!Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem())) {
                    problems.add(who + "root file system not read-only");
                }
                if (!Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation()) || Boolean.TRUE.equals(sc.getPrivileged())) {
                    problems.add(who + "privilege escalation not switched off");
                }
                if (sc.getCapabilities() == null || !List.of("ALL").equals(sc.getCapabilities().getDrop())
                        || sc.getCapabilities().getAdd() != null && !sc.getCapabilities().getAdd().isEmpty()) {
                    problems.add(who + "capabilities not exactly drop [ALL]");
                }
                String seccomp = sc.getSeccompProfile() != null ? sc.getSeccompProfile().getType()
                        : podSc != null && podSc.getSeccompProfile() != null ? podSc.getSeccompProfile().getType() : null;
                if (!"RuntimeDefault".equals(seccomp)) {
                    problems.add(who + "seccomp profile not RuntimeDefault");
                }
                boolean tmpWritable = c.getVolumeMounts() != null && c.getVolumeMounts().stream()
                        .anyMatch(m -> m.getMountPath().equals("/tmp") && !Boolean.TRUE.equals(m.getReadOnly()));
                if (!tmpWritable) {
                    problems.add(who + "no writable /tmp volume (the root file system is read-only)");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void theServicesRunAsTheImagesUserOnTheImagesPort() throws java.io.IOException {
        // The root pom's images profile builds the images: quarkus.jib.user and quarkus.jib.ports.
        String pom = java.nio.file.Files.readString(Manifests.root().resolve("pom.xml"));
        java.util.regex.Matcher user = java.util.regex.Pattern.compile("<quarkus.jib.user>(\\d+)</quarkus.jib.user>").matcher(pom);
        java.util.regex.Matcher port = java.util.regex.Pattern.compile("<quarkus.jib.ports>(\\d+)</quarkus.jib.ports>").matcher(pom);
        assertThat(user.find() && port.find()).as("quarkus.jib.user and quarkus.jib.ports in the root pom").isTrue();
        for (Workloads w : Workloads.all()) {
            if (w.serving()) {
                assertThat(w.template().getSpec().getSecurityContext().getRunAsUser()).as(w.where())
                        .isEqualTo(Long.parseLong(user.group(1)));
                assertThat(w.template().getSpec().getContainers().get(0).getPorts().get(0).getContainerPort()).as(w.where())
                        .isEqualTo(Integer.parseInt(port.group(1)));
            }
        }
    }

    @Test
    void everyServiceThatReadsTheDeploymentDescriptionMountsItWhereTheSharedConfigPointsIt() throws java.io.IOException {
        // A service whose configuration reads jitsiops.deployment.file gets JITSIOPS_DEPLOYMENT_FILE from jitsi-ops-env;
        // without the ConfigMap mounted there it starts without the description (alert-service: no shard labels).
        for (String overlay : Manifests.overlays()) {
            String file = Manifests.ofKind(overlay, "ConfigMap").stream().filter(c -> Manifests.name(c).equals("jitsi-ops-env"))
                    .findFirst().orElseThrow().path("data").path("JITSIOPS_DEPLOYMENT_FILE").asText();
            assertThat(file).as(overlay + ": JITSIOPS_DEPLOYMENT_FILE in jitsi-ops-env").isNotEmpty();
            String folder = file.substring(0, file.lastIndexOf('/'));
            for (Workloads w : Workloads.of(overlay)) {
                java.nio.file.Path props = Manifests.root().resolve(w.name()).resolve("src/main/resources/application.properties");
                if (!w.serving() || !java.nio.file.Files.exists(props)
                        || !java.nio.file.Files.readString(props).contains("JITSIOPS_DEPLOYMENT_FILE")) {
                    continue;
                }
                PodSpec pod = w.template().getSpec();
                List<String> descriptionVolumes = pod.getVolumes().stream()
                        .filter(v -> v.getConfigMap() != null && "jitsi-ops-deployment".equals(v.getConfigMap().getName()))
                        .map(Volume::getName).toList();
                assertThat(pod.getContainers().get(0).getVolumeMounts()).as(w.where() + " mounts jitsi-ops-deployment at " + folder)
                        .anyMatch(m -> descriptionVolumes.contains(m.getName()) && folder.equals(m.getMountPath()));
            }
        }
    }

    @Test
    void hostPathsAreReadOnlyAndOnlyTheLogServicesPodLogs() {
        for (Workloads w : Workloads.all()) {
            PodSpec pod = w.template().getSpec();
            for (Volume v : pod.getVolumes()) {
                if (v.getHostPath() == null) {
                    continue;
                }
                assertThat(w.name() + " " + v.getHostPath().getPath()).isEqualTo("log-service /var/log/pods");
                containers(pod).forEach(c -> c.getVolumeMounts().stream().filter(m -> m.getName().equals(v.getName()))
                        .forEach(m -> assertThat(m.getReadOnly()).as(w.where() + " " + m.getMountPath()).isTrue()));
            }
        }
    }

    @Test
    void onlyTheAlertAndMetricsServicesAreAutoscaledAndTheSingletonsStaySingle() {
        for (String overlay : Manifests.overlays()) {
            List<String> scaled = Manifests.ofKind(overlay, "HorizontalPodAutoscaler").stream()
                    .map(o -> ((HorizontalPodAutoscaler) Model.load(o)).getSpec().getScaleTargetRef().getName()).toList();
            assertThat(scaled).as(overlay).containsExactlyInAnyOrder("alert-service", "metrics-service");
            for (String single : List.of("health-service", "backup-service")) {
                assertThat(Manifests.ofKind(overlay, "Deployment").stream().filter(d -> Manifests.name(d).equals(single))
                        .map(d -> d.path("spec").path("replicas").asInt()).toList()).as(overlay + " " + single)
                        .containsExactly(1);
            }
            // The autoscaled Deployments leave replicas to their HPA.
            for (String autoscaled : scaled) {
                assertThat(Manifests.ofKind(overlay, "Deployment").stream()
                        .filter(d -> Manifests.name(d).equals(autoscaled)).map(d -> d.path("spec").has("replicas")))
                        .as(overlay + " " + autoscaled).containsExactly(false);
            }
        }
    }

    @Test
    void metricsServiceReplicasShareTheTargetsThroughKafkaLeases() {
        for (String overlay : Manifests.overlays()) {
            assertThat(Manifests.ofKind(overlay, "StatefulSet")).as(overlay + ": no static shards").isEmpty();
            Deployment d = (Deployment) Model.load(Manifests.ofKind(overlay, "Deployment").stream()
                    .filter(o -> Manifests.name(o).equals("metrics-service")).findFirst().orElseThrow());
            Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(c.getEnv().stream().filter(e -> e.getName().equals("JITSIOPS_METRICS_MEMBERSHIP")).map(EnvVar::getValue))
                    .as(overlay).containsExactly("kafka");
            assertThat(c.getEnv().stream().map(EnvVar::getName))
                    .as(overlay + ": index/count mean nothing with leases").doesNotContain("JITSIOPS_METRICS_REPLICA_INDEX",
                            "JITSIOPS_METRICS_REPLICAS");
        }
    }

    @Test
    void everyServiceHasAPodDisruptionBudget() {
        for (String overlay : Manifests.overlays()) {
            assertThat(Manifests.ofKind(overlay, "PodDisruptionBudget").stream().map(Manifests::name))
                    .as(overlay).containsExactlyInAnyOrderElementsOf(SERVICES);
        }
    }

    private static List<Container> containers(PodSpec pod) {
        List<Container> all = new ArrayList<>(pod.getContainers());
        if (pod.getInitContainers() != null) {
            all.addAll(pod.getInitContainers());
        }
        return all;
    }

    private static void probe(List<String> problems, Workloads w, Container c, String which, Probe probe, String path) {
        if (probe == null || probe.getHttpGet() == null) {
            problems.add(w.where() + " " + c.getName() + ": no HTTP " + which);
            return;
        }
        if (!path.equals(probe.getHttpGet().getPath())) {
            problems.add(w.where() + " " + c.getName() + ": " + which + " on " + probe.getHttpGet().getPath() + ", not " + path);
        }
        String port = probe.getHttpGet().getPort().getStrVal();
        boolean declared = c.getPorts() != null && c.getPorts().stream().anyMatch(p -> Objects.equals(p.getName(), port));
        if (!declared) {
            problems.add(w.where() + " " + c.getName() + ": " + which + " on undeclared port " + probe.getHttpGet().getPort());
        }
    }
}
