package io.jitsiops.log.repository;

/**
 * Where a file was read up to: every entry before {@code position} was acknowledged by Kafka.
 *
 * @param path           the configured (or glob-matched) path
 * @param fileKey        device:inode of the file the position belongs to
 * @param fingerprint    hash of the file's first {@code fingerprintLength} bytes
 * @param kafkaPartition partition of the last acknowledged record of this file, or null
 * @param kafkaOffset    its offset, or null
 */
public record TailCursor(String path, String fileKey, String fingerprint, int fingerprintLength, long position,
                         Integer kafkaPartition, Long kafkaOffset) {
}
