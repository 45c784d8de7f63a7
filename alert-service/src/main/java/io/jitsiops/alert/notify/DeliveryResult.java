package io.jitsiops.alert.notify;

import java.time.Duration;
import java.util.Optional;

/**
 * How a receiver's attempt went. As in Alertmanager's {@code Notifier.Notify} returning {@code (retry bool, err)},
 * the receiver says whether a failure is worth retrying (a 5xx, 429 or a connection error is; a 4xx is not) and,
 * for a 429, how long the far side asked us to wait ({@code Retry-After}).
 */
public record DeliveryResult(boolean delivered, boolean retry, Optional<Duration> retryAfter, String error) {

    public static DeliveryResult ok() {
        return new DeliveryResult(true, false, Optional.empty(), null);
    }

    public static DeliveryResult retryable(String error) {
        return new DeliveryResult(false, true, Optional.empty(), error);
    }

    public static DeliveryResult retryAfter(Duration wait, String error) {
        return new DeliveryResult(false, true, Optional.of(wait), error);
    }

    public static DeliveryResult permanent(String error) {
        return new DeliveryResult(false, false, Optional.empty(), error);
    }

    /**
     * Alertmanager's {@code Retrier.Check} (notify/util.go): 2xx delivered, 5xx retried, other codes only when listed
     * as retryable (429 for Slack), and a {@code Retry-After} in seconds honoured.
     */
    public static DeliveryResult ofHttpStatus(int status, Optional<String> retryAfter, boolean retry429) {
        return ofHttpAnswer(status, retryAfter.flatMap(DeliveryResult::retryAfterHeader), retry429);
    }

    /** As {@link #ofHttpStatus}, with the wait a 429 asked for already read (from its header or its body). */
    public static DeliveryResult ofHttpAnswer(int status, Optional<Duration> wait, boolean retry429) {
        if (status / 100 == 2) {
            return ok();
        }
        String error = "unexpected status code " + status;
        if (status == 429 && retry429) {
            return new DeliveryResult(false, true, wait, error);
        }
        return status / 100 == 5 ? retryable(error) : permanent(error);
    }

    /** A {@code Retry-After} header's wait, when it is in seconds. */
    public static Optional<Duration> retryAfterHeader(String header) {
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(header.trim()))));
        } catch (NumberFormatException e) {
            return Optional.empty(); // an HTTP-date Retry-After: fall back to our own back-off
        }
    }
}
