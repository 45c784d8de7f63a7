package io.jitsiops.alert.service;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.jitsiops.alert.config.AlertConfig;
import io.jitsiops.alert.repository.AlertRepository;
import io.jitsiops.alert.repository.NotificationRepository;
import io.jitsiops.alert.repository.SilenceRepository;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Keeps what the API shows bounded: resolved alerts, history, delivery records, notification-log entries and
 * ended silences older than {@code jitsiops.alert.retention} are deleted. Active alerts are never deleted.
 */
@ApplicationScoped
public class AlertRetention {
    private static final Logger LOG = Logger.getLogger(AlertRetention.class);
    private final AlertConfig config;
    private final AlertRepository alerts;
    private final NotificationRepository notifications;
    private final SilenceRepository silences;
    private final NotificationService pipeline;

    public AlertRetention(AlertConfig config, AlertRepository alerts, NotificationRepository notifications,
                          SilenceRepository silences, NotificationService pipeline) {
        this.config = config;
        this.pipeline = pipeline;
        this.alerts = alerts;
        this.notifications = notifications;
        this.silences = silences;
    }

    @Scheduled(every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> trim() {
        Instant cutoff = Instant.now().minus(config.retention());
        return alerts.deleteResolvedBefore(cutoff)
                .chain(a -> notifications.deleteBefore(cutoff).map(n -> a + n))
                .chain(n -> silences.deleteEndedBefore(cutoff).map(s -> n + s))
                .invoke(n -> {
                    if (n > 0) {
                        LOG.infof("Deleted %d alert rows, history entries, deliveries and silences older than %s", n,
                                config.retention());
                    }
                })
                // off the event loop: it scans the whole in-memory log and waits for the dispatcher's lock, which a
                // flush of the groups holds
                .emitOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool())
                .invoke(() -> {
                    int forgotten = pipeline.forgetLogBefore(cutoff);
                    if (forgotten > 0) {
                        LOG.infof("Forgot %d notification-log entries of ended groups older than %s", forgotten, config.retention());
                    }
                })
                .onFailure().invoke(e -> LOG.warnf("Alert retention skipped: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }
}
