package io.jitsiops.health.service;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.jitsiops.health.config.HealthConfig;
import io.jitsiops.health.repository.CheckResultRepository;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/** Deletes check history older than {@code jitsiops.health.history-retention}. */
@ApplicationScoped
public class HistoryRetention {
    private static final Logger LOG = Logger.getLogger(HistoryRetention.class);
    private final CheckResultRepository repository;
    private final HealthConfig config;

    public HistoryRetention(CheckResultRepository repository, HealthConfig config) {
        this.repository = repository;
        this.config = config;
    }

    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> trim() {
        return repository.deleteOlderThan(Instant.now().minus(config.historyRetention()))
                .invoke(n -> {
                    if (n > 0) {
                        LOG.infof("Deleted %d check results older than %s", n, config.historyRetention());
                    }
                })
                .onFailure().invoke(e -> LOG.warnf("History retention skipped: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }
}
