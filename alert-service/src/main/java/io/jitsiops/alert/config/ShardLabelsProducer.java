package io.jitsiops.alert.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    /** The description read once for both producers: empty when there is no file. */
    private Optional<DeploymentDescription> description;

    private synchronized Optional<DeploymentDescription> description(String file) {
        if (description == null) {
            Path path = Path.of(file).toAbsolutePath();
            if (Files.isRegularFile(path)) {
                description = Optional.of(DeploymentDescriptions.load(path));
            } else {
                LOG.warnf("No deployment description at %s (jitsiops.deployment.file, JITSIOPS_DEPLOYMENT_FILE): alerts carry "
                        + "no derived shard label and no target is retired", path);
                description = Optional.empty();
            }
        }
        return description;
    }

    @Produces
    @Singleton
    ShardLabels shardLabels(@ConfigProperty(name = "jitsiops.deployment.file") String file) {
        return description(file).map(d -> {
            ShardLabels labels = fromDescription(d);
            LOG.infof("Derived shard label: %d targets of deployment '%s' (%s) name a shard", labels.shardByTarget().size(),
                    d.name(), Path.of(file).toAbsolutePath());
            return labels;
        }).orElse(ShardLabels.NONE);
    }

    /**
     * The Jitsi targets the description names, so that the absence of a target taken out of it does not fire
     * ({@link DeploymentTargets}); none retired without a description.
     */
    @Produces
    @Singleton
    DeploymentTargets deploymentTargets(@ConfigProperty(name = "jitsiops.deployment.file") String file) {
        return description(file).map(ShardLabelsProducer::fromDescriptionTargets).orElse(DeploymentTargets.NONE);
    }

    /**
     * Reads the description when the application starts, not when a bean first needs it (that can be a worker or
     * Kafka thread after the start), so that an invalid file stops the start-up naming the key.
     */
    void onStart(@Observes StartupEvent event, ShardLabels shards, DeploymentTargets targets) {
        // producing the labels is the validation
    }

    /** The Jitsi targets of the description by component: prosody, jicofo, jvb, web (none without a jitsi section). */
    private static Map<String, List<DeploymentDescription.Target>> jitsiTargets(DeploymentDescription description) {
        DeploymentDescription.Jitsi jitsi = description.jitsi();
        return jitsi == null ? Map.of()
                : Map.of("prosody", jitsi.prosody(), "jicofo", jitsi.jicofo(), "jvb", jitsi.jvb(), "web", jitsi.web());
    }

    /** The Jitsi target names of the description by component; a component it lists none of has none. */
    public static DeploymentTargets fromDescriptionTargets(DeploymentDescription description) {
        Map<String, List<String>> names = new HashMap<>();
        jitsiTargets(description).forEach((component, targets) ->
                names.put(component, targets.stream().map(DeploymentDescription.Target::name).toList()));
        return DeploymentTargets.of(names);
    }

    /** The shard of every Jitsi target of the description that names one. */
    public static ShardLabels fromDescription(DeploymentDescription description) {
        Map<String, String> shards = new HashMap<>();
        jitsiTargets(description).values().forEach(targets -> targets.forEach(t -> shards.put(t.name(), t.shard())));
        return ShardLabels.of(shards);
    }
}
