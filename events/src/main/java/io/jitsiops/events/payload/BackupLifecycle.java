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
 * @param rpoSeconds optional: age of the newest verified backup (recovery point), on VERIFIED and STALE
 * @param rtoSeconds optional: how long the verification restore of this backup took (recovery time), on VERIFIED
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
        Instant at,
        Long rpoSeconds,
        Long rtoSeconds) implements EventPayload {

    /** Without the optional recovery figures. */
    public BackupLifecycle(String backupId, BackupPhase phase, String schedule, List<String> parts, String location,
                           Long sizeBytes, String sha256, String step, String error, Instant at) {
        this(backupId, phase, schedule, parts, location, sizeBytes, sha256, step, error, at, null, null);
    }

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
