package io.jitsiops.k8scheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Volume;

/**
 * Secrets and ConfigMaps: nothing secret is committed, every reference resolves, and each service's Secret holds
 * only what that service reads.
 */
class SecretsAndConfigTest {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)");

    @Test
    void noSecretWithDataIsInAnOverlay() {
        for (String overlay : Manifests.overlays()) {
            for (JsonNode secret : Manifests.ofKind(overlay, "Secret")) {
                assertThat(secret.path("data").isEmpty() && secret.path("stringData").isEmpty())
                        .as(overlay + ": Secret " + Manifests.name(secret) + " carries data").isTrue();
            }
        }
    }

    @Test
    void everyReferencedSecretKeyIsListedAsCreatedByHandAndUsedByItsOwnServiceOnly() throws IOException {
        Map<String, JsonNode> byHand = secretsByHand();
        List<String> problems = new ArrayList<>();
        for (Workloads w : Workloads.all()) {
            for (Container c : w.template().getSpec().getContainers()) {
                for (EnvVar e : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
                    if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
                        var ref = e.getValueFrom().getSecretKeyRef();
                        checkSecret(problems, byHand, w, ref.getName(), ref.getKey());
                    }
                }
                for (EnvFromSource from : c.getEnvFrom() == null ? List.<EnvFromSource>of() : c.getEnvFrom()) {
                    if (from.getSecretRef() != null) {
                        problems.add(w.where() + ": envFrom a whole Secret (" + from.getSecretRef().getName()
                                + "): name the keys with secretKeyRef");
                    }
                }
            }
            for (Volume v : w.template().getSpec().getVolumes()) {
                if (v.getSecret() != null) {
                    checkSecret(problems, byHand, w, v.getSecret().getSecretName(), null);
                    for (KeyToPath item : v.getSecret().getItems() == null ? List.<KeyToPath>of() : v.getSecret().getItems()) {
                        checkSecret(problems, byHand, w, v.getSecret().getSecretName(), item.getKey());
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void eachServicesSecretHoldsOnlyKeysThatServiceReads() throws IOException {
        Map<String, JsonNode> byHand = secretsByHand();
        List<String> problems = new ArrayList<>();
        for (String overlay : Manifests.overlays()) {
            JsonNode description = deploymentDescription(overlay);
            byHand.forEach((secret, entry) -> {
                String service = entry.path("service").asText();
                Set<String> reads = keysRead(service, description);
                entry.path("keys").fieldNames().forEachRemaining(key -> {
                    if (!reads.contains(key)) {
                        problems.add(overlay + ": " + secret + " lists " + key + ", which " + service + " never reads "
                                + "(it reads " + reads + ")");
                    }
                });
                // ... and everything it must have: the database password, the deployment description's secrets.
                Set<String> required = new TreeSet<>(descriptionSecrets(service, description));
                required.add("JITSIOPS_DB_PASSWORD");
                for (String key : required) {
                    if (!entry.path("keys").has(key)) {
                        problems.add(overlay + ": " + secret + " lacks " + key + ", which " + service + " needs");
                    }
                }
            });
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void theDescriptionsSecretsReachTheServiceAsFilesOfItsSecretVolume() {
        for (String overlay : Manifests.overlays()) {
            JsonNode description = deploymentDescription(overlay);
            for (Workloads w : Workloads.of(overlay)) {
                if (descriptionSecrets(w.name(), description).isEmpty()) {
                    continue;
                }
                Container c = w.template().getSpec().getContainers().get(0);
                String dir = c.getEnv().stream().filter(e -> e.getName().equals("JITSIOPS_SECRETS_DIR")).map(EnvVar::getValue)
                        .findFirst().orElse(null);
                assertThat(dir).as(w.where() + " JITSIOPS_SECRETS_DIR").isNotNull();
                String volume = c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(dir))
                        .map(m -> m.getName()).findFirst().orElse(null);
                assertThat(w.template().getSpec().getVolumes().stream().filter(v -> v.getName().equals(volume))
                        .map(v -> v.getSecret() == null ? null : v.getSecret().getSecretName()))
                        .as(w.where() + " secret volume at " + dir).containsExactly(w.name() + "-secrets");
            }
        }
    }

    @Test
    void everyReferencedConfigMapAndKeyExistsInTheOverlay() {
        List<String> problems = new ArrayList<>();
        for (String overlay : Manifests.overlays()) {
            Map<String, Set<String>> configMaps = new HashMap<>();
            for (JsonNode cm : Manifests.ofKind(overlay, "ConfigMap")) {
                Set<String> keys = new TreeSet<>();
                cm.path("data").fieldNames().forEachRemaining(keys::add);
                configMaps.put(Manifests.name(cm), keys);
            }
            for (Workloads w : Workloads.of(overlay)) {
                for (Container c : w.template().getSpec().getContainers()) {
                    for (EnvVar e : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
                        if (e.getValueFrom() != null && e.getValueFrom().getConfigMapKeyRef() != null) {
                            var ref = e.getValueFrom().getConfigMapKeyRef();
                            if (!configMaps.getOrDefault(ref.getName(), Set.of()).contains(ref.getKey())) {
                                problems.add(w.where() + ": ConfigMap key " + ref.getName() + "/" + ref.getKey() + " missing");
                            }
                        }
                    }
                    for (EnvFromSource from : c.getEnvFrom() == null ? List.<EnvFromSource>of() : c.getEnvFrom()) {
                        if (from.getConfigMapRef() != null && !configMaps.containsKey(from.getConfigMapRef().getName())) {
                            problems.add(w.where() + ": ConfigMap " + from.getConfigMapRef().getName() + " missing");
                        }
                    }
                }
                for (Volume v : w.template().getSpec().getVolumes()) {
                    if (v.getConfigMap() != null) {
                        Set<String> keys = configMaps.get(v.getConfigMap().getName());
                        if (keys == null) {
                            problems.add(w.where() + ": ConfigMap " + v.getConfigMap().getName() + " missing");
                        } else if (v.getConfigMap().getItems() != null) {
                            v.getConfigMap().getItems().stream().filter(i -> !keys.contains(i.getKey()))
                                    .forEach(i -> problems.add(w.where() + ": ConfigMap key " + i.getKey() + " missing"));
                        }
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    /** The names a service resolves: ${X} placeholders of its application.properties and the description's secrets. */
    static Set<String> keysRead(String service, JsonNode description) {
        Set<String> names = new LinkedHashSet<>();
        try {
            Matcher m = PLACEHOLDER.matcher(Files.readString(
                    Manifests.root().resolve(service).resolve("src/main/resources/application.properties")));
            while (m.find()) {
                names.add(m.group(1));
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        names.addAll(descriptionSecrets(service, description));
        return names;
    }

    /** The *Env names of the deployment description a service resolves (health: Janssen; backup: the backup section). */
    static Set<String> descriptionSecrets(String service, JsonNode description) {
        Set<String> names = new TreeSet<>();
        if (service.equals("health-service")) {
            JsonNode janssen = description.path("janssen");
            for (JsonNode j : janssen.isArray() ? janssen : List.of(janssen)) {
                for (String key : List.of("clientSecretEnv", "roomTokenEnv", "roomTokenSecretEnv")) {
                    if (j.hasNonNull(key)) {
                        names.add(j.get(key).asText());
                    }
                }
            }
        } else if (service.equals("backup-service")) {
            JsonNode backup = description.path("backup");
            for (JsonNode env : List.of(backup.path("databases").path("passwordEnv"), backup.path("s3").path("accessKeyEnv"),
                    backup.path("s3").path("secretKeyEnv"), backup.path("encryption").path("keyEnv"))) {
                if (env.isTextual()) {
                    names.add(env.asText());
                }
            }
        }
        return names;
    }

    static JsonNode deploymentDescription(String overlay) {
        JsonNode cm = Manifests.ofKind(overlay, "ConfigMap").stream().filter(c -> Manifests.name(c).equals("jitsi-ops-deployment"))
                .findFirst().orElseThrow();
        try {
            return Manifests.YAML.readTree(cm.path("data").path("deployment.yaml").asText());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Map<String, JsonNode> secretsByHand() throws IOException {
        Path file = Manifests.k8s().resolve("secrets-by-hand.yaml");
        Map<String, JsonNode> out = new HashMap<>();
        Manifests.YAML.readTree(file.toFile()).path("secrets").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private static void checkSecret(List<String> problems, Map<String, JsonNode> byHand, Workloads w, String secret, String key) {
        JsonNode entry = byHand.get(secret);
        if (entry == null) {
            problems.add(w.where() + ": Secret " + secret + " is not in k8s/secrets-by-hand.yaml");
            return;
        }
        if (!entry.path("service").asText().equals(w.name())) {
            problems.add(w.where() + ": uses " + secret + ", the Secret of " + entry.path("service").asText());
        }
        if (key != null && !entry.path("keys").has(key)) {
            problems.add(w.where() + ": key " + secret + "/" + key + " is not listed in k8s/secrets-by-hand.yaml");
        }
    }
}
