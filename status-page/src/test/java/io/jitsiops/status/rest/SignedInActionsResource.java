package io.jitsiops.status.rest;

import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import io.jitsiops.testkit.LocalServers;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

/**
 * The real simulator (its Janssen issues the tokens) and an HTTP server standing in for alert-service, which is
 * tested elsewhere: here it records what the page's proxy sends it and answers 200.
 */
public class SignedInActionsResource implements QuarkusTestResourceLifecycleManager {
    static final ConcurrentLinkedQueue<Map<String, String>> RECEIVED = new ConcurrentLinkedQueue<>();
    private Vertx vertx;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            // The test reads what came in over HTTP (it may run in another class loader than this resource).
            if (req.uri().equals("/received")) {
                String json = new io.vertx.core.json.JsonArray(java.util.List.copyOf(RECEIVED)).encode();
                RECEIVED.clear();
                req.response().putHeader("Content-Type", "application/json").end(json);
                return;
            }
            RECEIVED.add(Map.of("uri", req.uri(), "authorization", String.valueOf(req.getHeader("Authorization")),
                    "body", body.toString()));
            req.response().putHeader("Content-Type", "application/json")
                    .end("{\"fingerprint\":\"fp-1\",\"acknowledgedUntil\":\"2026-11-29T20:00:00Z\"}");
        }));
        try {
            server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("stand-in for alert-service did not start", e);
        }
        String sim = LocalServers.simulator().url();
        return Map.of("quarkus.oidc.auth-server-url", sim,
                "jitsiops.status-page.sign-in.issuer", sim,
                "jitsiops.status-page.alert-service", "http://127.0.0.1:" + server.actualPort(),
                "jitsiops.simulator.url", sim);
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close();
        }
    }
}
