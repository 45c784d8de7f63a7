package io.jitsiops.log.tail;

import static io.jitsiops.log.tail.TailFiles.append;
import static io.jitsiops.log.tail.TailFiles.copytruncate;
import static io.jitsiops.log.tail.TailFiles.delivery;
import static io.jitsiops.log.tail.TailFiles.drain;
import static io.jitsiops.log.tail.TailFiles.tailer;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.jitsiops.deployment.DeploymentDescription.LogFormat;
import io.jitsiops.log.repository.LogStore;
import io.jitsiops.testkit.JitsiOpsTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Real files, the real broker and PostgreSQL: every rotation style loses nothing and repeats nothing. */
@QuarkusTest
@QuarkusTestResource(JitsiOpsTestResource.class)
class TailRotationTest {
    @Inject
    LogStore store;
    @Inject
    KafkaShipper shipper;

    private static Path fresh(String name) throws Exception {
        Path dir = Files.createTempDirectory("tail-" + name + "-");
        return dir.resolve("jvb.log");
    }

    @Test
    void shipsEachEntryOnceWithItsStackTraceMergedAndItsPosition() throws Exception {
        Path f = fresh("basic");
        append(f, 0, 10);
        Files.writeString(f, TailFiles.errorWithTrace(10), StandardOpenOption.APPEND);
        append(f, 11, 20);
        try (FileTailer t = tailer(f, store, shipper)) {
            t.start();
            drain(t);
        }
        assertThat(delivery(f.toString(), 20)).isEqualTo(new TailFiles.Delivery(List.of(), List.of()));
        List<JsonNode> records = TailFiles.records(f.toString());
        JsonNode error = records.stream().filter(n -> n.path("level").asText().equals("ERROR")).findFirst().orElseThrow();
        assertThat(error.path("exception").path("cause").path("className").asText()).isEqualTo("java.io.IOException");
        assertThat(error.path("category").asText()).isEqualTo("uncategorized");
        assertThat(records.get(1).path("position").asLong()).isEqualTo(records.get(0).path("end").asLong());
        assertThat(store.cursor(f.toString()).orElseThrow().position()).isEqualTo(Files.size(f));
    }

    @Test
    void renameAndCreateLosesNothingWrittenBeforeOrAfter() throws Exception {
        Path f = fresh("rename");
        append(f, 0, 100);
        try (FileTailer t = tailer(f, store, shipper)) {
            t.start();
            drain(t);
            append(f, 100, 150); // not read yet when the file is renamed
            Files.move(f, f.resolveSibling("jvb.log.1"));
            append(f, 150, 250);
            drain(t);
        }
        assertThat(delivery(f.toString(), 250)).isEqualTo(new TailFiles.Delivery(List.of(), List.of()));
    }

    @Test
    void copytruncateReadsTheLinesWrittenBeforeTheCopyFromTheCopy() throws Exception {
        Path f = fresh("copytruncate");
        append(f, 0, 100);
        try (FileTailer t = tailer(f, store, shipper)) {
            t.start();
            drain(t);
            append(f, 100, 150);
            copytruncate(f);
            append(f, 150, 400); // more than was there: only the first bytes tell the truncation
            drain(t);
        }
        assertThat(delivery(f.toString(), 400)).isEqualTo(new TailFiles.Delivery(List.of(), List.of()));
    }

    @Test
    void deleteAndRecreateFinishesTheDeletedFileFirst() throws Exception {
        Path f = fresh("delete");
        append(f, 0, 100);
        try (FileTailer t = tailer(f, store, shipper)) {
            t.start();
            drain(t);
            append(f, 100, 120);
            Files.delete(f);
            append(f, 120, 200);
            drain(t);
        }
        assertThat(delivery(f.toString(), 200)).isEqualTo(new TailFiles.Delivery(List.of(), List.of()));
    }

    @Test
    void aFileRotatedTwiceWhileTheTailerWasDownIsFinishedAndSoIsTheOneBetween() throws Exception {
        Path f = fresh("twice");
        append(f, 0, 100);
        try (FileTailer t = tailer(f, store, shipper)) {
            t.start();
            drain(t);
        }
        append(f, 100, 120);
        Files.move(f, f.resolveSibling("jvb.log.1"));
        append(f, 120, 150);
        Files.move(f.resolveSibling("jvb.log.1"), f.resolveSibling("jvb.log.2"));
        Thread.sleep(10); // distinct modification times, as rotations hours apart have
        Files.move(f, f.resolveSibling("jvb.log.1"));
        append(f, 150, 190);
        try (FileTailer t = tailer(f, store, shipper)) {
            t.start();
            drain(t);
        }
        assertThat(delivery(f.toString(), 190)).isEqualTo(new TailFiles.Delivery(List.of(), List.of()));
    }

    @Test
    void linesAppendedWhileDownAreReadFromTheCursor() throws Exception {
        Path f = fresh("down");
        append(f, 0, 50);
        try (FileTailer t = tailer(f, store, shipper)) {
            t.start();
            drain(t);
        }
        append(f, 50, 80);
        try (FileTailer t = tailer(f, store, shipper)) {
            t.start();
            drain(t);
        }
        assertThat(delivery(f.toString(), 80)).isEqualTo(new TailFiles.Delivery(List.of(), List.of()));
    }

    @Test
    void aCrashBetweenKafkasAcknowledgementAndTheCursorsCommitShipsNothingTwice() throws Exception {
        Path f = fresh("crash");
        append(f, 0, 50);
        try (FileTailer t = tailer(f, store, shipper)) {
            t.start();
            drain(t);
        }
        append(f, 50, 90);
        CursorStore dying = new CursorStore() {
            @Override
            public java.util.Optional<io.jitsiops.log.repository.TailCursor> cursor(String path) {
                return store.cursor(path);
            }

            @Override
            public void commitStep(io.jitsiops.log.repository.TailCursor c, java.util.Collection<io.jitsiops.log.analysis.MinuteCounts> m,
                                   List<LogStore.StoredError> e) {
                throw new IllegalStateException("killed before the commit");
            }
        };
        FileTailer crashed = tailer(f, dying, shipper);
        crashed.start();
        crashed.poll(); // ships 50..89, acknowledged; the commit dies: the process is gone
        crashed.close();
        assertThat(store.cursor(f.toString()).orElseThrow().position()).isLessThan(Files.size(f));
        try (FileTailer t = tailer(f, store, shipper)) {
            t.start();
            drain(t);
            // 50..88 were acknowledged before the crash; 89 was still pending (its file might have gone on)
            assertThat(t.skippedAsShipped()).isEqualTo(39);
        }
        assertThat(delivery(f.toString(), 90)).isEqualTo(new TailFiles.Delivery(List.of(), List.of()));
        assertThat(store.cursor(f.toString()).orElseThrow().position()).isEqualTo(Files.size(f));
    }

    @Test
    void countsEachLineReadAndEachEntryShippedAndNothingIsBehindOnceCaughtUp() throws Exception {
        Path f = fresh("meters");
        append(f, 0, 10);
        Files.writeString(f, TailFiles.errorWithTrace(10), StandardOpenOption.APPEND); // one entry of 5 lines
        append(f, 11, 20);
        long before = System.currentTimeMillis() / 1000;
        try (FileTailer t = tailer(f, store, shipper)) {
            t.start();
            assertThat(t.meters().filesOpen()).isEqualTo(1);
            drain(t);
            SourceMeters m = t.meters();
            assertThat(m.linesRead()).isEqualTo(24);
            assertThat(m.entriesShipped()).isEqualTo(20);
            assertThat(m.entriesUnparsed()).isZero();
            assertThat(m.bytesBehind()).isZero();
            assertThat(m.lastLineEpochSeconds()).isGreaterThanOrEqualTo(before);
            assertThat(m.rotations()).isZero();
            assertThat(m.truncations()).isZero();
        }
    }

    @Test
    void aStepReadAgainAfterItsCommitFailedCountsItsLinesAndEntriesOnce() throws Exception {
        Path f = fresh("meters-retry");
        append(f, 0, 3000); // about 225 KB: four 64 KiB steps
        java.util.concurrent.atomic.AtomicInteger commits = new java.util.concurrent.atomic.AtomicInteger();
        // the second commit (the first step's cursor; the first stores the file's identity) fails: PostgreSQL away
        CursorStore once = TailFiles.failingCommits(store,
                () -> commits.incrementAndGet() == 2 ? new IllegalStateException("PostgreSQL away (test)") : null);
        try (FileTailer t = tailer(f, once, shipper)) {
            t.start();
            TailTestAccess.drainUntilCaughtUp(t, Files.size(f));
            drain(t);
            assertThat(t.failedSteps()).isPositive(); // the step was read again from the stored cursor
            assertThat(t.meters().linesRead()).isEqualTo(3000);
            // once each: those acknowledged before the failure was seen are found in Kafka (not sent again), a step still
            // in flight then is sent again (at least once), its first sending never counted (its cursor never stored)
            assertThat(t.meters().entriesShipped()).isEqualTo(3000);
        }
        assertThat(delivery(f.toString(), 3000).lost()).isEmpty();
    }

    @Test
    void aLiveFileRenamedAwayCountsOneRotationFollowed() throws Exception {
        Path f = fresh("meters-rename");
        append(f, 0, 50);
        try (FileTailer t = tailer(f, store, shipper)) {
            t.start();
            drain(t);
            Files.move(f, f.resolveSibling("jvb.log.1"));
            append(f, 50, 80);
            drain(t);
            assertThat(t.meters().rotations()).isEqualTo(1);
            assertThat(t.meters().truncations()).isZero();
            assertThat(t.meters().linesRead()).isEqualTo(80);
            assertThat(t.meters().filesOpen()).isEqualTo(1);
            assertThat(t.meters().bytesBehind()).isZero();
        }
    }

    @Test
    void aCopytruncateCountsOneTruncationDetected() throws Exception {
        Path f = fresh("meters-truncate");
        append(f, 0, 50);
        try (FileTailer t = tailer(f, store, shipper)) {
            t.start();
            drain(t);
            append(f, 50, 60);
            copytruncate(f);
            append(f, 60, 70);
            drain(t);
            assertThat(t.meters().truncations()).isEqualTo(1);
            assertThat(t.meters().rotations()).isZero();
            assertThat(t.meters().linesRead()).isEqualTo(70);
            assertThat(t.meters().bytesBehind()).isZero();
        }
        assertThat(delivery(f.toString(), 70)).isEqualTo(new TailFiles.Delivery(List.of(), List.of()));
    }

    @Test
    void anEntryNoParserUnderstandsIsShippedRawAndCountedAsUnparsed() throws Exception {
        Path f = Files.createTempDirectory("tail-meters-unparsed-").resolve("access.log");
        String ok = "10.0.0.1 - - [28/Nov/2026:21:06:56 +0000] \"GET /line HTTP/1.1\" 200 5 \"-\" \"curl\"\n";
        Files.writeString(f, ok + "not an access log line\n" + ok, StandardCharsets.UTF_8);
        try (FileTailer t = tailer(f, store, shipper, false, LogFormat.nginx_access)) {
            t.start();
            drain(t);
            assertThat(t.meters().linesRead()).isEqualTo(3);
            assertThat(t.meters().entriesShipped()).isEqualTo(3);
            assertThat(t.meters().entriesUnparsed()).isEqualTo(1);
        }
        assertThat(TailFiles.records(f.toString())).filteredOn(n -> !n.path("parsed").asBoolean())
                .singleElement().satisfies(n -> assertThat(n.path("message").asText()).isEqualTo("not an access log line"));
    }

    @Test
    void criContainerLogsUnderAGlobAreUnwrappedAndPartialLinesJoined() throws Exception {
        Path pods = Files.createTempDirectory("pods-");
        Path file = pods.resolve("jitsi_jvb-0_1234/jvb/0.log");
        Files.createDirectories(file.getParent());
        Files.writeString(file, String.join("\n",
                "2026-11-29T08:00:00.000000001Z stdout F " + TailFiles.line(0).strip(),
                "2026-11-29T08:00:00.000000002Z stdout P JVB 2026-11-29 08:00:00.000 INFO: [1] Test.run#1: li",
                "2026-11-29T08:00:00.000000003Z stdout F ne 1",
                "2026-11-29T08:00:00.000000004Z stderr F " + TailFiles.line(2).strip(), ""), StandardCharsets.UTF_8);
        List<TailSource> found = SourceResolver.resolve(new io.jitsiops.deployment.DeploymentDescription.LogSource("jvb",
                pods + "/jitsi_jvb-*/jvb/*.log", LogFormat.jvb, "UTC", true), java.time.ZoneOffset.UTC);
        assertThat(found).extracting(TailSource::path).containsExactly(file);
        try (FileTailer t = tailer(file, store, shipper, true, LogFormat.jvb)) {
            t.start();
            drain(t);
        }
        assertThat(delivery(file.toString(), 3)).isEqualTo(new TailFiles.Delivery(List.of(), List.of()));
        assertThat(TailFiles.records(file.toString())).allMatch(n -> n.path("parsed").asBoolean());
    }
}
