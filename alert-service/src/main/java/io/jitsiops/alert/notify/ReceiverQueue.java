package io.jitsiops.alert.notify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;

/**
 * The rate-limit and retry stages of one receiver. Each receiver has its own queue, so a receiver that fails or
 * is throttled only ever delays itself. At most {@code maxInFlight} notifications are on their way; a rate limit
 * spaces them (Slack: one per second per channel); a 429's {@code Retry-After} pauses the receiver; when more than
 * {@code digestAfter} notifications wait for a rate-limited receiver, they go as one digest instead of being dropped.
 * Failures worth retrying are retried with exponential back-off up to {@code maxAttempts} (Alertmanager's
 * {@code RetryStage}); the last outcome is reported, delivered or not, so nothing fails silently.
 * <p>
 * The retry loop is written on Mutiny timers rather than {@code Uni.retry().withBackOff()} because the delay depends
 * on the failure (a Retry-After) and the receiver's slot must be held while waiting.
 */
public final class ReceiverQueue {
    private static final Logger LOG = Logger.getLogger(ReceiverQueue.class);

    /** @param ratePerSecond 0 = no limit */
    public record Policy(double ratePerSecond, int maxInFlight, int digestAfter, int maxAttempts, Duration initialBackoff,
                         Duration maxBackoff, String externalUrl) {
    }

    /** The end of one notification: its last result and how many attempts it took. */
    public record Outcome(Notification notification, DeliveryResult result, int attempts, boolean digest) {
    }

    private record Pending(Notification notification, BiFunction<Notification, Outcome, Uni<Void>> done) {
    }

    private final Receiver receiver;
    private final Policy policy;
    private final Clock clock;
    private final Deque<Pending> queue = new ArrayDeque<>();
    private int inFlight;
    private Instant nextSend = Instant.EPOCH;
    private Instant pausedUntil = Instant.EPOCH;
    private boolean wakeScheduled;
    /** One per notification, shared by its retries (see {@link Receiver#deliver(Notification, String)}). */
    private final DeliveryIds deliveryIds = new DeliveryIds("q");
    private volatile String lastError;
    private volatile Instant lastErrorAt;
    private volatile Instant lastSuccessAt;

    public ReceiverQueue(Receiver receiver, Policy policy, Clock clock) {
        this.receiver = receiver;
        this.policy = policy;
        this.clock = clock;
    }

    public Receiver receiver() {
        return receiver;
    }

    /** Queues a notification; {@code done} is called once with its outcome (for a digest, once per folded part). */
    public void submit(Notification notification, BiConsumer<Notification, Outcome> done) {
        submitAwaiting(notification, (n, o) -> {
            done.accept(n, o);
            return Uni.createFrom().voidItem();
        });
    }

    /**
     * Queues a notification whose outcome handler completes when the outcome is durable (the notification log):
     * the receiver's slot stays taken until then. So at any moment at most {@code maxInFlight} notifications of
     * this receiver are sent-or-being-sent but not yet in the log, and a crash (kill -9) can repeat at most that
     * many: the bound of Alertmanager's "nflog written after the send" window, made explicit.
     */
    public void submitAwaiting(Notification notification, BiFunction<Notification, Outcome, Uni<Void>> done) {
        synchronized (this) {
            queue.add(new Pending(notification, done));
        }
        pump();
    }

    public synchronized int backlog() {
        return queue.size();
    }

    public String lastError() {
        return lastError;
    }

    public Instant lastErrorAt() {
        return lastErrorAt;
    }

    public Instant lastSuccessAt() {
        return lastSuccessAt;
    }

    private void pump() {
        List<Runnable> starts = new ArrayList<>();
        synchronized (this) {
            while (inFlight < policy.maxInFlight() && !queue.isEmpty()) {
                Instant now = clock.instant();
                Instant allowed = nextSend.isAfter(pausedUntil) ? nextSend : pausedUntil;
                if (allowed.isAfter(now)) {
                    wakeAt(Duration.between(now, allowed));
                    break;
                }
                List<Pending> batch = new ArrayList<>();
                if (policy.ratePerSecond() > 0 && queue.size() > policy.digestAfter()) {
                    batch.addAll(queue);
                    queue.clear();
                } else {
                    batch.add(queue.poll());
                }
                inFlight++;
                if (policy.ratePerSecond() > 0) {
                    nextSend = now.plusNanos((long) (1e9 / policy.ratePerSecond()));
                }
                String deliveryId = deliveryIds.next();
                starts.add(() -> attempt(batch, 1, deliveryId));
            }
        }
        starts.forEach(Runnable::run);
    }

    private void wakeAt(Duration delay) {
        if (wakeScheduled) {
            return;
        }
        wakeScheduled = true;
        later(delay, () -> {
            synchronized (this) {
                wakeScheduled = false;
            }
            pump();
        });
    }

    private void attempt(List<Pending> batch, int attempt, String deliveryId) {
        Notification message = batch.size() == 1 ? batch.get(0).notification()
                : Notification.digest(receiver.name(), batch.stream().map(Pending::notification).toList(), policy.externalUrl());
        CompletionStage<DeliveryResult> send;
        try {
            send = receiver.deliver(message, deliveryId);
        } catch (RuntimeException e) {
            send = CompletableFuture.completedFuture(DeliveryResult.retryable(e.getClass().getSimpleName()));
        }
        // a CompletionStage callback, not a Uni subscription: this runs once per notification (see Receiver#deliver)
        send.whenComplete((result, e) -> outcome(batch, attempt, deliveryId, e == null ? result
                : DeliveryResult.retryable(e.getClass().getSimpleName() + ": " + e.getMessage())));
    }

    private void outcome(List<Pending> batch, int attempt, String deliveryId, DeliveryResult result) {
        if (result.delivered()) {
            lastSuccessAt = clock.instant();
            finish(batch, result, attempt);
            return;
        }
        if (!result.error().equals(lastError)) {
            // like Alertmanager's RetryStage: log when the error changes, not on every attempt
            LOG.warnf("Receiver %s (%s): %s (attempt %d)", receiver.name(), receiver.type(), result.error(), attempt);
        }
        lastError = result.error();
        lastErrorAt = clock.instant();
        if (result.retry() && attempt < policy.maxAttempts()) {
            Duration wait = result.retryAfter().orElse(backoff(attempt));
            if (result.retryAfter().isPresent()) {
                synchronized (this) {
                    pausedUntil = clock.instant().plus(wait);
                }
            }
            later(wait, () -> attempt(batch, attempt + 1, deliveryId));
        } else {
            finish(batch, result, attempt);
        }
    }

    private void finish(List<Pending> batch, DeliveryResult result, int attempts) {
        boolean digest = batch.size() > 1;
        List<Uni<Void>> recorded = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            try {
                recorded.add(p.done().apply(p.notification(), new Outcome(p.notification(), result, attempts, digest)));
            } catch (RuntimeException e) {
                LOG.errorf(e, "Recording the outcome of a notification to %s failed", receiver.name());
            }
        }
        Uni<Void> durable = recorded.isEmpty() ? Uni.createFrom().voidItem()
                : recorded.size() == 1 ? recorded.get(0) // one notification, no digest: no join to build
                : Uni.join().all(recorded).andCollectFailures().replaceWithVoid();
        durable.subscribe().with(x -> release(), e -> {
            LOG.errorf("The outcome of a notification to %s could not be made durable: %s", receiver.name(), e.getMessage());
            release();
        });
    }

    private void release() {
        synchronized (this) {
            inFlight--;
        }
        pump();
    }

    Duration backoff(int attempt) {
        long ms = policy.initialBackoff().toMillis() << Math.min(attempt - 1, 20);
        return Duration.ofMillis(Math.min(ms, policy.maxBackoff().toMillis()));
    }

    private static final Duration MIN_TIMER = Duration.ofMillis(1);

    private static void later(Duration delay, Runnable action) {
        if (delay.isZero() || delay.isNegative()) {
            action.run();
            return;
        }
        // Vert.x refuses timers under 1 ms ("Cannot schedule a timer with delay < 1 ms"): a rate-limit wait of a few
        // hundred microseconds failed, the wake-up never ran and the receiver's queue stalled for good.
        Duration wait = delay.compareTo(MIN_TIMER) < 0 ? MIN_TIMER : delay;
        Uni.createFrom().voidItem().onItem().delayIt().by(wait).subscribe().with(x -> action.run(), e -> {
            LOG.error("A receiver timer failed; running its action now so that the queue does not stall", e);
            action.run();
        });
    }

    /** For tests and the receivers API. */
    public Optional<Instant> pausedUntil() {
        synchronized (this) {
            return pausedUntil.isAfter(clock.instant()) ? Optional.of(pausedUntil) : Optional.empty();
        }
    }
}
