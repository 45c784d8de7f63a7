package io.jitsiops.backup.verify;

import java.time.Instant;
import java.util.List;

/**
 * The outcome of verifying a backup: every check, whether all passed, and how long the restore part took
 * (the backup's measured RTO).
 */
public record Verification(String backupId, boolean ok, Instant startedAt, Instant endedAt, long restoreMillis,
                           List<Check> checks) {

    public List<Check> failures() {
        return checks.stream().filter(c -> !c.ok()).toList();
    }
}
