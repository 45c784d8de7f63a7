package io.jitsiops.backup.unit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.jitsiops.backup.restore.control.KubernetesController;

/**
 * The Kubernetes control through the fabric8 client against fabric8's mock API server in CRUD mode. There is no
 * Kubernetes API server on this machine (no kube-apiserver, kind or Docker), so the Deployment controller's part —
 * pods going away and becoming ready — is played by a loop here that moves {@code status} towards {@code spec.replicas}
 * a step at a time. What is proven: the requests the client makes (a merge patch of replicas and the annotation), the
 * waits on status, the original count coming back (also from a fresh controller, as after a restart of the service),
 * and the failures' reasons.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesControllerTest {
    KubernetesMockServer server;
    KubernetesClient client;
    ScheduledExecutorService deploymentController;

    @BeforeEach
    void jvbWithThreeReadyReplicas() {
        client.apps().deployments().inNamespace("jitsi").resource(new DeploymentBuilder()
                .withNewMetadata().withName("jvb").withNamespace("jitsi").endMetadata()
                .withNewSpec().withReplicas(3).endSpec()
                .withNewStatus().withReplicas(3).withReadyReplicas(3).endStatus().build()).create();
        deploymentController = Executors.newSingleThreadScheduledExecutor();
        deploymentController.scheduleWithFixedDelay(() -> {
            try {
                Deployment d = client.apps().deployments().inNamespace("jitsi").withName("jvb").get();
                int want = d.getSpec().getReplicas();
                int have = d.getStatus().getReplicas() == null ? 0 : d.getStatus().getReplicas();
                if (have != want) {
                    int next = have + Integer.signum(want - have);
                    d.getStatus().setReplicas(next);
                    d.getStatus().setReadyReplicas(next);
                    client.apps().deployments().inNamespace("jitsi").resource(d).updateStatus();
                }
            } catch (RuntimeException e) {
                // the next round tries again
            }
        }, 50, 100, TimeUnit.MILLISECONDS);
    }

    @AfterEach
    void stopTheLoop() {
        deploymentController.shutdownNow();
    }

    KubernetesController jvb(Duration timeout) {
        return new KubernetesController("jvb", client, "jitsi", "jvb", timeout, Duration.ofMillis(50));
    }

    Deployment deployment() {
        return client.apps().deployments().inNamespace("jitsi").withName("jvb").get();
    }

    @Test
    void stopScalesToZeroRememberingTheCountAndStartBringsBackThatCountReady() throws Exception {
        KubernetesController jvb = jvb(Duration.ofSeconds(20));
        jvb.probe();
        jvb.stop();
        assertThat(deployment().getSpec().getReplicas()).isZero();
        assertThat(deployment().getStatus().getReplicas()).isZero();
        assertThat(deployment().getMetadata().getAnnotations()).containsEntry(KubernetesController.REPLICAS_BEFORE_RESTORE, "3");
        assertThatThrownBy(jvb::probe).hasMessage("Kubernetes Deployment jitsi/jvb is scaled to 0");

        // a rollback after a restart of the backup-service: a new controller finds the count on the Deployment
        KubernetesController afterRestart = jvb(Duration.ofSeconds(20));
        afterRestart.stop(); // already at 0: the remembered count stays
        assertThat(deployment().getMetadata().getAnnotations()).containsEntry(KubernetesController.REPLICAS_BEFORE_RESTORE, "3");
        afterRestart.start();
        assertThat(deployment().getSpec().getReplicas()).isEqualTo(3);
        assertThat(deployment().getStatus().getReadyReplicas()).isEqualTo(3);
        assertThat(deployment().getMetadata().getAnnotations()).doesNotContainKey(KubernetesController.REPLICAS_BEFORE_RESTORE);
        afterRestart.probe();
    }

    @Test
    void replicasThatDoNotBecomeReadyFailTheStartWithTheStatusSeen() throws Exception {
        KubernetesController jvb = jvb(Duration.ofSeconds(20));
        jvb.stop();
        deploymentController.shutdownNow(); // nothing schedules pods any more
        assertThatThrownBy(() -> jvb(Duration.ofMillis(600)).start())
                .hasMessage("Kubernetes Deployment jitsi/jvb: not 3 ready replicas after 0 s (status replicas 0, ready 0)");
    }

    @Test
    void aMissingDeploymentIsNamed() {
        KubernetesController absent = new KubernetesController("jicofo", client, "jitsi", "jicofo", Duration.ofSeconds(2),
                Duration.ofMillis(50));
        assertThatThrownBy(absent::stop).hasMessage("Kubernetes Deployment jitsi/jicofo does not exist");
    }
}
