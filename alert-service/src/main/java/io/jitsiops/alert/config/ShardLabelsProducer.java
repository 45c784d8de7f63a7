package io.jitsiops.alert.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.jitsiops.alert.evaluate.DeploymentTargets;
import io.jitsiops.alert.evaluate.ShardLabels;
import io.jitsiops.deployment.DeploymentDescription;
import io.jitsiops.deployment.DeploymentDescriptions;
import io.quarkus.runtime.StartupEvent;

/**
 * What alert-service takes from the deployment description: the shard of each target ({@link ShardLabels}) and the
 * Jitsi targets it names ({@link DeploymentTargets}).
 * <p>
 * The shard of every target the deployment description names ({@code jitsi.jicofo[].shard}, {@code jitsi.jvb[].shard};
 * any Jitsi target may carry one): what the derived {@code shard} label of an alert is read from. Target names are
 * unique across the description (it refuses duplicates), so the target alone decides the shard.
 * <p>
 * The description is read here with module deployment-descriptor's reader rather than through its shared bean
 * ({@code DeploymentDescriptionProducer}), because for alert-service it is optional: that bean stops the start-up when
 * the file is missing, and alert-service also runs where no description is mounted (a Prometheus-only installation
 * has none; k8s/base mounts it, as for every service that reads it — deploy/k8s-check holds the manifests to that). A missing file is logged and gives no shard
 * labels; a file that is there but invalid stops the start-up naming the bad key, as in every other service.
 */
@ApplicationScoped
public class ShardLabelsProducer {
    private static final Logger LOG = Logger.getLogger(ShardLabelsProducer.class);

    @Produces
    @Singleton
    ShardLabels shardLabels(@ConfigProperty(name = "jitsiops.deployment.file") String file) {
        Path path = Path.of(file).toAbsolutePath();
        if (!Files.isRegularFile(path)) {
            LOG.warnf("No deployment description at %s (jitsiops.deployment.file, JITSIOPS_DEPLOYMENT_FILE): alerts carry no "
                    + "derived shard label", path);
            return ShardLabels.NONE;
        }
        DeploymentDescription description = DeploymentDescriptions.load(path);
        ShardLabels labels = fromDescription(description);
        LOG.infof("Derived shard label: %d targets of deployment '%s' (%s) name a shard", labels.shardByTarget().size(),
                description.name(), path);
        return labels;
    }

    /**
     * The Jitsi targets the description names, so that the absence of a target taken out of it does not fire
     * ({@link DeploymentTargets}); none retired without a description.
     */
    @Produces
    @Singleton
    DeploymentTargets deploymentTargets(@ConfigProperty(name = "jitsiops.deployment.file") String file) {
        Path path = Path.of(file).toAbsolutePath();
        if (!Files.isRegularFile(path)) {
            return DeploymentTargets.NONE;
        }
        return fromDescriptionTargets(DeploymentDescriptions.load(path));
    }

    /** The Jitsi targets of the description by component; every component present, an empty list when it lists none. */
    public static DeploymentTargets fromDescriptionTargets(DeploymentDescription description) {
        Map<String, List<String>> names = new HashMap<>();
        DeploymentDescription.Jitsi jitsi = description.jitsi();
        if (jitsi != null) {
            names.put("prosody", jitsi.prosody().stream().map(DeploymentDescription.Target::name).toList());
            names.put("jicofo", jitsi.jicofo().stream().map(DeploymentDescription.Target::name).toList());
            names.put("jvb", jitsi.jvb().stream().map(DeploymentDescription.Target::name).toList());
            names.put("web", jitsi.web().stream().map(DeploymentDescription.Target::name).toList());
        }
        return DeploymentTargets.of(names);
    }

    /**
     * Reads the description when the application starts, not when a bean first needs it (that can be a worker or
     * Kafka thread after the start), so that an invalid file stops the start-up naming the key.
     */
    void onStart(@Observes StartupEvent event, ShardLabels shards, DeploymentTargets targets) {
        // producing the labels is the validation
    }

    /** The shard of every Jitsi target of the description that names one. */
    public static ShardLabels fromDescription(DeploymentDescription description) {
        Map<String, String> shards = new HashMap<>();
        DeploymentDescription.Jitsi jitsi = description.jitsi();
        if (jitsi != null) {
            for (List<DeploymentDescription.Target> targets : List.of(jitsi.prosody(), jitsi.jicofo(), jitsi.jvb(), jitsi.web())) {
                targets.forEach(t -> shards.put(t.name(), t.shard()));
            }
        }
        return ShardLabels.of(shards);
    }
}
