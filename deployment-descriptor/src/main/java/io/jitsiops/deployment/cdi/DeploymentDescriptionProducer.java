package io.jitsiops.deployment.cdi;

import java.nio.file.Path;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.jitsiops.deployment.DeploymentDescription;
import io.jitsiops.deployment.DeploymentDescriptions;

/**
 * Gives every service the deployment description named by {@code jitsiops.deployment.file}, read and
 * validated once when the application starts: an invalid file stops the start-up with the bad key named.
 */
@ApplicationScoped
public class DeploymentDescriptionProducer {
    private static final Logger LOG = Logger.getLogger(DeploymentDescriptionProducer.class);
    private final DeploymentDescription description;

    public DeploymentDescriptionProducer(@ConfigProperty(name = "jitsiops.deployment.file") String file) {
        Path path = Path.of(file).toAbsolutePath();
        this.description = DeploymentDescriptions.load(path);
        LOG.infof("Watching deployment '%s' described in %s", description.name(), path);
    }

    @Produces
    @Singleton
    DeploymentDescription description() {
        return description;
    }

    /** Reads the file at start-up rather than at first use, so that a bad file fails the start. */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object started) {
        // constructing this bean is the validation
    }
}
