package io.jitsiops.backup.repository;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A backup in the catalogue. {@code manifest} and {@code verification} are the stored JSON documents. */
public record BackupRecord(String id, String schedule, String status, List<String> components, String localPath,
                           String remoteUri, Long sizeBytes, String manifestSha256, String error, Instant startedAt,
                           Instant completedAt, String keyId, Map<String, Object> manifest,
                           Map<String, Object> verification, Instant verifiedAt, Long rtoMs, Instant readCheckedAt) {

    /** Counted as a backup: written in full (verified or not yet / failed verification). */
    public boolean usable() {
        return "COMPLETED".equals(status) || "VERIFIED".equals(status);
    }
}
