package io.jitsiops.alert.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;

class ReceiverQueueTest {

    static final class ScriptedReceiver implements Receiver {
        final ConcurrentLinkedQueue<DeliveryResult> script = new ConcurrentLinkedQueue<>();
        final List<Notification> sent = Collections.synchronizedList(new ArrayList<>());
        final List<Long> at = Collections.synchronizedList(new ArrayList<>());

        @Override
        public String name() {
            return "r";
        }

        @Override
        public String type() {
            return "test";
        }

        @Override
        public Uni<DeliveryResult> send(Notification n) {
            sent.add(n);
            at.add(System.nanoTime());
            DeliveryResult next = script.poll();
            return Uni.createFrom().item(next == null ? DeliveryResult.ok() : next);
        }
    }

    static Notification notification(String key) {
        return new Notification("r", key, Map.of(), List.of(DispatcherTest.firing("a", key, io.jitsiops.events.payload.AlertSeverity.WARNING)),
                List.of(), Map.of(), "http://x", List.of());
    }

    @Test
    void retriesWhatIsWorthRetryingWithBackOffAndReportsTheAttempts() {
        ScriptedReceiver r = new ScriptedReceiver();
        r.script.add(DeliveryResult.retryable("unexpected status code 503"));
        r.script.add(DeliveryResult.retryable("unexpected status code 502"));
        ReceiverQueue q = new ReceiverQueue(r, new ReceiverQueue.Policy(0, 1, 5, 5, Duration.ofMillis(50),
                Duration.ofMillis(200), "http://x"), Clock.systemUTC());
        List<ReceiverQueue.Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        q.submit(notification("g1"), (n, o) -> outcomes.add(o));
        await().until(() -> outcomes.size() == 1);
        assertThat(outcomes.get(0).result().delivered()).isTrue();
        assertThat(outcomes.get(0).attempts()).isEqualTo(3);
        assertThat(q.lastError()).isEqualTo("unexpected status code 502");
    }

    @Test
    void givesUpOnPermanentFailuresAtOnceAndAfterMaxAttemptsOtherwise() {
        ScriptedReceiver r = new ScriptedReceiver();
        r.script.add(DeliveryResult.permanent("unexpected status code 404"));
        for (int i = 0; i < 5; i++) {
            r.script.add(DeliveryResult.retryable("connection refused"));
        }
        ReceiverQueue q = new ReceiverQueue(r, new ReceiverQueue.Policy(0, 1, 5, 3, Duration.ofMillis(10),
                Duration.ofMillis(20), "http://x"), Clock.systemUTC());
        List<ReceiverQueue.Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        q.submit(notification("g1"), (n, o) -> outcomes.add(o));
        q.submit(notification("g2"), (n, o) -> outcomes.add(o));
        await().until(() -> outcomes.size() == 2);
        assertThat(outcomes).extracting(ReceiverQueue.Outcome::attempts).containsExactly(1, 3);
        assertThat(outcomes).noneMatch(o -> o.result().delivered());
    }

    @Test
    void aSlotStaysTakenUntilTheOutcomeIsDurableSoACrashCanRepeatAtMostMaxInFlightNotifications() {
        ScriptedReceiver r = new ScriptedReceiver();
        ReceiverQueue q = new ReceiverQueue(r, new ReceiverQueue.Policy(0, 2, 5, 1, Duration.ofMillis(10),
                Duration.ofMillis(20), "http://x"), Clock.systemUTC());
        List<java.util.concurrent.CompletableFuture<Void>> logWrites = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 5; i++) {
            q.submitAwaiting(notification("g" + i), (n, o) -> {
                java.util.concurrent.CompletableFuture<Void> written = new java.util.concurrent.CompletableFuture<>();
                logWrites.add(written);
                return Uni.createFrom().completionStage(written);
            });
        }
        // two sent (max in flight), both delivered, but their log entries are not written yet: nothing more is sent
        await().until(() -> logWrites.size() == 2);
        assertThat(r.sent).hasSize(2);
        assertThat(q.backlog()).isEqualTo(3);
        logWrites.get(0).complete(null);
        await().until(() -> r.sent.size() == 3);
        assertThat(r.sent).hasSize(3);
        // a log write given up for good still frees the slot (logged as an error): the receiver does not stall
        logWrites.get(1).completeExceptionally(new IllegalStateException("PostgreSQL away"));
        await().until(() -> r.sent.size() == 4);
        logWrites.get(2).complete(null);
        logWrites.get(3).complete(null);
        await().until(() -> r.sent.size() == 5);
        assertThat(r.sent).extracting(Notification::groupKey).containsExactly("g0", "g1", "g2", "g3", "g4");
    }

    @Test
    void honoursRetryAfterOfA429BeforeTheNextAttempt() {
        ScriptedReceiver r = new ScriptedReceiver();
        r.script.add(DeliveryResult.ofHttpStatus(429, java.util.Optional.of("1"), true));
        ReceiverQueue q = new ReceiverQueue(r, new ReceiverQueue.Policy(1, 1, 5, 5, Duration.ofMillis(10),
                Duration.ofMillis(20), "http://x"), Clock.systemUTC());
        AtomicInteger done = new AtomicInteger();
        q.submit(notification("g1"), (n, o) -> done.incrementAndGet());
        await().until(() -> done.get() == 1);
        assertThat(Duration.ofNanos(r.at.get(1) - r.at.get(0))).isGreaterThanOrEqualTo(Duration.ofMillis(950));
    }

    @Test
    void foldsWhatOverflowsTheRateLimitIntoOneDigestInsteadOfDroppingIt() {
        ScriptedReceiver r = new ScriptedReceiver();
        ReceiverQueue q = new ReceiverQueue(r, new ReceiverQueue.Policy(1, 1, 3, 5, Duration.ofMillis(10),
                Duration.ofMillis(20), "http://x"), Clock.systemUTC());
        List<ReceiverQueue.Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 10; i++) {
            q.submit(notification("g" + i), (n, o) -> outcomes.add(o));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> outcomes.size() == 10);
        assertThat(r.sent).hasSize(2); // the first at once, the other nine as one digest a second later
        assertThat(r.sent.get(1).isDigest()).isTrue();
        assertThat(r.sent.get(1).digestOf()).hasSize(9);
        assertThat(outcomes).allMatch(o -> o.result().delivered());
    }

    @Test
    void classifiesHttpStatusesLikeAlertmanagersRetrier() {
        assertThat(DeliveryResult.ofHttpStatus(200, java.util.Optional.empty(), false).delivered()).isTrue();
        assertThat(DeliveryResult.ofHttpStatus(503, java.util.Optional.empty(), false).retry()).isTrue();
        assertThat(DeliveryResult.ofHttpStatus(400, java.util.Optional.empty(), false).retry()).isFalse();
        assertThat(DeliveryResult.ofHttpStatus(429, java.util.Optional.empty(), false).retry()).isFalse();
        DeliveryResult slack429 = DeliveryResult.ofHttpStatus(429, java.util.Optional.of("7"), true);
        assertThat(slack429.retry()).isTrue();
        assertThat(slack429.retryAfter()).contains(Duration.ofSeconds(7));
    }
}
