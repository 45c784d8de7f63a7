package io.jitsiops.log.tail;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.jitsiops.log.repository.LogStore;

/** The tail test helpers for tests outside this package. */
public final class TailTestAccess {
    private TailTestAccess() {
    }

    public static void append(Path f, int from, int to) throws IOException {
        TailFiles.append(f, from, to);
    }

    public static FileTailer tailer(Path f, LogStore store, KafkaShipper shipper) {
        return TailFiles.tailer(f, store, shipper);
    }

    public static void drain(FileTailer t) throws IOException {
        TailFiles.drain(t);
    }

    /** Polls (a failing step backs off a little) until the cursor reached {@code size}, for at most 90 s. */
    public static void drainUntilCaughtUp(FileTailer t, long size) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (t.committedPosition() < size && System.nanoTime() < deadline) {
            try {
                if (!t.poll()) {
                    Thread.sleep(200);
                }
            } catch (IOException e) {
                Thread.sleep(500);
            }
        }
    }

    /** The entries topic's value writer of one file (for bench/logs' RecordsBench). */
    public static RecordWriter recordWriter(com.fasterxml.jackson.databind.ObjectMapper json, String component, String format, String file) {
        EntryRecords records = new EntryRecords(json, component, format, file);
        return (e, fileKey, fingerprint, fingerprintLength, category) -> records.write(e, fileKey, fingerprint, fingerprintLength, category);
    }

    /** {@link EntryRecords#write}. */
    public interface RecordWriter {
        byte[] write(io.jitsiops.log.parse.LogEntry e, String fileKey, String fingerprint, int fingerprintLength, String category)
                throws IOException;
    }

    public static List<Integer> lost(String key, int n) {
        return TailFiles.delivery(key, n).lost();
    }
}
