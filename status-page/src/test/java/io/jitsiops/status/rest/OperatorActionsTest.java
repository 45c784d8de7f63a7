package io.jitsiops.status.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.jitsiops.status.client.PanelSource;
import io.jitsiops.status.config.StatusPageConfig;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.http.HttpServer;

/**
 * The page's actions through health-service: a real HTTP server stands in for alert-service and backup-service
 * (both are tested elsewhere against the real servers); what matters here is what the proxy sends on and returns.
 */
class OperatorActionsTest {
    private static final String BEARER = "Bearer eyJhbGciOiJSUzI1NiJ9.operator-token-of-the-test.c2lnbmF0dXJl";
    private static Vertx vertx;
    private static HttpServer standIn;
    private static final ConcurrentLinkedQueue<Map<String, String>> seen = new ConcurrentLinkedQueue<>();
    private static volatile int answerStatus = 200;
    private static volatile String answerBody = "{}";
    private static volatile Map<String, String> answerHeaders = Map.of();

    @BeforeAll
    static void startStandIn() {
        vertx = Vertx.vertx();
        standIn = vertx.createHttpServer().requestHandler(req -> req.body().subscribe().with(body -> {
            seen.add(Map.of("method", req.method().name(), "uri", req.uri(),
                    "authorization", String.valueOf(req.getHeader("Authorization")), "body", body.toString()));
            var resp = req.response().setStatusCode(answerStatus);
            answerHeaders.forEach(resp::putHeader);
            if (answerBody.isEmpty()) {
                resp.endAndForget();
            } else {
                resp.putHeader("Content-Type", "application/json").endAndForget(answerBody);
            }
        })).listenAndAwait(0, "127.0.0.1");
    }

    @AfterAll
    static void stop() {
        standIn.closeAndAwait();
        vertx.closeAndAwait();
    }

    @BeforeEach
    void clear() {
        seen.clear();
        answerStatus = 200;
        answerBody = "{}";
        answerHeaders = Map.of();
    }

    @Test
    void theAlertsPanelAsksForTheMostSevereFirstAndPassesOnHowManyFire() {
        answerBody = "[{\"fingerprint\":\"fp-1\",\"severity\":\"CRITICAL\"}]";
        answerHeaders = Map.of("X-Total-Count", "312");
        Response r = resource(standInUrl()).alerts().await().indefinitely();
        assertThat(r.getStatus()).isEqualTo(200);
        assertThat(r.getHeaderString("X-Total-Count")).isEqualTo("312");
        assertThat(r.getEntity()).isEqualTo(answerBody);
        assertThat(seen.poll()).containsEntry("method", "GET")
                .containsEntry("uri", "/api/alerts?state=firing&limit=" + StatusPanelResource.ALERTS_SHOWN + "&order=severity");
    }

    @Test
    void acknowledgeForwardsTheBearerAndTheBodyUnchangedAndReturnsAlertServicesAnswer() {
        answerBody = "{\"fingerprint\":\"a1/b\",\"until\":\"2026-11-29T20:00:00Z\"}";
        Response r = resource(standInUrl()).acknowledge("a1/b", BEARER, "{\"duration\":\"4h\"}").await().indefinitely();
        assertThat(r.getStatus()).isEqualTo(200);
        assertThat(r.getEntity()).isEqualTo(answerBody);
        Map<String, String> got = seen.poll();
        assertThat(got).containsEntry("method", "POST").containsEntry("uri", "/api/alerts/a1%2Fb/ack")
                .containsEntry("authorization", BEARER).containsEntry("body", "{\"duration\":\"4h\"}");
    }

    @Test
    void silenceForwardsToAlertServiceSilences() {
        answerStatus = 201;
        answerBody = "{\"id\":\"3f0c\",\"state\":\"active\"}";
        String body = "{\"matchers\":[\"component=\\\"jvb\\\"\"],\"endsAt\":\"2026-11-29T20:00:00Z\",\"comment\":\"maintenance\"}";
        Response r = resource(standInUrl()).silence(BEARER, body).await().indefinitely();
        assertThat(r.getStatus()).isEqualTo(201);
        assertThat(seen.poll()).containsEntry("uri", "/api/silences").containsEntry("authorization", BEARER).containsEntry("body", body);
    }

    @Test
    void alertServicesRefusalComesBackAsItIsSoThePageCanSayWhy() {
        answerStatus = 403;
        answerBody = "";
        assertThat(resource(standInUrl()).acknowledge("fp", BEARER, null).await().indefinitely().getStatus()).isEqualTo(403);
        answerStatus = 401;
        assertThat(resource(standInUrl()).silence(null, "{}").await().indefinitely().getStatus()).isEqualTo(401);
        assertThat(seen).extracting(m -> m.get("authorization")).containsExactly(BEARER, "null");
    }

    @Test
    void anUnreachableAlertServiceIsA503NamingIt() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Response r = resource("http://127.0.0.1:" + closed).acknowledge("fp", BEARER, "{}").await().indefinitely();
        assertThat(r.getStatus()).isEqualTo(503);
        assertThat(r.getEntity()).asString().contains("alert-service").contains("connection refused").doesNotContain("operator-token");
    }

    @Test
    void theBearerTokenIsNeverLogged() {
        List<LogRecord> records = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        Level before = root.getLevel();
        root.setLevel(Level.ALL);
        root.addHandler(capture);
        try {
            answerStatus = 403;
            resource(standInUrl()).acknowledge("fp", BEARER, "{}").await().indefinitely();
            resource("http://127.0.0.1:1").silence(BEARER, "{}").await().indefinitely();
        } finally {
            root.removeHandler(capture);
            root.setLevel(before);
        }
        assertThat(records).noneMatch(r -> String.valueOf(r.getMessage()).contains("operator-token")
                || (r.getParameters() != null && List.of(r.getParameters()).toString().contains("operator-token")));
    }

    @Test
    void theRestoresPanelAsksBackupServiceForTheNewestRestores() {
        answerBody = "[]";
        Response r = resource(standInUrl()).restores().await().indefinitely();
        assertThat(r.getStatus()).isEqualTo(200);
        assertThat(seen.poll()).containsEntry("method", "GET").containsEntry("uri", "/api/restores?limit=10");
    }

    @Test
    void theSignInSettingsAreJanssensEndpointsUnderTheIssuerAndHoldNoSecret() throws Exception {
        var settings = resource(standInUrl()).signInSettings();
        assertThat(settings.authorizationEndpoint()).isEqualTo("http://janssen.test/janssen/jans-auth/restv1/authorize");
        assertThat(settings.tokenEndpoint()).isEqualTo("http://janssen.test/janssen/jans-auth/restv1/token");
        assertThat(settings.clientId()).isEqualTo("jitsi-ops-status-page");
        String json = new ObjectMapper().writeValueAsString(settings);
        assertThat(json).doesNotContainIgnoringCase("secret").doesNotContainIgnoringCase("password");
    }

    private String standInUrl() {
        return "http://127.0.0.1:" + standIn.actualPort();
    }

    private StatusPanelResource resource(String url) {
        StatusPageConfig config = config(URI.create(url));
        return new StatusPanelResource(new PanelSource(vertx, config), config);
    }

    static StatusPageConfig config(URI everyService) {
        StatusPageConfig.SignIn signIn = new StatusPageConfig.SignIn() {
            public String issuer() {
                return "http://janssen.test/janssen/";
            }

            public String clientId() {
                return "jitsi-ops-status-page";
            }

            public String scope() {
                return "openid profile";
            }

            public Optional<String> authorizationEndpoint() {
                return Optional.empty();
            }

            public Optional<String> tokenEndpoint() {
                return Optional.empty();
            }
        };
        return new StatusPageConfig() {
            public URI alertService() {
                return everyService;
            }

            public URI metricsService() {
                return everyService;
            }

            public URI logService() {
                return everyService;
            }

            public URI backupService() {
                return everyService;
            }

            public Duration timeout() {
                return Duration.ofSeconds(2);
            }

            public int restoresShown() {
                return 10;
            }

            public SignIn signIn() {
                return signIn;
            }
        };
    }
}
