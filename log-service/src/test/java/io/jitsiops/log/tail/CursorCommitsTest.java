package io.jitsiops.log.tail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.jitsiops.log.analysis.MinuteCounts;
import io.jitsiops.log.repository.LogStore;
import io.jitsiops.log.repository.TailCursor;

/**
 * The cursor commits handed off the tailer's thread: stored in order, waiting ones together, nothing after a failed one
 * until the tailer went back (pure logic: a recording store; the real PostgreSQL path is covered by the tail tests).
 */
class CursorCommitsTest {

    /** Records what it stores; the first commit can be held back, and a commit at a given position fails. */
    static final class RecordingStore implements CursorStore {
        final List<Long> positions = new ArrayList<>();
        final List<Long> entries = new ArrayList<>();
        final List<Integer> errorRows = new ArrayList<>();
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch holding = new CountDownLatch(1);
        volatile boolean hold;
        volatile long failAt = -1;

        @Override
        public Optional<TailCursor> cursor(String path) {
            return Optional.empty();
        }

        @Override
        public void commitStep(TailCursor cursor, Collection<MinuteCounts> minutes, List<LogStore.StoredError> errors) {
            if (hold) {
                hold = false;
                holding.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (cursor.position() == failAt) {
                throw new LogStore.StoreException("storing the cursor", new java.sql.SQLException("connection refused"));
            }
            synchronized (this) {
                positions.add(cursor.position());
                entries.add(minutes.stream().mapToLong(m -> m.entries).sum());
                errorRows.add(errors.size());
            }
        }
    }

    private static CursorCommits.Commit commit(long position, List<Long> done) {
        MinuteCounts m = new MinuteCounts("jvb", Instant.parse("2026-11-29T08:00:00Z"));
        m.entries = 10;
        LogStore.StoredError e = new LogStore.StoredError("jvb", "/var/log/jitsi/jvb.log", position, Instant.EPOCH, "WARN",
                null, "m", null, null, null, null);
        return new CursorCommits.Commit(new TailCursor("/var/log/jitsi/jvb.log", "1:2", "ff", 4, position, 0, position),
                List.of(m), List.of(e), () -> done.add(position));
    }

    @Test
    void storesWaitingStepsTogetherInTheirOrderAndTellsTheTailerOnItsOwnThread() throws Exception {
        RecordingStore store = new RecordingStore();
        store.hold = true;
        CursorCommits commits = new CursorCommits(store);
        List<Long> done = new ArrayList<>();
        commits.submit(commit(100, done)); // held in the store while the next three wait
        assertThat(store.holding.await(30, TimeUnit.SECONDS)).isTrue();
        commits.submit(commit(200, done));
        commits.submit(commit(300, done));
        commits.submit(commit(400, done));
        assertThat(commits.busy()).isTrue();
        store.release.countDown();
        assertThat(commits.await(Duration.ofSeconds(30))).isTrue();
        assertThat(done).isEmpty(); // runs on the tailer's thread, at its collect
        commits.collect();
        assertThat(done).containsExactly(100L, 200L, 300L, 400L);
        assertThat(store.positions).containsExactly(100L, 400L); // the three that waited: one transaction, the last cursor
        assertThat(store.entries).containsExactly(10L, 30L); // their minute counts merged
        assertThat(store.errorRows).containsExactly(1, 3);
        assertThat(commits.busy()).isFalse();
    }

    @Test
    void storesNothingHandedOverAfterAFailedCommitUntilTheTailerWentBack() throws Exception {
        RecordingStore store = new RecordingStore();
        store.failAt = 200;
        CursorCommits commits = new CursorCommits(store);
        List<Long> done = new ArrayList<>();
        commits.submit(commit(100, done));
        commits.await(Duration.ofSeconds(30));
        commits.submit(commit(200, done));
        commits.await(Duration.ofSeconds(30));
        commits.submit(commit(300, done)); // after the failure: dropped, the tailer does this step again
        commits.await(Duration.ofSeconds(30));
        assertThatThrownBy(commits::collect).isInstanceOf(LogStore.StoreException.class);
        assertThat(done).containsExactly(100L);
        assertThat(store.positions).containsExactly(100L);
        commits.reset(Duration.ofSeconds(30));
        store.failAt = -1;
        commits.submit(commit(200, done));
        commits.awaitStored(Duration.ofSeconds(30));
        assertThat(done).containsExactly(100L, 200L);
        assertThat(store.positions).containsExactly(100L, 200L);
    }
}
