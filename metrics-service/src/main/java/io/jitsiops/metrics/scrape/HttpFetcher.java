package io.jitsiops.metrics.scrape;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * GETs a target's statistics on the event loop with two hard bounds the Vert.x web client does not give together:
 * one deadline for the whole exchange (connect, headers and every body byte: an endless or trickling body ends
 * there) and a size limit on the body (a runaway answer is cut off, the connection reset). A connection pool per
 * origin large enough that a slow target never holds a faster one's request in a queue.
 */
@ApplicationScoped
public class HttpFetcher {
    private final Vertx vertx;
    private final HttpClient client;

    public HttpFetcher(Vertx vertx) {
        this.vertx = vertx;
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(5000)
                        .setTryUseCompression(true),
                new PoolOptions().setHttp1MaxSize(256).setMaxWaitQueueSize(4096));
    }

    /** The answer, whatever its status; fails with {@link FetchException} when none arrives in time or in size. */
    public Uni<Fetched> get(String url, String accept, Duration timeout, int maxBytes) {
        return Uni.createFrom().emitter(emitter -> fetch(url, accept, timeout, maxBytes, emitter));
    }

    private void fetch(String url, String accept, Duration timeout, int maxBytes, UniEmitter<? super Fetched> emitter) {
        long started = System.nanoTime();
        AtomicBoolean done = new AtomicBoolean();
        HttpClientRequest[] request = new HttpClientRequest[1];
        long timer = vertx.setTimer(Math.max(1, timeout.toMillis()), id -> {
            if (done.compareAndSet(false, true)) {
                if (request[0] != null) {
                    request[0].reset();
                }
                emitter.fail(new FetchException("no complete answer within " + timeout.toMillis() + " ms"));
            }
        });
        RequestOptions options;
        try {
            options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url).putHeader("Accept", accept);
        } catch (RuntimeException e) {
            vertx.cancelTimer(timer);
            emitter.fail(new FetchException("invalid URL " + url + ": " + e.getMessage()));
            return;
        }
        client.request(options).onFailure(e -> fail(done, timer, emitter, e)).onSuccess(req -> {
            request[0] = req;
            req.send().onFailure(e -> fail(done, timer, emitter, e)).onSuccess(resp -> {
                String length = resp.getHeader("Content-Length");
                if (length != null && parse(length) > maxBytes) {
                    fail(done, timer, emitter, new FetchException("answer of " + length + " bytes is over the limit of " + maxBytes));
                    req.reset();
                    return;
                }
                Buffer body = Buffer.buffer();
                resp.handler(chunk -> {
                    if (done.get()) {
                        return;
                    }
                    if (body.length() + chunk.length() > maxBytes) {
                        fail(done, timer, emitter, new FetchException("answer cut off at the limit of " + maxBytes + " bytes"));
                        req.reset();
                        return;
                    }
                    body.appendBuffer(chunk);
                });
                resp.exceptionHandler(e -> fail(done, timer, emitter, e));
                resp.endHandler(v -> {
                    if (done.compareAndSet(false, true)) {
                        vertx.cancelTimer(timer);
                        emitter.complete(new Fetched(resp.statusCode(), resp.getHeader("Content-Type"),
                                body.toString(StandardCharsets.UTF_8), (System.nanoTime() - started) / 1_000_000));
                    }
                });
            });
        });
    }

    private void fail(AtomicBoolean done, long timer, UniEmitter<? super Fetched> emitter, Throwable e) {
        if (done.compareAndSet(false, true)) {
            vertx.cancelTimer(timer);
            emitter.fail(e instanceof FetchException ? e : new FetchException(describe(e), e instanceof java.net.ConnectException));
        }
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    private static long parse(String length) {
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
