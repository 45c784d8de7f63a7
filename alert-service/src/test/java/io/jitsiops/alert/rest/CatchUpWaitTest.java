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
