package io.jitsiops.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Inject;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.jitsiops.deployment.DeploymentDescription;
import io.jitsiops.deployment.DeploymentDescriptions;
import io.jitsiops.health.config.HealthConfig;
import io.jitsiops.health.janssen.JanssenClient;
import io.jitsiops.health.janssen.JanssenProbes;
import io.jitsiops.health.janssen.RoomTokenProbe;
import io.jitsiops.health.probe.CheckKey;
import io.jitsiops.health.probe.HttpProber;
import io.jitsiops.health.probe.Probe;
import io.jitsiops.health.probe.ProbeOutcome;
import io.jitsiops.health.probe.ProbeSettings;
import io.jitsiops.testkit.JitsiOpsTestResource;
import io.jitsiops.testkit.server.DeploymentFiles;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Janssen as it really behaves, through the simulator's faults: opaque access tokens, a discovery document that
 * points elsewhere, SCIM scope refusal, a starting server; HS-signed room tokens; several Janssen targets; and
 * where the client secret may go (a capture server of our own stands in for "elsewhere").
 */
@QuarkusTest
@QuarkusTestResource(JitsiOpsTestResource.class)
class JanssenChecksTest {
    @Inject
    HttpProber http;
    @Inject
    HealthConfig config;
    @Inject
    DeploymentDescription deployment;

    @AfterEach
    void heal() {
        SimulatorFaults.reset();
    }

    @Test
    void opaqueAccessTokensAreCheckedThroughTheIntrospectionEndpoint() {
        SimulatorFaults.inject("janssen-opaque-tokens", "DOWN", 0);
        ProbeOutcome signing = run(deployment.requireJanssen().get(0), "jwt-signing");
        assertThat(signing.status().name()).as(signing.error()).isEqualTo("UP");
        assertThat(signing.measurements()).containsEntry("token.opaque", 1.0).containsEntry("jwt.lifetime_seconds", 299.0);
    }

    @Test
    void aDiscoveryThatPointsElsewhereIsDownAndItsTokenEndpointIsNeverCalled() {
        SimulatorFaults.inject("janssen-discovery-elsewhere", "DOWN", 0);
        ProbeOutcome discovery = run(deployment.requireJanssen().get(0), "oidc-discovery");
        assertThat(discovery.error()).startsWith("discovery points token_endpoint at http://")
                .contains("not the issuer's origin").contains("janssen.allowedHosts");
        ProbeOutcome signing = run(deployment.requireJanssen().get(0), "jwt-signing");
        assertThat(signing.error()).startsWith("discovery points token_endpoint at");
    }

    @Test
    void theClientSecretOnlyGoesToPinnedEndpointsAndNeverFollowsARedirect() throws Exception {
        List<String> captured = new CopyOnWriteArrayList<>();
        HttpServer thief = server(exchange -> {
            captured.add(exchange.getRequestURI() + " " + exchange.getRequestHeaders().getFirst("Authorization"));
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        HttpServer redirector = server(exchange -> {
            captured.add("redirector " + exchange.getRequestHeaders().getFirst("Authorization"));
            exchange.getResponseHeaders().add("Location", "http://127.0.0.1:" + thief.getAddress().getPort() + "/steal");
            exchange.sendResponseHeaders(307, -1);
            exchange.close();
        });
        HttpServer idp = server(null);
        String issuer = "http://127.0.0.1:" + idp.getAddress().getPort();
        String redirectorOrigin = "http://127.0.0.1:" + redirector.getAddress().getPort();
        idp.createContext("/.well-known/openid-configuration", exchange -> {
            byte[] body = ("{\"issuer\":\"" + issuer + "\",\"token_endpoint\":\"" + redirectorOrigin + "/token\",\"jwks_uri\":\""
                    + issuer + "/jwks\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        try {
            ProbeOutcome pinned = run(janssen(issuer, List.of()), "jwt-signing");
            assertThat(pinned.error()).isEqualTo("discovery points token_endpoint at " + redirectorOrigin
                    + ", not the issuer's origin " + issuer + " (list the host in janssen.allowedHosts to allow it)");
            assertThat(captured).isEmpty();

            ProbeOutcome allowed = run(janssen(issuer, List.of("127.0.0.1:" + redirector.getAddress().getPort())), "jwt-signing");
            assertThat(allowed.error()).startsWith("token endpoint answered HTTP 307");
            assertThat(captured).singleElement().asString().startsWith("redirector Basic ");
        } finally {
            thief.stop(0);
            redirector.stop(0);
            idp.stop(0);
        }
    }

    @Test
    void scimRefusingTheTokensScopesIsDown() {
        SimulatorFaults.inject("janssen-no-scim-scopes", "DOWN", 0);
        ProbeOutcome scim = run(deployment.requireJanssen().get(0), "scim-provisioning");
        // the simulated Janssen grants the client neither SCIM scope; the round trip needs both
        assertThat(scim.error()).isEqualTo("SCIM: Janssen did not grant https://jans.io/scim/users.read and "
                + "https://jans.io/scim/users.write — the Janssen client 'jitsi-ops' lacks the SCIM scopes the check needs: "
                + "add https://jans.io/scim/users.read and https://jans.io/scim/users.write to the client's scopes in "
                + "Janssen (Auth Server → Clients → jitsi-ops → Scopes)");
    }

    @Test
    void aJanssenThatIsStillStartingIsDown() {
        SimulatorFaults.inject("janssen-starting", "DOWN", 0);
        assertThat(run(deployment.requireJanssen().get(0), "health-check").error()).isEqualTo("Janssen status 'starting'");
    }

    @Test
    void hsRoomTokensAreVerifiedWithJitsiMeetsAppSecretAndNeverPassUnchecked() throws Exception {
        String token = hs256RoomToken("app-secret-of-jitsi-meet");
        JanssenClient janssen = new JanssenClient(deployment.requireJanssen().get(0), http);
        CheckKey key = new CheckKey("janssen", "janssen", "room-token");
        ProbeOutcome verified = new RoomTokenProbe(key, ProbeSettings.defaults(config), janssen, "ROOM_TOKEN",
                () -> Optional.of(token), "APP_SECRET", () -> Optional.of("app-secret-of-jitsi-meet")).run().await().atMost(Duration.ofSeconds(10));
        assertThat(verified.status().name()).as(verified.error()).isEqualTo("UP");
        assertThat(verified.measurements()).containsEntry("room_token.signature_checked", 1.0);
        ProbeOutcome wrong = new RoomTokenProbe(key, ProbeSettings.defaults(config), janssen, "ROOM_TOKEN",
                () -> Optional.of(token), "APP_SECRET", () -> Optional.of("another-secret")).run().await().atMost(Duration.ofSeconds(10));
        assertThat(wrong.error()).isEqualTo("room token: signature does not verify with the shared secret");
        ProbeOutcome unchecked = new RoomTokenProbe(key, ProbeSettings.defaults(config), janssen, "ROOM_TOKEN",
                () -> Optional.of(token), null, Optional::empty).run().await().atMost(Duration.ofSeconds(10));
        assertThat(unchecked.status().name()).isEqualTo("DOWN");
        assertThat(unchecked.error()).contains("set janssen.roomTokenSecretEnv");
    }

    @Test
    void severalJanssenServersEachGetTheirChecksUnderTheirOwnName() {
        String sim = SimulatorFaults.url();
        DeploymentDescription two = DeploymentDescriptions.parse("janssen:\n"
                + "  - {name: idp-eu, issuer: '" + sim + "', clientId: jitsi-ops, clientSecretEnv: " + DeploymentFiles.CLIENT_SECRET_ENV + "}\n"
                + "  - {name: idp-us, issuer: '" + sim + "', clientId: jitsi-ops, clientSecretEnv: NOT_SET_ANYWHERE}\n");
        List<Probe> probes = JanssenProbes.forDeployment(two, config, http);
        assertThat(probes).extracting(p -> p.key().toString()).contains("janssen/idp-eu/jwt-signing", "janssen/idp-us/jwt-signing",
                "janssen/idp-eu/scim-provisioning", "janssen/idp-us/health-check");
        assertThat(outcome(probes, "janssen/idp-eu/jwt-signing").status().name()).isEqualTo("UP");
        assertThat(outcome(probes, "janssen/idp-us/jwt-signing").error()).startsWith("client secret missing: set the environment variable NOT_SET_ANYWHERE");
    }

    private ProbeOutcome run(DeploymentDescription.Janssen target, String check) {
        DeploymentDescription d = new DeploymentDescription(null, null, List.of(target), null, null, null);
        return outcome(JanssenProbes.forDeployment(d, config, http), "janssen/" + target.targetName() + "/" + check);
    }

    private static ProbeOutcome outcome(List<Probe> probes, String key) {
        Probe probe = probes.stream().filter(p -> p.key().toString().equals(key)).findFirst().orElseThrow();
        return probe.run().onFailure().recoverWithItem(t -> ProbeOutcome.down(null, HttpProber.describe(t, probe.timeout())))
                .await().atMost(Duration.ofSeconds(20));
    }

    private static DeploymentDescription.Janssen janssen(String issuer, List<String> allowedHosts) {
        return new DeploymentDescription.Janssen(issuer, "jitsi-ops", DeploymentFiles.CLIENT_SECRET_ENV, null, null, null, null,
                null, null, allowedHosts, null, null, null);
    }

    private static HttpServer server(com.sun.net.httpserver.HttpHandler handler) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        if (handler != null) {
            server.createContext("/", handler);
        }
        server.start();
        return server;
    }

    private static String hs256RoomToken(String secret) throws Exception {
        JwtClaims c = new JwtClaims();
        c.setIssuer("jitsi");
        c.setAudience("jitsi");
        c.setSubject("meet.jitsi");
        c.setClaim("room", "*");
        c.setClaim("context", Map.of("user", Map.of("name", "Probe")));
        c.setExpirationTime(NumericDate.fromSeconds(Instant.now().getEpochSecond() + 2 * 86_400));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(c.toJson());
        jws.setKey(new HmacKey(secret.getBytes(StandardCharsets.UTF_8)));
        jws.setDoKeyValidation(false);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        return jws.getCompactSerialization();
    }
}
