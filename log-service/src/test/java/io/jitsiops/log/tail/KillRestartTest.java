package io.jitsiops.log.tail;

import static io.jitsiops.log.tail.TailFiles.append;
import static io.jitsiops.log.tail.TailFiles.tailer;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import io.jitsiops.events.payload.LogErrorEntry;
import io.jitsiops.log.analysis.MinuteCounts;
import io.jitsiops.log.repository.LogStore;
import io.jitsiops.log.repository.TailCursor;
import io.jitsiops.testkit.JitsiOpsTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The kill -9 × {rename, copytruncate, rotated-while-down} test, in-process and bounded: 100 cycles
 * of writing, rotating and "killing" a tailer on a real file, with the real broker and PostgreSQL. A kill
 * drops the tailer with everything it held in memory, at one of three points: between two steps; after
 * Kafka acknowledged a step's records but before its cursor was committed; in the middle of sending a
 * step (a prefix of its records reached the broker, the rest died with the process). Only what PostgreSQL
 * and Kafka hold survives, exactly as after kill -9. A new tailer then starts from the stored cursor.
 * After the last cycle every line is on the entries topic: none lost, at most one twice. Every other cycle runs with
 * two steps in flight (a second step sent before the first is acknowledged), the others with one (the default).
 */
@QuarkusTest
@QuarkusTestResource(JitsiOpsTestResource.class)
class KillRestartTest {
    private static final Logger LOG = Logger.getLogger(KillRestartTest.class);
    private static final int CYCLES = 100;

    @Inject
    LogStore store;
    @Inject
    KafkaShipper shipper;

    enum Rotation { RENAME, COPYTRUNCATE, ROTATED_WHILE_DOWN }

    enum Kill { BETWEEN_STEPS, AFTER_ACK_BEFORE_COMMIT, MID_SEND }

    static final class Killed extends RuntimeException {
        Killed() {
            super("kill -9");
        }
    }

    @Test
    void hundredKillsAcrossRenameCopytruncateAndRotatedWhileDownLoseNothingAndRepeatAtMostOneLine() throws Exception {
        Path f = Files.createTempDirectory("kill-").resolve("jvb.log");
        Random random = new Random(20261129);
        int written = 0;
        int[] kills = new int[Kill.values().length];
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            Rotation rotation = Rotation.values()[cycle % 3];
            Kill kill = Kill.values()[random.nextInt(3)];
            kills[kill.ordinal()]++;
            int n = 20 + random.nextInt(200);
            append(f, written, written + n);
            written += n;
            if (rotation == Rotation.ROTATED_WHILE_DOWN) {
                // two rotations while no tailer runs, lines written between them
                int m = 5 + random.nextInt(30);
                rotate(f);
                append(f, written, written + m);
                written += m;
                rotate(f);
                int k = 5 + random.nextInt(30);
                append(f, written, written + k);
                written += k;
            }
            int steps = 2 + random.nextInt(4);
            int killAt = random.nextInt(steps);
            // every other cycle with two steps in flight (jitsiops.logs.tail.steps-in-flight=2), the others with one
            FileTailer t = tailer(f, killingStore(kill, killAt), killingShipper(kill, killAt, random), false,
                    io.jitsiops.deployment.DeploymentDescription.LogFormat.jvb, 1 + cycle % 2);
            int[] step = { 0 };
            killed = false;
            try {
                t.start();
                for (; step[0] < steps; step[0]++) {
                    if (step[0] == 1 && rotation != Rotation.ROTATED_WHILE_DOWN) {
                        // rotate while it runs; the lines written just before are not read yet
                        int m = 5 + random.nextInt(40);
                        append(f, written, written + m);
                        written += m;
                        if (rotation == Rotation.RENAME) {
                            rotate(f);
                        } else {
                            copytruncate(f);
                        }
                        int k = 5 + random.nextInt(40);
                        append(f, written, written + k);
                        written += k;
                    }
                    current = step[0];
                    t.poll();
                    if (killed) {
                        break; // the tailer caught the failure, but its process is dead: nothing more runs
                    }
                }
            } catch (Killed expected) {
                // the process is gone
            } finally {
                t.close(); // kill -9 closes the descriptors too; nothing else is flushed
            }
        }
        try (FileTailer last = tailer(f, store, shipper)) {
            last.start();
            TailFiles.drain(last);
        }
        TailFiles.Delivery d = TailFiles.delivery(f.toString(), written);
        LOG.infof("kill/restart: %d cycles, %d lines, kills %s, lost %d, duplicated %d", CYCLES, written,
                java.util.Arrays.toString(kills), d.lost().size(), d.duplicated().size());
        assertThat(d.lost()).isEmpty();
        assertThat(d.duplicated()).hasSizeLessThanOrEqualTo(1);
    }

    /**
     * A file whose cursor was never stored: Kafka acknowledged its first steps, the process died before their cursor
     * was stored, and the file was renamed (logrotate) before the restart. Until stop 22's third round the restart found
     * no cursor, read the new live file from 0 and never the renamed one, whose unread rest was lost; now the file's
     * identity is stored (position 0) before its first records are sent, and the restart resumes in the renamed file.
     * Since the fourth round the identity also carries the key's partition and its end offset taken before the first
     * records: the restart reads back what the first steps shipped and does not ship it again (until then 1,834–2,744
     * lines were shipped twice here).
     */
    @Test
    void aNewFileRenamedAfterItsFirstStepsWereAcknowledgedButBeforeTheirCursorWasStoredIsFinishedAfterTheRestart() throws Exception {
        Path f = Files.createTempDirectory("kill-first-").resolve("jvb.log");
        int written = 10_000; // ~11 steps of 64 KiB: the kill comes long before the file's end
        append(f, 0, written);
        boolean[] died = { false };
        CursorStore diesAtTheFirstStepsCursor = new CursorStore() {
            @Override
            public Optional<TailCursor> cursor(String path) {
                return store.cursor(path);
            }

            @Override
            public void commitStep(TailCursor cursor, Collection<MinuteCounts> minutes, List<LogStore.StoredError> errors) {
                if (cursor.position() > 0) { // a step's cursor: the process dies before it is stored
                    died[0] = true;
                    throw new Killed();
                }
                store.commitStep(cursor, minutes, errors);
            }
        };
        FileTailer t = tailer(f, diesAtTheFirstStepsCursor, shipper);
        try {
            t.start();
            for (int i = 0; i < 50 && !died[0]; i++) {
                t.poll();
            }
        } finally {
            t.close(); // kill -9: nothing else is flushed
        }
        assertThat(died[0]).as("the first step's cursor was about to be stored").isTrue();
        assertThat(TailFiles.shipped(f.toString())).as("Kafka acknowledged the first step before the kill").isNotEmpty();
        rotate(f); // renamed while no tailer runs
        append(f, written, written + 100);
        written += 100;
        try (FileTailer restarted = tailer(f, store, shipper)) {
            restarted.start();
            TailFiles.drain(restarted);
        }
        TailFiles.Delivery d = TailFiles.delivery(f.toString(), written);
        LOG.infof("first steps acknowledged, cursor not stored, renamed, restarted: %d lines, lost %d, duplicated %d",
                written, d.lost().size(), d.duplicated().size());
        assertThat(d.lost()).isEmpty();
        assertThat(d.duplicated()).as("read back from the partition's end stored with the identity").hasSizeLessThanOrEqualTo(1);
    }

    private int current;
    private volatile boolean killed;

    private CursorStore killingStore(Kill kill, int killAt) {
        return TailFiles.failingCommits(store, () -> {
            if (kill == Kill.AFTER_ACK_BEFORE_COMMIT && current == killAt) {
                killed = true;
                return new Killed();
            }
            return null;
        });
    }

    private Shipper killingShipper(Kill kill, int killAt, Random random) {
        return new Shipper() {
            @Override
            public com.fasterxml.jackson.databind.ObjectMapper json() {
                return shipper.json();
            }

            @Override
            public Ack ship(String key, List<byte[]> entries, List<LogErrorEntry> immediate) throws Exception {
                return send(key, entries, immediate).await();
            }

            @Override
            public Sent send(String key, List<byte[]> entries, List<LogErrorEntry> immediate) throws Exception {
                if (kill == Kill.MID_SEND && current == killAt && !entries.isEmpty()) {
                    int reached = random.nextInt(entries.size());
                    shipper.ship(key, entries.subList(0, reached), List.of()); // what reached the broker
                    killed = true;
                    throw new Killed();
                }
                if (kill == Kill.BETWEEN_STEPS && current > killAt) {
                    killed = true;
                    throw new Killed();
                }
                return shipper.send(key, entries, immediate); // acknowledged while the tailer parses its next step
            }

            @Override
            public Ack positionBefore(String key) {
                return shipper.positionBefore(key);
            }

            @Override
            public Map<Generation, Long> shippedAfter(String key, Integer partition, Long offset) {
                return shipper.shippedAfter(key, partition, offset);
            }
        };
    }

    /**
     * logrotate's rename scheme: name.2 → name.3, name.1 → name.2, name → name.1, then a new name. Rotated
     * files are kept (rotate 99): deleting one the tailer has not finished loses it, whatever the tailer does.
     */
    private static void rotate(Path f) throws IOException {
        for (int i = 98; i >= 1; i--) {
            Path from = f.resolveSibling(f.getFileName() + "." + i);
            if (Files.exists(from)) {
                Files.move(from, f.resolveSibling(f.getFileName() + "." + (i + 1)), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(f, f.resolveSibling(f.getFileName() + ".1"));
        Files.createFile(f);
        sleepForDistinctTimes();
    }

    /** logrotate's copytruncate: shift, copy to name.1, truncate in place. */
    private static void copytruncate(Path f) throws IOException {
        for (int i = 98; i >= 1; i--) {
            Path from = f.resolveSibling(f.getFileName() + "." + i);
            if (Files.exists(from)) {
                Files.move(from, f.resolveSibling(f.getFileName() + "." + (i + 1)), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.copy(f, f.resolveSibling(f.getFileName() + ".1"));
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
        sleepForDistinctTimes();
    }

    private static void sleepForDistinctTimes() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
