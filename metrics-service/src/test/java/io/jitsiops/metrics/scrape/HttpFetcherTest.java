package io.jitsiops.metrics.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;

/**
 * The fetcher's bounds against a real HTTP server on loopback playing the broken targets: a trickling endless
 * body, an oversized body, a silent server, a refused port. A fast target answers meanwhile.
 */
class HttpFetcherTest {
    static Vertx vertx;
    static HttpServer server;
    static HttpFetcher fetcher;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(req -> {
            switch (req.path()) {
                case "/fast" -> req.response().putHeader("Content-Type", "text/plain; version=0.0.4").end("up 1\n");
                case "/endless" -> {
                    req.response().setChunked(true);
                    long id = vertx.setPeriodic(20, t -> req.response().write("up 1\n"));
                    req.connection().closeHandler(v -> vertx.cancelTimer(id));
                }
                case "/huge" -> req.response().setChunked(true).write(Buffer.buffer(new byte[64 * 1024]))
                        .onSuccess(v -> req.response().end(Buffer.buffer(new byte[64 * 1024])));
                case "/silent" -> { } // never answers
                default -> req.response().setStatusCode(404).end();
            }
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        base = "http://127.0.0.1:" + server.actualPort();
        fetcher = new HttpFetcher(vertx);
    }

    @AfterAll
    static void stop() {
        vertx.close();
    }

    @Test
    void anEndlessBodyEndsAtTheDeadline() {
        assertThatThrownBy(() -> fetcher.get(base + "/endless", "*/*", Duration.ofMillis(500), 1 << 20).await().atMost(Duration.ofSeconds(5)))
                .isInstanceOf(FetchException.class).hasMessageContaining("no complete answer within 500 ms");
    }

    @Test
    void aHugeBodyIsCutAtTheSizeLimit() {
        assertThatThrownBy(() -> fetcher.get(base + "/huge", "*/*", Duration.ofSeconds(5), 32 * 1024).await().atMost(Duration.ofSeconds(5)))
                .isInstanceOf(FetchException.class).hasMessageContaining("cut off at the limit of 32768 bytes");
    }

    @Test
    void aSilentOrRefusingTargetFailsWithoutHoldingAFastOne() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        // the silent target's deadline is far beyond the fast one's answer, so "not held" needs no timing: the fast
        // answer arrives while the silent request is still pending (a 1 s bound here failed once on a loaded machine)
        var silent = fetcher.get(base + "/silent", "*/*", Duration.ofSeconds(60), 1024).subscribeAsCompletionStage();
        Fetched fast = fetcher.get(base + "/fast", "*/*", Duration.ofSeconds(20), 1024).await().atMost(Duration.ofSeconds(30));
        assertThat(fast.body()).isEqualTo("up 1\n");
        assertThat(fast.contentType()).startsWith("text/plain");
        assertThat(silent).isNotDone();
        silent.toCompletableFuture().cancel(true);
        assertThatThrownBy(() -> fetcher.get("http://127.0.0.1:" + closed + "/metrics", "*/*", Duration.ofSeconds(2), 1024)
                .await().atMost(Duration.ofSeconds(5))).isInstanceOf(FetchException.class).hasMessageContaining("onnection refused");
        assertThat(fetcher.get(base + "/nothing", "*/*", Duration.ofSeconds(2), 1024).await().atMost(Duration.ofSeconds(5)).status())
                .isEqualTo(404);
    }
}
