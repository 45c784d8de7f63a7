package io.jitsiops.log.tail;

import static io.jitsiops.log.tail.TailFiles.append;
import static io.jitsiops.log.tail.TailFiles.delivery;
import static io.jitsiops.log.tail.TailFiles.drain;
import static io.jitsiops.log.tail.TailFiles.tailer;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.channels.FileChannel;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.jitsiops.events.payload.LogErrorEntry;
import io.jitsiops.log.analysis.MinuteCounts;
import io.jitsiops.log.repository.LogStore;
import io.jitsiops.log.repository.TailCursor;
import io.jitsiops.testkit.JitsiOpsTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The sequence that lost whole generations under kill -9 with rename rotation (bench/logs/kill9.sh), replayed
 * deterministically in-process on real files, the real broker and PostgreSQL: a service restarted behind the
 * writer resumes in an old rotated file, and while it moves on to the next rotated file logrotate shifts every
 * name by one ({@code name.2 -> name.3}, {@code name.1 -> name.2}, …). The tailer looked at {@code name.2}
 * expecting the next generation and found the one after it there: the generation in between was never read.
 */
@QuarkusTest
@QuarkusTestResource(JitsiOpsTestResource.class)
class RotationRaceTest {
    @Inject
    LogStore store;
    @Inject
    KafkaShipper shipper;

    @Test
    void aRotationShiftingTheNamesWhileTheTailerMovesOnSkipsNoGeneration() throws Exception {
        Path f = Files.createTempDirectory("race-").resolve("jvb.log");
        append(f, 0, 100);
        try (FileTailer before = tailer(f, store, shipper)) { // the service before the crash
            before.start();
            drain(before);
        }
        // while it is dead: lines written, three rotations (A = jvb.log.3, B = .2, C = .1, D live)
        append(f, 100, 150);
        rotate(f);
        append(f, 150, 250);
        rotate(f);
        append(f, 250, 350);
        rotate(f);
        append(f, 350, 450);
        try (FileTailer after = tailer(f, store, shipper)) {
            int[] looks = { 0 };
            after.siblingLook = p -> {
                // A is looked at first; just before the look at the next one, logrotate shifts every name
                if (++looks[0] == 2) {
                    rotate(f);
                    try {
                        append(f, 450, 500);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            };
            after.start();
            drain(after);
        }
        assertThat(delivery(f.toString(), 500)).isEqualTo(new TailFiles.Delivery(List.of(), List.of()));
    }

    @Test
    void aCursorsFingerprintCoversTheBytesBeforeItsPositionEvenForAFileRenamedBeforeItsFirstRead() throws Exception {
        Path f = Files.createTempDirectory("short-fingerprint-").resolve("jvb.log");
        append(f, 0, 10);
        try (FileTailer t = tailer(f, store, shipper)) {
            t.start();
            drain(t);
            rotate(f); // the live file is created empty: opened with nothing to fingerprint
            drain(t);
            append(f, 10, 30); // written, then renamed away before the tailer looked at it again
            rotate(f);
            t.poll(); // finds it renamed: reads it to its end as a rotated file
            assertThat(t.awaitCommits(java.time.Duration.ofSeconds(30))).isTrue(); // its cursor, stored off the thread
            TailCursor c = store.cursor(f.toString()).orElseThrow();
            assertThat(c.fingerprintLength()).isGreaterThanOrEqualTo((int) Math.min(c.position(), 1024));
            drain(t);
        }
        assertThat(delivery(f.toString(), 30)).isEqualTo(new TailFiles.Delivery(List.of(), List.of()));
    }

    @Test
    void aCopytruncateWhileARestartedTailerLooksUpWhatKafkaHoldsRepeatsNothing() throws Exception {
        Path f = Files.createTempDirectory("copytruncate-race-").resolve("jvb.log");
        append(f, 0, 100);
        try (FileTailer t = tailer(f, store, shipper)) {
            t.start();
            drain(t);
        }
        append(f, 100, 130);
        // the process that dies: its step reaches Kafka and is acknowledged, the cursor's commit never happens
        CursorStore dies = TailFiles.failingCommits(store, () -> new IllegalStateException("kill -9"));
        try (FileTailer t = tailer(f, dies, shipper)) {
            t.start();
            t.poll(); // read and sent
            t.poll(); // acknowledged; the commit fails
        }
        // the next process: logrotate's copytruncate runs while it asks Kafka what came after its cursor
        Shipper racing = new Shipper() {
            @Override
            public Ack ship(String key, List<byte[]> entries, List<LogErrorEntry> immediate) throws Exception {
                return shipper.ship(key, entries, immediate);
            }

            @Override
            public Sent send(String key, List<byte[]> entries, List<LogErrorEntry> immediate) throws Exception {
                return shipper.send(key, entries, immediate);
            }

            @Override
            public com.fasterxml.jackson.databind.ObjectMapper json() {
                return shipper.json();
            }

            @Override
            public Map<Generation, Long> shippedAfter(String key, Integer partition, Long offset) {
                Map<Generation, Long> found = shipper.shippedAfter(key, partition, offset);
                try {
                    Files.copy(f, f.resolveSibling("jvb.log.1"));
                    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                        ch.truncate(0);
                    }
                    append(f, 130, 140);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return found;
            }
        };
        try (FileTailer t = tailer(f, store, racing)) {
            t.start();
            drain(t);
        }
        assertThat(delivery(f.toString(), 140)).isEqualTo(new TailFiles.Delivery(List.of(), List.of()));
    }

    /**
     * kill9's copytruncate duplicates (8 lines shipped twice in a 60-cycle run): a copytruncate finds the tailer at
     * the end of the file (the copy holds nothing unread), so it reads the live file again from 0 and ships its new
     * first lines under the live file's inode; it dies before their cursor is stored. While it is dead a second
     * copytruncate moves those lines into a new copy (another inode). The restarted tailer resumes in the first
     * copy, then opens the second as a rotated file of its own from 0: what Kafka held of it, shipped under the
     * live file's inode, was not recognised, and its first lines were shipped again.
     */
    @Test
    void linesReadFromTheLiveFileBeforeACrashAreNotShippedAgainFromTheCopytruncateCopyThatHoldsThemAfterTheRestart()
            throws Exception {
        Path f = Files.createTempDirectory("copytruncate-copy-").resolve("jvb.log");
        append(f, 0, 100);
        java.util.concurrent.atomic.AtomicBoolean killed = new java.util.concurrent.atomic.AtomicBoolean();
        CursorStore dies = TailFiles.failingCommits(store, () -> killed.get() ? new IllegalStateException("kill -9") : null);
        try (FileTailer t = tailer(f, dies, shipper)) {
            t.start();
            drain(t); // every line read and its cursor stored: the copy below holds nothing unread
            copytruncate(f);
            append(f, 100, 108);
            killed.set(true); // its next commits never happen
            for (int i = 0; i < 50 && t.failedSteps() == 0; i++) {
                t.poll(); // the truncation, lines 100.. read from 0 and shipped; their cursor's commit fails
            }
            assertThat(t.failedSteps()).isPositive();
            assertThat(TailFiles.shipped(f.toString())).containsKey(100); // Kafka holds the first of them
        }
        copytruncate(f); // while it is dead: lines 100..107 are now in jvb.log.1, jvb.log.2 holds 0..99
        append(f, 108, 120);
        try (FileTailer t = tailer(f, store, shipper)) {
            t.start();
            drain(t);
        }
        assertThat(delivery(f.toString(), 120)).isEqualTo(new TailFiles.Delivery(List.of(), List.of()));
    }

    /** logrotate's copytruncate (rotate 99): the names shifted by one, the file copied to name.1 (its times kept), truncated. */
    private static void copytruncate(Path f) throws IOException, InterruptedException {
        Thread.sleep(20); // distinct modification times
        for (int i = 98; i >= 1; i--) {
            Path from = f.resolveSibling(f.getFileName() + "." + i);
            if (Files.exists(from)) {
                Files.move(from, f.resolveSibling(f.getFileName() + "." + (i + 1)), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        TailFiles.copytruncate(f);
        Thread.sleep(20);
    }

    /** logrotate's rename scheme (rotate 99): name.2 -> name.3, name.1 -> name.2, name -> name.1, a new name. */
    private static void rotate(Path f) {
        try {
            for (int i = 98; i >= 1; i--) {
                Path from = f.resolveSibling(f.getFileName() + "." + i);
                if (Files.exists(from)) {
                    Files.move(from, f.resolveSibling(f.getFileName() + "." + (i + 1)), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.move(f, f.resolveSibling(f.getFileName() + ".1"));
            Files.createFile(f);
            Thread.sleep(5); // distinct modification times
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
