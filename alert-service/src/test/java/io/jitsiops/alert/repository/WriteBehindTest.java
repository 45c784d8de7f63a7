package io.jitsiops.alert.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;

/** Group commit on a hand-completed writer: what is written, in how many batches, how many at once. */
class WriteBehindTest {
    final List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());
    final List<CompletableFuture<Void>> open = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger mostInFlight = new AtomicInteger();

    Uni<Void> write(List<Integer> batch) {
        batches.add(batch);
        mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        CompletableFuture<Void> done = new CompletableFuture<>();
        open.add(done);
        return Uni.createFrom().completionStage(done).invoke(inFlight::decrementAndGet);
    }

    void completeAll() {
        while (true) {
            CompletableFuture<Void> next;
            synchronized (open) {
                next = open.stream().filter(f -> !f.isDone()).findFirst().orElse(null);
            }
            if (next == null) {
                return;
            }
            next.complete(null);
        }
    }

    @Test
    void oneWriteAtATimeGroupsWhatArrivesMeanwhileIntoTheNextBatch() {
        WriteBehind<Integer> w = new WriteBehind<>("test", 100, 1000, this::write);
        for (int i = 0; i < 5; i++) {
            w.add(i);
        }
        assertThat(batches).containsExactly(List.of(0));
        completeAll();
        assertThat(batches).containsExactly(List.of(0), List.of(1, 2, 3, 4));
        assertThat(mostInFlight).hasValue(1);
    }

    @Test
    void twoConcurrentWritesLetAWaiterStartAtOnceAndStillWriteEachItemOnce() {
        WriteBehind<Integer> w = new WriteBehind<>("test", 100, 1000, 2, this::write);
        List<Uni<Void>> awaited = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            awaited.add(w.addAndAwait(i));
        }
        assertThat(batches).containsExactly(List.of(0), List.of(1)); // two at once, the rest waits
        completeAll();
        assertThat(mostInFlight).hasValue(2);
        assertThat(batches.stream().flatMap(List::stream).toList()).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
        awaited.forEach(u -> u.await().indefinitely()); // every waiter was told its item is written
        assertThat(w.backlog()).isZero();
    }

    @Test
    void itemsTricklingInWithinTheLingerGoInOneWrite() {
        WriteBehind<Integer> w = new WriteBehind<>("test", 100, 1000, 1, Duration.ofMillis(300), 10, this::write);
        for (int i = 0; i < 5; i++) {
            w.add(i);
        }
        assertThat(batches).isEmpty(); // still lingering: without it, item 0 would be a write of its own
        Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> !batches.isEmpty());
        assertThat(batches).containsExactly(List.of(0, 1, 2, 3, 4));
        w.add(5);
        completeAll();
        Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> batches.size() == 2);
        completeAll();
        assertThat(batches).containsExactly(List.of(0, 1, 2, 3, 4), List.of(5));
        assertThat(w.backlog()).isZero();
    }

    @Test
    void aBatchThatFillsUpWhileLingeringIsWrittenAtOnce() {
        WriteBehind<Integer> w = new WriteBehind<>("test", 100, 1000, 1, Duration.ofHours(1), 3, this::write);
        w.add(0);
        w.add(1);
        assertThat(batches).isEmpty();
        w.add(2);
        assertThat(batches).containsExactly(List.of(0, 1, 2));
        for (int i = 3; i < 6; i++) {
            w.add(i); // waiting behind the write in flight, already a full batch when it completes
        }
        completeAll();
        assertThat(batches).containsExactly(List.of(0, 1, 2), List.of(3, 4, 5));
        completeAll();
        assertThat(w.backlog()).isZero();
    }
}
