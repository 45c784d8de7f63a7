package io.jitsiops.backup.rest;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.jitsiops.backup.repository.BackupRecord;

/** A backup as the API shows it; the manifest and verification only for a single backup. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackupView(String id, String schedule, String status, List<String> components, String localPath,
                         String remoteUri, Long sizeBytes, String manifestSha256, String keyId, String error,
                         Instant startedAt, Instant completedAt, Instant verifiedAt, Long rtoMillis, Instant readCheckedAt,
                         Map<String, Object> manifest, Map<String, Object> verification) {

    static BackupView of(BackupRecord r, boolean details) {
        return new BackupView(r.id(), r.schedule(), r.status(), r.components(), r.localPath(), r.remoteUri(), r.sizeBytes(),
                r.manifestSha256(), r.keyId(), r.error(), r.startedAt(), r.completedAt(), r.verifiedAt(), r.rtoMs(),
                r.readCheckedAt(), details ? r.manifest() : null, details ? r.verification() : null);
    }
}
