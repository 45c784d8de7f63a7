package io.jitsiops.metrics.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.jitsiops.metrics.scrape.ScrapeTarget;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import io.smallrye.mutiny.subscription.UniEmitter;

/**
 * A target's state lives only while its lease is held, and a scrape that was in flight when the lease went cannot bring
 * it back: the scrapes here finish when the test says so, and "state" is what a finished scrape leaves behind (as
 * ScrapeStats, the last readings and the findings are for the scheduler).
 */
class HeldTargetsTest {
    private static final ScrapeTarget JVB = new ScrapeTarget("jvb", "jvb-1", "http://127.0.0.1:1", Duration.ofSeconds(15),
            Duration.ofSeconds(5), Duration.ofSeconds(5));
    private static final ScrapeTarget JICOFO = new ScrapeTarget("jicofo", "jicofo", "http://127.0.0.1:2", Duration.ofSeconds(15),
            Duration.ofSeconds(5), Duration.ofSeconds(5));

    private final Set<String> leases = ConcurrentHashMap.newKeySet();
    /** What finished scrapes left behind, by target key: the count of scrapes since the target was last forgotten. */
    private final Map<String, Integer> state = new ConcurrentHashMap<>();
    private final List<String> forgotten = new ArrayList<>();
    private final HeldTargets held = new HeldTargets(leases::contains, leases::contains, t -> {
        forgotten.add(t.key());
        state.remove(t.key());
    });

    /** A scrape of the target that finishes (successfully or not) when its emitter is completed. */
    private UniAssertSubscriber<Void> start(ScrapeTarget t, AtomicReference<UniEmitter<? super Void>> finish) {
        return held.scrape(t, () -> Uni.createFrom().<Void>emitter(finish::set).invoke(() -> state.merge(t.key(), 1, Integer::sum)))
                .subscribe().withSubscriber(UniAssertSubscriber.create());
    }

    private void scrapeNow(ScrapeTarget t) {
        held.scrape(t, () -> Uni.createFrom().voidItem().invoke(() -> state.merge(t.key(), 1, Integer::sum)))
                .subscribe().withSubscriber(UniAssertSubscriber.create()).assertCompleted();
    }

    @Test
    void aReleasedTargetIsForgottenAtOnceWhenNoScrapeOfItIsInFlightAndTheOthersAreKept() {
        leases.addAll(List.of(JVB.key(), JICOFO.key()));
        scrapeNow(JVB);
        scrapeNow(JICOFO);

        leases.remove(JVB.key());
        held.release(JVB);

        assertThat(forgotten).containsExactly(JVB.key());
        assertThat(state).containsOnlyKeys(JICOFO.key());
    }

    @Test
    void aScrapeInFlightWhenTheLeaseIsReleasedCannotBringTheTargetBackWhenItFinishesLater() {
        leases.add(JVB.key());
        AtomicReference<UniEmitter<? super Void>> finish = new AtomicReference<>();
        UniAssertSubscriber<Void> inFlight = start(JVB, finish);

        leases.remove(JVB.key());
        held.release(JVB);
        assertThat(forgotten).as("not while the scrape can still write").isEmpty();

        finish.get().complete(null); // the late scrape writes its result, then the target is forgotten
        inFlight.assertCompleted();
        assertThat(forgotten).containsExactly(JVB.key());
        assertThat(state).isEmpty();
    }

    @Test
    void aScrapeThatFailsAfterTheReleaseStillLetsTheTargetBeForgotten() {
        leases.add(JVB.key());
        AtomicReference<UniEmitter<? super Void>> finish = new AtomicReference<>();
        start(JVB, finish);
        leases.remove(JVB.key());
        held.release(JVB);

        finish.get().fail(new IllegalStateException("connection reset"));

        assertThat(forgotten).containsExactly(JVB.key());
    }

    @Test
    void noScrapeOfAReleasedTargetStarts() {
        leases.add(JVB.key());
        scrapeNow(JVB);
        leases.remove(JVB.key());
        held.release(JVB);
        AtomicInteger started = new AtomicInteger();

        held.scrape(JVB, () -> {
            started.incrementAndGet();
            return Uni.createFrom().voidItem();
        }).subscribe().withSubscriber(UniAssertSubscriber.create()).assertCompleted();

        assertThat(started).hasValue(0);
        assertThat(state).isEmpty();
    }

    @Test
    void aTargetWhoseLeaseComesBackStartsAfresh() {
        leases.add(JVB.key());
        scrapeNow(JVB);
        scrapeNow(JVB);
        leases.remove(JVB.key());
        held.release(JVB);

        leases.add(JVB.key());
        scrapeNow(JVB);

        assertThat(state).containsEntry(JVB.key(), 1);
    }

    @Test
    void aLeaseAssignedBackBeforeTheLateScrapeFinishedKeepsTheTargetsState() {
        leases.add(JVB.key());
        AtomicReference<UniEmitter<? super Void>> finish = new AtomicReference<>();
        start(JVB, finish);
        leases.remove(JVB.key());
        held.release(JVB);

        leases.add(JVB.key()); // the rebalance gave it straight back
        scrapeNow(JVB);
        finish.get().complete(null);

        assertThat(forgotten).isEmpty();
        assertThat(state).containsEntry(JVB.key(), 2);
    }

    @Test
    void aReleaseToldAfterTheLeaseCameBackForgetsNothing() {
        leases.add(JVB.key());
        scrapeNow(JVB);

        held.release(JVB); // the lease thread reports a release, but the partition is held again by now

        assertThat(forgotten).isEmpty();
        assertThat(state).containsEntry(JVB.key(), 1);
    }
}
