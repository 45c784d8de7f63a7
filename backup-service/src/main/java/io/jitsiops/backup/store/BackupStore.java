package io.jitsiops.backup.store;

import java.io.IOException;
import java.io.InputStream;
import java.util.Set;

/** Where the objects of a backup are kept: the local folder or S3. Every method blocks (worker threads only). */
public interface BackupStore {

    /** {@code local} or {@code s3}. */
    String name();

    /** Where a backup's objects are, for people (a path or an s3:// URI). */
    String location(String backupId);

    /** Reads one object of a committed backup. */
    InputStream open(String backupId, String object) throws IOException;

    /** Size of one stored object, or -1 when it is not there. */
    long size(String backupId, String object) throws IOException;

    /** Removes every object of a backup (committed or half-written); nothing there is fine. */
    void delete(String backupId) throws IOException;

    /** The ids of the backups with at least one object here (committed or not), to find orphans. */
    Set<String> backupIds() throws IOException;
}
