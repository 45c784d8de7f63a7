package io.jitsiops.health.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.jitsiops.health.probe.CheckKey;
import io.jitsiops.health.probe.CheckStatus;
import io.jitsiops.health.probe.HttpProber;
import io.jitsiops.health.probe.Probe;
import io.jitsiops.health.probe.ProbeFailure;
import io.jitsiops.health.probe.ProbeOutcome;
import io.jitsiops.testkit.JitsiOpsTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;

/** The scheduler's promises: one run per check at a time, bounded runs, retries only where they can help. */
@QuarkusTest
@QuarkusTestResource(JitsiOpsTestResource.class)
class ProbeSchedulerTest {
    private static final AtomicInteger NAMES = new AtomicInteger();
    @Inject
    ProbeScheduler scheduler;
    @Inject
    HttpProber http;

    @Test
    void anOnDemandRunDuringARunningOneJoinsItInsteadOfProbingTwice() {
        CountingProbe probe = new CountingProbe(Duration.ofSeconds(2), 0,
                n -> Uni.createFrom().item(ProbeOutcome.up(5, null)).onItem().delayIt().by(Duration.ofMillis(400)));
        Uni<CheckState> scheduled = scheduler.execute(probe);
        Uni<CheckState> onDemand = scheduler.execute(probe);
        List<CheckState> both = Uni.join().all(scheduled, onDemand).andFailFast().await().atMost(Duration.ofSeconds(5));
        assertThat(probe.runs.get()).isEqualTo(1);
        assertThat(both.get(0)).isSameAs(both.get(1));
        scheduler.execute(probe).await().atMost(Duration.ofSeconds(5));
        assertThat(probe.runs.get()).as("a later run is a new run").isEqualTo(2);
    }

    @Test
    void aRunCountsAsRunningOnlyOnceSubscribed() {
        CountingProbe probe = new CountingProbe(Duration.ofSeconds(2), 0, n -> Uni.createFrom().item(ProbeOutcome.up(1, null)));
        Uni<CheckState> built = scheduler.execute(probe); // built, never subscribed: must not block other runs
        assertThat(scheduler.execute(probe).await().atMost(Duration.ofSeconds(5)).status()).isEqualTo(CheckStatus.UP);
        built.await().atMost(Duration.ofSeconds(5));
        assertThat(probe.runs.get()).isEqualTo(2);
    }

    @Test
    void aTargetThatAcceptsButNeverAnswersEndsDownWithinTheRunLimitAfterEveryAttempt() throws IOException {
        try (BlackHole hole = new BlackHole()) {
            Duration timeout = Duration.ofMillis(300);
            CountingProbe probe = new CountingProbe(timeout, 2,
                    n -> http.get(hole.uri(), Duration.ofSeconds(30), Map.of()).map(a -> ProbeOutcome.up(a.latencyMs(), null)));
            CheckState state = scheduler.execute(probe).await().atMost(Duration.ofSeconds(20));
            assertThat(state.lastOutcome().status()).isEqualTo(CheckStatus.DOWN);
            // The last attempt's own timeout, or, on a machine slow enough to eat the margin, the run limit that
            // bounds all attempts: either way the run ends DOWN, never after a third attempt.
            assertThat(state.lastOutcome().error())
                    .matches("no answer within 300 ms|no result within 1750 ms \\(3 attempt\\(s\\) of 300 ms\\)");
            if (state.lastOutcome().error().startsWith("no answer")) {
                assertThat(probe.runs.get()).as("a timeout is worth retrying: every attempt ran").isEqualTo(3);
            } else {
                // The run limit cut the run: timers late enough on a loaded machine to eat the 250 ms margin can also
                // keep the third attempt from starting; a retry still ran, and never a fourth attempt.
                assertThat(probe.runs.get()).as("a timeout is worth retrying").isBetween(2, 3);
            }
            assertThat(ProbeScheduler.runLimit(probe)).isEqualTo(Duration.ofMillis(3 * 300 + 200 + 400 + 250));
        }
    }

    @Test
    void aProbeThatNeverCompletesIsCutOffAtItsTimeout() {
        CountingProbe probe = new CountingProbe(Duration.ofMillis(200), 0, n -> Uni.createFrom().nothing());
        CheckState state = scheduler.execute(probe).await().atMost(Duration.ofSeconds(10));
        assertThat(state.lastOutcome().error()).isEqualTo("no answer within 200 ms");
    }

    @Test
    void retriesAFailureWorthRetryingWithBackOffUntilItSucceeds() {
        CountingProbe probe = new CountingProbe(Duration.ofSeconds(1), 3, n -> Uni.createFrom().item(n < 3
                ? ProbeOutcome.transientDown(3L, "HTTP 503 (expected 200)", null) : ProbeOutcome.up(3, null)));
        CheckState state = scheduler.execute(probe).await().atMost(Duration.ofSeconds(10));
        assertThat(state.lastOutcome().status()).isEqualTo(CheckStatus.UP);
        assertThat(probe.runs.get()).isEqualTo(3);
        assertThat(probe.gapsMs()).allSatisfy(gap -> assertThat(gap).isGreaterThanOrEqualTo(150));
    }

    @Test
    void doesNotRetryAPermanentFailure() {
        CountingProbe failing = new CountingProbe(Duration.ofSeconds(1), 3,
                n -> Uni.createFrom().failure(new ProbeFailure("HTTP 401 from the token endpoint")));
        assertThat(scheduler.execute(failing).await().atMost(Duration.ofSeconds(5)).lastOutcome().error())
                .isEqualTo("HTTP 401 from the token endpoint");
        assertThat(failing.runs.get()).isEqualTo(1);
        CountingProbe garbage = new CountingProbe(Duration.ofSeconds(1), 3,
                n -> Uni.createFrom().item(ProbeOutcome.down(2L, "expected JSON, got an HTML page")));
        scheduler.execute(garbage).await().atMost(Duration.ofSeconds(5));
        assertThat(garbage.runs.get()).isEqualTo(1);
    }

    @Test
    void classifiesRequestFailuresAsRetryableOrPermanent() {
        assertThat(HttpProber.isTransient(new java.net.ConnectException("Connection refused"))).isTrue();
        assertThat(HttpProber.isTransient(new java.net.http.HttpTimeoutException("request timed out"))).isTrue();
        assertThat(HttpProber.isTransient(new javax.net.ssl.SSLHandshakeException("PKIX path building failed"))).isFalse();
        assertThat(HttpProber.isTransient(new java.net.UnknownHostException("jvb-9"))).isFalse();
        assertThat(HttpProber.isTransient(new IOException("too many redirects"))).isFalse();
        assertThat(HttpProber.isTransient(new ProbeFailure("issuer mismatch"))).isFalse();
    }

    /** A probe whose n-th attempt (1-based) answers what {@code answer} says, counting attempts and their times. */
    private static final class CountingProbe implements Probe {
        final AtomicInteger runs = new AtomicInteger();
        final List<Long> startedNanos = new ArrayList<>();
        private final CheckKey key = new CheckKey("test", "probe-" + NAMES.incrementAndGet(), "counting");
        private final Duration timeout;
        private final int retries;
        private final Function<Integer, Uni<ProbeOutcome>> answer;

        CountingProbe(Duration timeout, int retries, Function<Integer, Uni<ProbeOutcome>> answer) {
            this.timeout = timeout;
            this.retries = retries;
            this.answer = answer;
        }

        @Override
        public CheckKey key() {
            return key;
        }

        @Override
        public Duration interval() {
            return Duration.ofMinutes(1);
        }

        @Override
        public Duration timeout() {
            return timeout;
        }

        @Override
        public int retries() {
            return retries;
        }

        @Override
        public Uni<ProbeOutcome> run() {
            synchronized (startedNanos) {
                startedNanos.add(System.nanoTime());
            }
            return answer.apply(runs.incrementAndGet());
        }

        List<Long> gapsMs() {
            List<Long> gaps = new ArrayList<>();
            for (int i = 1; i < startedNanos.size(); i++) {
                gaps.add((startedNanos.get(i) - startedNanos.get(i - 1)) / 1_000_000);
            }
            return gaps;
        }
    }

    /** A TCP server that accepts connections and never writes a byte: a hung target. */
    private static final class BlackHole implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        private final List<Socket> held = new ArrayList<>();
        private final Thread acceptor;

        BlackHole() throws IOException {
            acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        synchronized (held) {
                            held.add(s);
                        }
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "black-hole");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/about/health");
        }

        @Override
        public void close() throws IOException {
            server.close();
            synchronized (held) {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }
}
