package io.jitsiops.events.payload;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import io.jitsiops.events.EventPayload;

/**
 * One step in a backup's (or restore's) life.
 *
 * @param schedule daily, weekly, monthly or manual
 * @param parts    the parts the backup holds (configurations, certificates, database names)
 * @param location where it is stored (local path or s3:// URI)
 * @param step     for restore steps, which one (e.g. {@code restore-configurations})
 */
public record BackupLifecycle(
        String backupId,
        BackupPhase phase,
        String schedule,
        List<String> parts,
        String location,
        Long sizeBytes,
        String sha256,
        String step,
        String error,
        Instant at) implements EventPayload {

    public BackupLifecycle {
        Objects.requireNonNull(backupId, "backupId");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(at, "at");
        parts = parts == null ? List.of() : List.copyOf(parts);
    }

    @Override
    public String subject() {
        return "backup/" + backupId;
    }
}
