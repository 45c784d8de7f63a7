package io.jitsiops.backup.service;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.jitsiops.events.kafka.EventPublisher;
import io.jitsiops.events.payload.BackupLifecycle;
import io.jitsiops.events.payload.BackupPhase;

/**
 * Lifecycle events on {@code jitsi-ops.backups}. Sending never blocks the backup: the producer keeps order per
 * backup (the record key) and retries; a send that finally fails is logged. Errors carry reasons, never secrets.
 */
@ApplicationScoped
public class BackupEvents {
    private static final Logger LOG = Logger.getLogger(BackupEvents.class);
    private final EventPublisher publisher;

    public BackupEvents(EventPublisher publisher) {
        this.publisher = publisher;
    }

    public void publish(BackupLifecycle event) {
        publisher.publish(event).subscribe().with(ok -> {
        }, e -> LOG.warnf("Backup event %s of %s not delivered: %s", event.phase(), event.backupId(), e.getMessage()));
    }

    public void phase(String backupId, BackupPhase phase, String schedule, List<String> parts, String location,
                      Long size, String sha256, String step, String error) {
        publish(new BackupLifecycle(backupId, phase, schedule, parts, location, size, sha256, step, error, Instant.now()));
    }
}
