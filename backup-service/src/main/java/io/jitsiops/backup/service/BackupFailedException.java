package io.jitsiops.backup.service;

/** A backup (or verification, or restore) that failed; the message is the reason shown to people and in events. */
public class BackupFailedException extends RuntimeException {
    private final String backupId;

    public BackupFailedException(String backupId, String reason, Throwable cause) {
        super(reason, cause);
        this.backupId = backupId;
    }

    public String backupId() {
        return backupId;
    }
}
