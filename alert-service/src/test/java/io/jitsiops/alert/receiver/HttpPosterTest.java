package io.jitsiops.alert.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.vertx.core.buffer.Buffer;

/** How long a 429 asks us to wait: its Retry-After header, else what Matrix and Telegram put in the answer's body. */
class HttpPosterTest {

    @Test
    void aRetryAfterHeaderInSecondsWins() {
        assertThat(HttpPoster.retryAfter(429, "7", Buffer.buffer("{\"retry_after_ms\":2000}"))).contains(Duration.ofSeconds(7));
    }

    @Test
    void matrixsLimitExceededBodyGivesTheWaitInMilliseconds() {
        Buffer body = Buffer.buffer("{\"errcode\":\"M_LIMIT_EXCEEDED\",\"error\":\"Too many requests\",\"retry_after_ms\":2000}");
        assertThat(HttpPoster.retryAfter(429, null, body)).contains(Duration.ofMillis(2000));
    }

    @Test
    void telegramsFloodControlBodyGivesTheWaitInSeconds() {
        Buffer body = Buffer.buffer("{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after 5\","
                + "\"parameters\":{\"retry_after\":5}}");
        assertThat(HttpPoster.retryAfter(429, null, body)).contains(Duration.ofSeconds(5));
    }

    @Test
    void anythingElseLeavesTheWaitToOurOwnBackOff() {
        assertThat(HttpPoster.retryAfter(429, null, Buffer.buffer("slow down"))).isEqualTo(Optional.empty());
        assertThat(HttpPoster.retryAfter(429, "Wed, 21 Oct 2026 07:28:00 GMT", Buffer.buffer(""))).isEqualTo(Optional.empty());
        assertThat(HttpPoster.retryAfter(503, null, Buffer.buffer("{\"retry_after_ms\":2000}"))).isEqualTo(Optional.empty());
    }
}
