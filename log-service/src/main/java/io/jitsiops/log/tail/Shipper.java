package io.jitsiops.log.tail;

import java.util.List;

import io.jitsiops.events.payload.LogErrorEntry;

/** Where a tail step's records go; {@link #ship} returns only once Kafka acknowledged every one of them. */
public interface Shipper {

    /** The last acknowledged record of a step: where a restart looks for records shipped after the cursor. */
    record Ack(int partition, long offset) {
    }

    /**
     * @param key       the record key (the source path: one file's records stay in one partition, in order)
     * @param entries   record values for the entries topic (a {@link ShippedEntry} each, as JSON)
     * @param immediate high-priority entries for jitsi-ops.logs
     * @return the last entry record's partition and offset, or null when {@code entries} was empty
     * @throws Exception when anything was not acknowledged in time: the step's cursor must not move
     */
    Ack ship(String key, List<byte[]> entries, List<LogErrorEntry> immediate) throws Exception;

    /** Records handed to Kafka whose acknowledgement is still to come. */
    interface Sent {
        /**
         * @return as {@link #ship}: the last entry record's partition and offset, or null when there was none
         * @throws Exception when anything was not acknowledged in time: the step's cursor must not move
         */
        Ack await() throws Exception;

        /**
         * Waits at most {@code max} for every acknowledgement (or a failure) to arrive; whether it did, i.e. whether
         * {@link #await} now returns (or throws) at once. Also true once the shipper stopped waiting for them.
         */
        default boolean arrived(java.time.Duration max) throws InterruptedException {
            return true;
        }

        /**
         * Whether handing its records to the producer failed (Kafka away at the hand-over, or too slow), as far as known
         * now. A step sent after it under the same key checks it before handing over its own records: none of them may
         * reach Kafka ahead of this step's, which are shipped again from the stored cursor.
         */
        default boolean handFailed() {
            return false;
        }
    }

    /**
     * Hands the records to Kafka in order and returns before their acknowledgement, so that the tailer parses its
     * next step meanwhile; {@link Sent#await} before anything else is sent under the same key. By default, sends
     * and waits at once.
     */
    default Sent send(String key, List<byte[]> entries, List<LogErrorEntry> immediate) throws Exception {
        Ack ack = ship(key, entries, immediate);
        return () -> ack;
    }

    /** A step's record values, built one at a time when they are handed to Kafka (in order, by one thread at a time). */
    interface Records {
        int size();

        byte[] value(int i) throws java.io.IOException;

        /** Values already written. */
        static Records of(List<byte[]> values) {
            return new Records() {
                @Override
                public int size() {
                    return values.size();
                }

                @Override
                public byte[] value(int i) {
                    return values.get(i);
                }
            };
        }
    }

    /**
     * As {@link #send(String, List, List)}, the values built by the shipper: {@link KafkaShipper} builds and hands
     * them to Kafka on a thread of its own while the tailer reads and parses its next step. By default, built here.
     */
    default Sent send(String key, Records records, List<LogErrorEntry> immediate) throws Exception {
        List<byte[]> values = new java.util.ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            values.add(records.value(i));
        }
        return send(key, values, immediate);
    }

    /**
     * Runs {@code work} on the thread that builds {@code key}'s {@link Records} values and hands them to Kafka, after
     * what was sent before under the key: a tailer shares writing a step's values with it while the step before waits
     * for its acknowledgement. Whatever {@code work} uses is used by that thread only, as the values of {@link Records}
     * are. By default, here (where {@link #send(String, Records, List)} builds them too).
     */
    default <T> java.util.concurrent.CompletableFuture<T> onWriter(String key, java.util.concurrent.Callable<T> work) {
        try {
            return java.util.concurrent.CompletableFuture.completedFuture(work.call());
        } catch (Exception e) {
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
    }

    /** The JSON mapper of the record values (the application's: its Java time and record settings). */
    com.fasterxml.jackson.databind.ObjectMapper json();

    /** A generation of a file: inode and the fingerprint its records were shipped with. */
    record Generation(String fileKey, int fingerprintLength, String fingerprint) {
    }

    /**
     * Where the records sent under {@code key} from now on will go: the key's partition and that partition's last offset
     * now (-1 when it is empty), taken before anything is sent. A cursor stored with it before a file's first records
     * lets a restart read back ({@link #shippedAfter}, from the record after it) what was shipped after it, as an
     * acknowledged record's position does. Null when not known: a restart then ships those records again (duplicates,
     * never a loss).
     */
    default Ack positionBefore(String key) {
        return null;
    }

    /**
     * The largest {@code end} per file generation of the entries shipped under {@code key} after the record at
     * {@code partition}/{@code offset}: what a crash between Kafka's acknowledgement and the cursor's commit
     * left shipped but not recorded. Empty when there is nothing (or no offset).
     */
    java.util.Map<Generation, Long> shippedAfter(String key, Integer partition, Long offset);
}
