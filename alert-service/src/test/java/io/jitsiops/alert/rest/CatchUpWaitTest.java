package io.jitsiops.alert.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.jitsiops.alert.config.AlertConfigs;
import io.vertx.core.Vertx;

/** A post that arrives while the writers are behind waits for them, its body unread, and is refused only past max-wait. */
class CatchUpWaitTest {
    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    /** What became of one post: "taken", "refused", or nothing yet. */
    private static CompletableFuture<String> post(CatchUpWait wait, AtomicBoolean gone) {
        CompletableFuture<String> outcome = new CompletableFuture<>();
        vertx.runOnContext(v -> wait.whenCaughtUp(vertx, gone::get, () -> outcome.complete("taken"),
                () -> outcome.complete("refused")));
        return outcome;
    }

    @Test
    void aPostArrivingWhileTheWritersAreBehindIsTakenOnceTheyCatchUpInsteadOfRefused() throws Exception {
        AtomicBoolean behind = new AtomicBoolean(true);
        CatchUpWait wait = new CatchUpWait(behind::get, Duration.ofSeconds(30));
        CompletableFuture<String> outcome = post(wait, new AtomicBoolean());
        await().atMost(Duration.ofSeconds(5)).until(() -> wait.waiting() == 1);
        assertThat(outcome).isNotDone();
        behind.set(false);
        assertThat(outcome.get(5, TimeUnit.SECONDS)).isEqualTo("taken");
        assertThat(wait.waiting()).isZero();
        assertThat(wait.waited().get()).isEqualTo(1);
    }

    /** Behind except for {@code allowed} checks: each check that finds room uses one up, as a taken post fills it. */
    private static java.util.function.BooleanSupplier roomFor(java.util.concurrent.atomic.AtomicInteger allowed) {
        return () -> allowed.getAndUpdate(n -> Math.max(0, n - 1)) == 0;
    }

    @Test
    void waitingPostsAreTakenInTheOrderTheyArrivedWhateverTheirTimers() throws Exception {
        java.util.concurrent.atomic.AtomicInteger allowed = new java.util.concurrent.atomic.AtomicInteger();
        CatchUpWait wait = new CatchUpWait(roomFor(allowed), Duration.ofSeconds(30));
        java.util.List<CompletableFuture<String>> posts = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            posts.add(post(wait, new AtomicBoolean()));
            int arrived = i + 1;
            await().atMost(Duration.ofSeconds(5)).until(() -> wait.waiting() == arrived);
            Thread.sleep(3); // spread the five timers over the 20 ms poll period
        }
        for (int taken = 1; taken <= 5; taken++) {
            allowed.set(1); // room for one
            CompletableFuture<String> next = posts.get(taken - 1);
            assertThat(next.get(5, TimeUnit.SECONDS)).isEqualTo("taken");
            Thread.sleep(3 * CatchUpWait.POLL_MS);
            assertThat(posts.subList(taken, 5)).allMatch(p -> !p.isDone());
        }
        assertThat(wait.waiting()).isZero();
    }

    @Test
    void aPostArrivingWhileAnotherWaitsQueuesBehindItEvenWhenThereIsRoom() throws Exception {
        java.util.concurrent.atomic.AtomicInteger allowed = new java.util.concurrent.atomic.AtomicInteger();
        CatchUpWait wait = new CatchUpWait(roomFor(allowed), Duration.ofSeconds(30));
        CompletableFuture<String> first = post(wait, new AtomicBoolean());
        await().atMost(Duration.ofSeconds(5)).until(() -> wait.waiting() == 1);
        allowed.set(1);
        CompletableFuture<String> newcomer = post(wait, new AtomicBoolean());
        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("taken");
        Thread.sleep(3 * CatchUpWait.POLL_MS);
        assertThat(newcomer).isNotDone();
        allowed.set(1);
        assertThat(newcomer.get(5, TimeUnit.SECONDS)).isEqualTo("taken");
    }

    @Test
    void aPostStillBehindAfterMaxWaitIsRefused() throws Exception {
        CatchUpWait wait = new CatchUpWait(() -> true, Duration.ofMillis(200));
        assertThat(post(wait, new AtomicBoolean()).get(5, TimeUnit.SECONDS)).isEqualTo("refused");
        assertThat(wait.waiting()).isZero();
    }

    @Test
    void aPostIsTakenAtOnceWhenNotBehindAndRefusedAtOnceWhenMaxWaitIsZero() throws Exception {
        CatchUpWait caughtUp = new CatchUpWait(() -> false, Duration.ofSeconds(30));
        assertThat(post(caughtUp, new AtomicBoolean()).get(5, TimeUnit.SECONDS)).isEqualTo("taken");
        CatchUpWait noWait = new CatchUpWait(() -> true, Duration.ZERO);
        assertThat(post(noWait, new AtomicBoolean()).get(5, TimeUnit.SECONDS)).isEqualTo("refused");
        assertThat(caughtUp.waited().get() + noWait.waited().get()).isZero();
    }

    @Test
    void aPostWhoseClientLeftWhileWaitingIsNeitherTakenNorRefused() throws Exception {
        AtomicBoolean behind = new AtomicBoolean(true);
        AtomicBoolean gone = new AtomicBoolean();
        CatchUpWait wait = new CatchUpWait(behind::get, Duration.ofSeconds(30));
        CompletableFuture<String> outcome = post(wait, gone);
        await().atMost(Duration.ofSeconds(5)).until(() -> wait.waiting() == 1);
        gone.set(true);
        await().atMost(Duration.ofSeconds(5)).until(() -> wait.waiting() == 0);
        behind.set(false);
        Thread.sleep(5 * CatchUpWait.POLL_MS);
        assertThat(outcome).isNotDone();
    }

    @Test
    void waitsFiveSecondsByDefaultAndRefusesANegativeWaitNamingTheKey() {
        assertThat(AlertConfigs.of(Map.of()).intake().maxWait()).isEqualTo(Duration.ofSeconds(5));
        assertThatThrownBy(() -> new CatchUpWait(() -> false,
                AlertConfigs.of(Map.of("jitsiops.alert.intake.max-wait", "-1s")).intake().maxWait()))
                .hasMessageContaining("jitsiops.alert.intake.max-wait");
    }
}
