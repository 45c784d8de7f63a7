package io.jitsiops.log.tail;

import static io.jitsiops.log.tail.TailFiles.append;
import static io.jitsiops.log.tail.TailFiles.delivery;
import static io.jitsiops.log.tail.TailFiles.drain;
import static io.jitsiops.log.tail.TailFiles.tailer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.jitsiops.events.payload.LogErrorEntry;
import io.jitsiops.log.repository.LogStore;
import io.jitsiops.log.repository.TailCursor;
import io.jitsiops.testkit.JitsiOpsTestResource;
import io.jitsiops.testkit.LocalServers;
import io.jitsiops.testkit.server.KafkaServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The end of a rotated file and a truncation without a copy wait for the last step's acknowledgement as every step
 * does: parked between polls, never blocking the tailer's thread on it (which lasted up to ack-timeout + 2 s with
 * Kafka away), and the cursor still moves only once Kafka acknowledged. The acknowledgement is held back by the test:
 * a tailer that waited for it in the thread would call {@code await()} on it, which fails the test at once.
 */
@QuarkusTest
@QuarkusTestResource(JitsiOpsTestResource.class)
class AcknowledgementWaitTest {
    @Inject
    LogStore store;
    @Inject
    KafkaShipper shipper;

    @Test
    void theEndOfARenamedFileWaitsParkedForItsLastAcknowledgementBeforeTheCursorMovesToTheNewFile() throws Exception {
        Path f = Files.createTempDirectory("ack-wait-rename-").resolve("jvb.log");
        HeldShipper held = new HeldShipper();
        append(f, 0, 100);
        try (FileTailer t = tailer(f, store, held)) {
            t.start();
            drain(t);
            append(f, 100, 120);
            Files.move(f, f.resolveSibling("jvb.log.1"));
            append(f, 120, 130);
            String oldFile = FileIdentity.key(f.resolveSibling("jvb.log.1"));
            t.poll(); // the old file's last lines read and sent; its last entry waits for the file's end
            held.last.await(); // acknowledged by Kafka (its cursor is stored at the next poll)
            held.hold = true; // what is sent from now on is not acknowledged until released
            t.poll(); // the file ends: its last entry sent (held), the move to the new file waits for it
            assertThat(t.awaitCommits(Duration.ofSeconds(30))).isTrue(); // the step acknowledged before: stored off the thread
            TailCursor c = store.cursor(f.toString()).orElseThrow();
            assertThat(t.poll()).isFalse();
            assertThat(t.waitingForKafka()).isTrue();
            assertThat(store.cursor(f.toString()).orElseThrow()).isEqualTo(c);
            assertThat(c.fileKey()).isEqualTo(oldFile);
            assertThat(c.position()).isLessThan(Files.size(f.resolveSibling("jvb.log.1"))); // the last entry is not behind it
            held.hold = false;
            drain(t);
            assertThat(store.cursor(f.toString()).orElseThrow().fileKey()).isEqualTo(FileIdentity.key(f));
        }
        assertThat(delivery(f.toString(), 130)).isEqualTo(new TailFiles.Delivery(List.of(), List.of()));
    }

    @Test
    void aBurstWrittenWhileKafkaHoldsTheAcknowledgementIsBytesBehindUntilItIsShipped() throws Exception {
        Path f = Files.createTempDirectory("ack-wait-behind-").resolve("jvb.log");
        HeldShipper held = new HeldShipper();
        append(f, 0, 100);
        try (FileTailer t = tailer(f, store, held)) {
            t.start();
            drain(t);
            assertThat(t.meters().bytesBehind()).isZero();
            held.hold = true;
            append(f, 100, 3100); // about 225 KB: four 64 KiB steps
            t.poll(); // the first step read and sent, held
            t.poll(); // the second read, parked behind it: nothing more is read or stored
            long committed = t.committedPosition();
            assertThat(committed).isLessThan(Files.size(f));
            assertThat(t.meters().bytesBehind()).isEqualTo(Files.size(f) - committed);
            held.hold = false;
            drain(t);
            assertThat(t.committedPosition()).isEqualTo(Files.size(f));
            assertThat(t.meters().bytesBehind()).isZero();
            assertThat(t.meters().linesRead()).isEqualTo(3100);
            assertThat(t.meters().entriesShipped()).isEqualTo(3100);
        }
    }

    @Test
    void aTruncationWithoutACopyWaitsParkedForTheAcknowledgementOfTheLastEntriesBeforeReadingFromTheStart() throws Exception {
        Path f = Files.createTempDirectory("ack-wait-truncate-").resolve("jvb.log");
        HeldShipper held = new HeldShipper();
        append(f, 0, 100);
        try (FileTailer t = tailer(f, store, held)) {
            t.start();
            drain(t);
            append(f, 100, 120);
            t.poll(); // read and sent; the last entry waits for its end
            held.last.await();
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                ch.truncate(0); // truncated in place, no copy beside it
            }
            append(f, 120, 130);
            held.hold = true;
            t.poll(); // the step before is acknowledged: its cursor stored; the truncated file's last entry sent, held
            assertThat(t.awaitCommits(Duration.ofSeconds(30))).isTrue(); // (stored off the tailer's thread)
            TailCursor c = store.cursor(f.toString()).orElseThrow();
            assertThat(t.poll()).isFalse();
            assertThat(t.waitingForKafka()).isTrue();
            assertThat(store.cursor(f.toString()).orElseThrow()).isEqualTo(c); // not read again from 0 before it arrives
            assertThat(c.position()).isGreaterThan(0);
            held.hold = false;
            drain(t);
        }
        assertThat(delivery(f.toString(), 130)).isEqualTo(new TailFiles.Delivery(List.of(), List.of()));
    }

    @Test
    void aStepReadWhileTheOneBeforeWaitsForKafkaHasItsRecordsWrittenAheadByTwoThreadsAndShipsEveryLineOnceInOrder() throws Exception {
        Path f = Files.createTempDirectory("ack-wait-ahead-").resolve("jvb.log");
        HeldShipper held = new HeldShipper();
        append(f, 0, 3000); // about 225 KB: four 64 KiB steps
        try (FileTailer t = tailer(f, store, held, 1)) { // one step in flight
            t.start();
            held.hold = true;
            t.poll(); // the first step read and sent, held
            t.poll(); // the second read; the first not acknowledged: its records written ahead (half on the writer thread), parked
            assertThat(t.stepsBuiltAhead()).isEqualTo(1);
            assertThat(t.poll()).isFalse(); // still parked: nothing more read or sent
            assertThat(t.waitingForKafka()).isTrue();
            // no position before Kafka acknowledged: only the file's identity, stored at 0 before its first records went
            // out (a restart after a rename finds the file by it)
            assertThat(store.cursor(f.toString())).hasValueSatisfying(c -> assertThat(c.position()).isZero());
            held.hold = false;
            drain(t);
            assertThat(t.shippedEntries()).isEqualTo(3000);
        }
        assertThat(delivery(f.toString(), 3000)).isEqualTo(new TailFiles.Delivery(List.of(), List.of()));
        List<Integer> order = TailFiles.records(f.toString()).stream().map(r -> r.path("position").asInt()).toList();
        assertThat(order).isSorted().hasSize(3000);
        TailCursor c = store.cursor(f.toString()).orElseThrow();
        assertThat(TailFiles.records(f.toString())).allSatisfy(r -> {
            assertThat(r.path("fileKey").asText()).isEqualTo(c.fileKey());
            assertThat(r.path("fingerprint").asText()).isEqualTo(c.fingerprint());
        });
    }

    @Test
    void aStepWrittenAheadDoesNotWaitForABusyWriterThreadItWritesTheWholeStepItself() throws Exception {
        Path f = Files.createTempDirectory("ack-wait-ahead-busy-").resolve("jvb.log");
        HeldShipper held = new HeldShipper();
        held.writerBusy = true;
        append(f, 0, 3000);
        try (FileTailer t = tailer(f, store, held, 1)) { // one step in flight
            t.start();
            held.hold = true;
            t.poll(); // the first step read and sent, held
            t.poll(); // the second written ahead, all of it here: the writer never takes its half
            assertThat(t.stepsBuiltAhead()).isEqualTo(1);
            assertThat(t.failedSteps()).isZero(); // (a wait for the writer would have failed the step after 60 s)
            held.hold = false;
            drain(t);
            assertThat(t.failedSteps()).isZero();
        }
        assertThat(delivery(f.toString(), 3000)).isEqualTo(new TailFiles.Delivery(List.of(), List.of()));
        assertThat(TailFiles.records(f.toString()).stream().map(r -> r.path("position").asLong()).toList()).isSorted();
    }

    @Test
    void aStepWrittenAheadIsDroppedWhenTheOneBeforeFailsAndEveryLineIsShippedOnceFromTheStoredCursor() throws Exception {
        Path f = Files.createTempDirectory("ack-wait-ahead-fails-").resolve("jvb.log");
        FirstStepFails shipper = new FirstStepFails();
        append(f, 0, 3000);
        try (FileTailer t = tailer(f, store, shipper, 1)) { // one step in flight
            t.start();
            t.poll(); // the first step read and "sent": never acknowledged
            t.poll(); // the second read and written ahead, parked behind the first
            assertThat(t.stepsBuiltAhead()).isEqualTo(1);
            shipper.failed = true; // the first step's acknowledgement arrives as a failure
            drain(t); // back to the stored position (none: 0), the step written ahead dropped, all read and shipped again
            assertThat(t.failedSteps()).isEqualTo(1);
            assertThat(t.lastError()).isNull();
        }
        assertThat(delivery(f.toString(), 3000)).isEqualTo(new TailFiles.Delivery(List.of(), List.of()));
        assertThat(TailFiles.records(f.toString()).stream().map(r -> r.path("position").asLong()).toList()).isSorted();
    }

    @Test
    void withTwoStepsInFlightTheThirdStepWaitsWrittenAheadAndEveryLineIsShippedOnceInOrderWithCursorsStoredInOrder() throws Exception {
        Path f = Files.createTempDirectory("ack-wait-two-").resolve("jvb.log");
        HeldShipper held = new HeldShipper();
        append(f, 0, 100);
        try (FileTailer t = tailer(f, store, held, 2)) {
            t.start();
            drain(t); // a cursor stored: until then one step is in flight (a restart without one could not look up Kafka)
            long stored = store.cursor(f.toString()).orElseThrow().position();
            long aheadBefore = t.stepsBuiltAhead(); // (the last entry of the first lines may have been written ahead)
            append(f, 100, 3100); // about 225 KB: four 64 KiB steps
            held.hold = true;
            t.poll(); // the first step read and sent, held
            t.poll(); // the second read and sent too, held: two in flight
            assertThat(t.stepsBuiltAhead()).isEqualTo(aheadBefore);
            t.poll(); // the third read; two in flight, neither acknowledged: its values written ahead, parked
            assertThat(t.stepsBuiltAhead()).isEqualTo(aheadBefore + 1);
            assertThat(t.poll()).isFalse(); // still parked: nothing more read or sent
            assertThat(t.waitingForKafka()).isTrue();
            assertThat(t.awaitCommits(Duration.ofSeconds(30))).isTrue();
            assertThat(store.cursor(f.toString()).orElseThrow().position()).isEqualTo(stored); // not moved before Kafka acknowledged
            held.hold = false;
            drain(t);
            assertThat(t.shippedEntries()).isEqualTo(3100);
            assertThat(t.failedSteps()).isZero();
            assertThat(store.cursor(f.toString()).orElseThrow().position()).isEqualTo(Files.size(f));
        }
        assertThat(delivery(f.toString(), 3100)).isEqualTo(new TailFiles.Delivery(List.of(), List.of()));
        assertThat(TailFiles.records(f.toString()).stream().map(r -> r.path("position").asLong()).toList()).isSorted().hasSize(3100);
    }

    @Test
    void withTwoStepsInFlightKafkaStoppedUntilTheFirstFailsEveryLineArrivesOnceInOrderFromTheStoredCursor() throws Exception {
        Path f = Files.createTempDirectory("ack-wait-two-kafka-away-").resolve("jvb.log");
        append(f, 0, 100);
        KafkaServer kafka = LocalServers.kafka();
        try (FileTailer t = tailer(f, store, shipper, 2)) {
            t.start();
            drain(t); // a first cursor stored: the failure goes back to it, not to 0
            long stored = store.cursor(f.toString()).orElseThrow().position();
            append(f, 100, 3100); // four 64 KiB steps more
            kafka.stop();
            try {
                t.poll(); // step 1 handed to the producer: Kafka away, it fails after the producer's delivery timeout
                t.poll(); // step 2 sent behind it
                // polled until step 1 fails (step 2 is dropped with it: back to the cursor), and once more, the step
                // sent again failing too: by then the producer gave up step 2's records as well (handed over a
                // moment after step 1's), so none of them can arrive once Kafka is back, even on a slow machine
                await().atMost(Duration.ofSeconds(90)).until(() -> {
                    t.poll();
                    return t.failedSteps() >= 2;
                });
                assertThat(store.cursor(f.toString()).orElseThrow().position()).isEqualTo(stored);
                // A step the tailer gave up waiting for may still be being handed over on the key's writer thread (behind
                // a dropped step's hand-over, blocked up to max.block.ms): a record it hands over after Kafka is back would
                // arrive before the copy sent again (a duplicate the class run saw, line 100). Kafka comes back once that
                // thread has nothing of this file left to hand over (without metadata each hand-over fails at its first record).
                shipper.onWriter(f.toString(), () -> null).get(60, java.util.concurrent.TimeUnit.SECONDS);
            } finally {
                kafka.start();
            }
            await().atMost(Duration.ofSeconds(120)).until(() -> {
                drain(t);
                return t.committedPosition() == Files.size(f);
            });
            assertThat(store.cursor(f.toString()).orElseThrow().position()).isEqualTo(Files.size(f));
        }
        assertThat(delivery(f.toString(), 3100)).isEqualTo(new TailFiles.Delivery(List.of(), List.of()));
        assertThat(TailFiles.records(f.toString()).stream().map(r -> r.path("position").asLong()).toList()).isSorted().hasSize(3100);
    }

    /** The first step is not sent and its acknowledgement fails once {@code failed}; every later step is sent for real. */
    private final class FirstStepFails extends RealShipperBehind {
        volatile boolean failed;
        private boolean first = true;

        @Override
        public Ack ship(String key, List<byte[]> entries, List<LogErrorEntry> immediate) throws Exception {
            return send(key, entries, immediate).await();
        }

        @Override
        public Sent send(String key, List<byte[]> entries, List<LogErrorEntry> immediate) throws Exception {
            if (!first) {
                return shipper.send(key, entries, immediate);
            }
            first = false;
            return new Sent() {
                @Override
                public Ack await() throws Exception {
                    if (!failed) {
                        throw new AssertionError("the tailer's thread waits for an acknowledgement that has not arrived");
                    }
                    throw new java.util.concurrent.TimeoutException("not acknowledged (test)");
                }

                @Override
                public boolean arrived(Duration max) {
                    return failed;
                }
            };
        }
    }

    /**
     * Sends for real; a step sent while {@code hold} is reported as not acknowledged until it is released, and awaiting
     * it meanwhile fails.
     */
    private final class HeldShipper extends RealShipperBehind {
        volatile boolean hold;
        volatile Sent last;

        @Override
        public Ack ship(String key, List<byte[]> entries, List<LogErrorEntry> immediate) throws Exception {
            return send(key, entries, immediate).await();
        }

        @Override
        public Sent send(String key, List<byte[]> entries, List<LogErrorEntry> immediate) throws Exception {
            Sent real = shipper.send(key, entries, immediate);
            last = real;
            boolean heldBack = hold;
            return new Sent() {
                @Override
                public Ack await() throws Exception {
                    if (heldBack && hold) {
                        throw new AssertionError("the tailer's thread waits for an acknowledgement that has not arrived");
                    }
                    return real.await();
                }

                @Override
                public boolean arrived(Duration max) throws InterruptedException {
                    return !(heldBack && hold) && real.arrived(max);
                }
            };
        }

        /** The writer thread busy (e.g. handing another file's step to a producer waiting for Kafka): never gets to it. */
        volatile boolean writerBusy;

        @Override
        public <T> java.util.concurrent.CompletableFuture<T> onWriter(String key, java.util.concurrent.Callable<T> work) {
            if (writerBusy) {
                return new java.util.concurrent.CompletableFuture<>();
            }
            return shipper.onWriter(key, work); // half of a step's values written ahead on the real writer thread
        }
    }

    /** Hands everything but the sending to the real shipper: the test shippers above change only what a send reports. */
    private abstract class RealShipperBehind implements Shipper {
        @Override
        public <T> java.util.concurrent.CompletableFuture<T> onWriter(String key, java.util.concurrent.Callable<T> work) {
            return shipper.onWriter(key, work);
        }

        @Override
        public com.fasterxml.jackson.databind.ObjectMapper json() {
            return shipper.json();
        }

        @Override
        public Map<Generation, Long> shippedAfter(String key, Integer partition, Long offset) {
            return shipper.shippedAfter(key, partition, offset);
        }
    }
}
