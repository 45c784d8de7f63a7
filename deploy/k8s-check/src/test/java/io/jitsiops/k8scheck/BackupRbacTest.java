package io.jitsiops.k8scheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The backup-service's Role in the Jitsi namespace grants exactly what its restore commands call, on exactly the
 * workloads they name: {@code jitsi-ready NS kind/name} GETs the workload, {@code jitsi-scale NS kind/name N} PATCHes
 * its scale subresource (deploy/docker/bin). A permission more is a privilege nobody needs; one less is a restore
 * that fails on the worst day with 403.
 */
class BackupRbacTest {

    /** One permission: verb on apps/resource named name, in namespace. */
    record Grant(String namespace, String resource, String name, String verb) {
    }

    @Test
    void theBackupServiceRoleGrantsExactlyWhatTheRestoreCommandsCall() throws IOException {
        for (String overlay : Manifests.overlays()) {
            if (Manifests.ofKind(overlay, "Role").stream().noneMatch(r -> Manifests.name(r).equals("jitsi-ops-backup-service"))) {
                continue; // an overlay without the Jitsi-namespace RBAC (restores not controlled there)
            }
            assertThat(granted(overlay)).as(overlay).containsExactlyInAnyOrderElementsOf(needed(overlay));
        }
        assertThat(Manifests.ofKind("prod", "Role")).as("prod carries the backup-service's Role").isNotEmpty();
    }

    @Test
    void theRoleIsBoundToTheBackupServicesOwnServiceAccountOnly() {
        JsonNode binding = Manifests.ofKind("prod", "RoleBinding").stream()
                .filter(b -> Manifests.name(b).equals("jitsi-ops-backup-service")).findFirst().orElseThrow();
        assertThat(binding.path("roleRef").path("name").asText()).isEqualTo("jitsi-ops-backup-service");
        assertThat(binding.path("subjects")).hasSize(1);
        assertThat(binding.path("subjects").get(0).path("kind").asText()).isEqualTo("ServiceAccount");
        assertThat(binding.path("subjects").get(0).path("name").asText()).isEqualTo("backup-service");
        assertThat(binding.path("subjects").get(0).path("namespace").asText()).isEqualTo("jitsi-ops");
    }

    private static Set<Grant> needed(String overlay) throws IOException {
        JsonNode config = Manifests.ofKind(overlay, "ConfigMap").stream()
                .filter(c -> Manifests.name(c).equals("backup-service-config")).findFirst().orElseThrow();
        Properties p = new Properties();
        p.load(new StringReader(config.path("data").path("application.properties").asText()));
        Set<Grant> needed = new HashSet<>();
        for (String key : p.stringPropertyNames()) {
            String[] cmd = p.getProperty(key).trim().split("\\s+");
            if (cmd[0].equals("jitsi-scale") || cmd[0].equals("jitsi-ready")) {
                String[] kindName = cmd[2].split("/", 2);
                String resource = kindName[0] + "s" + (cmd[0].equals("jitsi-scale") ? "/scale" : "");
                needed.add(new Grant(cmd[1], resource, kindName[1], cmd[0].equals("jitsi-scale") ? "patch" : "get"));
            }
        }
        assertThat(needed).as(overlay + ": the restore commands").isNotEmpty();
        return needed;
    }

    private static Set<Grant> granted(String overlay) {
        Set<Grant> granted = new HashSet<>();
        for (JsonNode role : Manifests.ofKind(overlay, "Role")) {
            if (!Manifests.name(role).equals("jitsi-ops-backup-service")) {
                continue;
            }
            String namespace = role.path("metadata").path("namespace").asText();
            for (JsonNode rule : role.path("rules")) {
                assertThat(rule.path("apiGroups").toString()).isEqualTo("[\"apps\"]");
                assertThat(rule.path("resourceNames").size()).as("every rule names its workloads").isPositive();
                for (JsonNode resource : rule.path("resources")) {
                    for (JsonNode name : rule.path("resourceNames")) {
                        for (JsonNode verb : rule.path("verbs")) {
                            granted.add(new Grant(namespace, resource.asText(), name.asText(), verb.asText()));
                        }
                    }
                }
            }
        }
        return granted;
    }
}
