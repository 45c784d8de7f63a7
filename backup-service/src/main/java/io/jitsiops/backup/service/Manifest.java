package io.jitsiops.backup.service;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a backup holds, written as {@code manifest.json} after every object and uploaded last. Checksums are of
 * the stored (compressed, encrypted) bytes, so a store can be checked without the key.
 *
 * @param keyId   the id of the key the objects are encrypted with (rotation: restores pick that key)
 * @param tools   versions of what wrote the backup (pg_dump, server, Java, archive format)
 */
public record Manifest(int format, String backupId, String schedule, List<String> components, Instant startedAt,
                       Instant endedAt, String keyId, String encryption, Map<String, String> tools, List<Item> items) {

    public static final int FORMAT = 1;
    public static final String FILE = "manifest.json";

    /**
     * One stored object.
     *
     * @param component   configurations, certificates or databases
     * @param kind        folder (tar.gz) or postgresql (pg_dump custom format)
     * @param source      the folder path or the database name
     * @param object      the object's name in the backup
     * @param storedBytes size of the stored object
     * @param sha256      SHA-256 of the stored object
     * @param plainBytes  bytes before encryption
     * @param files       folder: regular files, folders, links
     * @param rowCounts   database: exact rows per table at dump time
     * @param notes       things worth knowing (skipped special files)
     */
    public record Item(String component, String kind, String source, String object, long storedBytes, String sha256,
                       long plainBytes, Map<String, Long> files, Map<String, Long> rowCounts, List<String> notes) {
    }
}
