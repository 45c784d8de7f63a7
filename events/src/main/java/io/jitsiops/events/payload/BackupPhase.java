package io.jitsiops.events.payload;

/** Where a backup or a restore is in its life. */
public enum BackupPhase {
    STARTED, COMPLETED, FAILED, VERIFIED, PRUNED,
    RESTORE_STARTED, RESTORE_STEP, RESTORE_COMPLETED, RESTORE_FAILED, RESTORE_ROLLED_BACK,
    /** The newest verified backup of a component is older than the staleness limit (26 h by default). */
    STALE
}
