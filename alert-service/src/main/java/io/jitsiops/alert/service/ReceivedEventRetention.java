package io.jitsiops.alert.service;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Consumed events are kept only as long as redeliveries can arrive and operators look back
 * ({@code jitsiops.alert.received-event-retention}); at hundreds of events a second they would otherwise grow
 * without bound.
 */
@ApplicationScoped
public class ReceivedEventRetention {
    private static final Logger LOG = Logger.getLogger(ReceivedEventRetention.class);
    private final ReceivedEventRepository repository;
    private final Duration retention;

    public ReceivedEventRetention(ReceivedEventRepository repository,
                                  @ConfigProperty(name = "jitsiops.alert.received-event-retention") Duration retention) {
        this.repository = repository;
        this.retention = retention;
    }

    @Scheduled(every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> trim() {
        return repository.deleteReceivedBefore(Instant.now().minus(retention))
                .invoke(n -> {
                    if (n > 0) {
                        LOG.infof("Deleted %d consumed events older than %s", n, retention);
                    }
                })
                .onFailure().invoke(e -> LOG.warnf("Consumed-event retention skipped: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }
}
