package io.jitsiops.alert.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

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
}
