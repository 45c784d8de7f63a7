package io.jitsiops.health;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.jitsiops.health.probe.CheckStatus;
import io.jitsiops.deployment.DeploymentDescription;
import io.jitsiops.health.config.HealthConfig;
import io.jitsiops.health.janssen.JanssenClient;
import io.jitsiops.health.janssen.RoomTokenProbe;
import io.jitsiops.health.probe.CheckKey;
import io.jitsiops.health.probe.HttpProber;
import io.jitsiops.health.probe.ProbeSettings;
import io.jitsiops.health.service.CheckState;
import io.jitsiops.health.service.ProbeScheduler;
import io.jitsiops.testkit.JitsiOpsTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Every check against the Jitsi simulator, healthy and with each fault it can inject. */
@QuarkusTest
@QuarkusTestResource(JitsiOpsTestResource.class)
class HealthChecksTest {
    @Inject
    ProbeScheduler scheduler;
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
    void everyJitsiAndJanssenCheckIsUpAgainstAHealthyDeployment() {
        Map<CheckKey, CheckState> states = runAll();
        assertThat(states.keySet()).extracting(CheckKey::toString).contains(
                "prosody/prosody/bosh-session", "jicofo/jicofo/about-health", "jvb/jvb-1/about-health",
                "jvb/jvb-1/colibri-stats", "jvb/jvb-2/about-health", "web/web/site", "web/web/about-health",
                "janssen/janssen/oidc-discovery", "janssen/janssen/jwks", "janssen/janssen/jwt-signing",
                "janssen/janssen/health-check", "janssen/janssen/scim-provisioning");
        states.values().stream().filter(s -> !s.key().component().equals("host")).forEach(s ->
                assertThat(s.status()).as(s.key() + ": " + s.lastOutcome().error()).isEqualTo(CheckStatus.UP));
        assertThat(states.get(key("jvb", "jvb-1", "colibri-stats")).lastOutcome().measurements()).containsKey("jvb.stress_level");
        assertThat(states.get(key("prosody", "prosody", "bosh-session")).lastOutcome().measurements()).containsKey("bosh.session_ms");
    }

    @Test
    void aFailingBridgeIsDownWithItsOwnExplanationAndMakesTheOverallStatusDown() {
        SimulatorFaults.inject("jvb-1", "DOWN", 0);
        runAll();
        given().get("/api/health").then().statusCode(200).body("status", equalTo("DOWN"))
                .body("checks.findAll { it.target == 'jvb-1' && it.check == 'about-health' }.status", hasItem("DOWN"))
                .body("checks.findAll { it.target == 'jvb-2' && it.check == 'about-health' }.status", hasItem("UP"));
        CheckState jvb1 = runAll().get(key("jvb", "jvb-1", "about-health"));
        assertThat(jvb1.lastOutcome().error()).contains("HTTP 500").contains("No valid IP addresses available for harvesting.");
    }

    @Test
    void aSlowComponentIsDegraded() {
        SimulatorFaults.inject("prosody", "SLOW", 800);
        CheckState prosody = runAll().get(key("prosody", "prosody", "bosh-session"));
        assertThat(prosody.status()).isEqualTo(CheckStatus.DEGRADED);
        assertThat(prosody.lastOutcome().error()).startsWith("slow: answered in");
    }

    @Test
    void aHungEndpointCostsAtMostItsTimeoutAndIsDown() {
        SimulatorFaults.inject("jicofo", "SLOW", 60_000);
        long started = System.nanoTime();
        CheckState jicofo = runAll().get(key("jicofo", "jicofo", "about-health"));
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertThat(jicofo.status()).isEqualTo(CheckStatus.DOWN);
        assertThat(jicofo.lastOutcome().error()).isEqualTo("no answer within 2000 ms");
        assertThat(tookMs).isLessThan(5_000);
    }

    @Test
    void anHtmlPageWhereJsonWasExpectedIsDownWithAClearError() {
        SimulatorFaults.inject("jvb-1", "GARBAGE", 0);
        CheckState stats = runAll().get(key("jvb", "jvb-1", "colibri-stats"));
        assertThat(stats.status()).isEqualTo(CheckStatus.DOWN);
        assertThat(stats.lastOutcome().error()).startsWith("colibri stats are not JSON");
    }

    @Test
    void aGatewayErrorIsDownWithTheStatus() {
        SimulatorFaults.inject("web", "ERROR", 0);
        CheckState web = runAll().get(key("web", "web", "site"));
        assertThat(web.status()).isEqualTo(CheckStatus.DOWN);
        assertThat(web.lastOutcome().error()).startsWith("HTTP 502 (expected 200)").contains("Bad Gateway");
    }

    @Test
    void aDrainingBridgeIsDegraded() {
        SimulatorFaults.post("/bridges/jvb-1/drain?enabled=true");
        CheckState stats = runAll().get(key("jvb", "jvb-1", "colibri-stats"));
        assertThat(stats.status()).isEqualTo(CheckStatus.DEGRADED);
        assertThat(stats.lastOutcome().error()).contains("draining");
    }

    @Test
    void aRotatedSigningKeyIsReportedAndItsTokensStillVerify() {
        runAll();
        SimulatorFaults.post("/janssen/rotate-key");
        CheckState signing = runAll().get(key("janssen", "janssen", "jwt-signing"));
        assertThat(signing.status()).as(signing.lastOutcome().error()).isEqualTo(CheckStatus.UP);
        assertThat(signing.lastOutcome().measurements()).containsEntry("jwt.key_rotated", 1.0);
    }

    @Test
    void tokensSignedWithAKeyTheJwksDoesNotPublishAreDown() {
        SimulatorFaults.post("/janssen/unpublish-key");
        Map<CheckKey, CheckState> states = runAll();
        assertThat(states.get(key("janssen", "janssen", "jwt-signing")).lastOutcome().error())
                .startsWith("issued token does not verify: signing key kid=").endsWith("is not in the JWKS");
        // The other keys of the set stay published: the JWKS itself is fine, the tokens are not.
        assertThat(states.get(key("janssen", "janssen", "jwks")).status()).isEqualTo(CheckStatus.UP);
    }

    @Test
    void anExpiredSigningKeyIsDownInTheJwksAndItsTokensDoNotVerify() {
        SimulatorFaults.post("/janssen/expire-key");
        Map<CheckKey, CheckState> states = runAll();
        assertThat(states.get(key("janssen", "janssen", "jwks")).lastOutcome().error()).startsWith("every JWKS signing key is expired");
        assertThat(states.get(key("janssen", "janssen", "jwt-signing")).lastOutcome().error()).contains("token expired at");
    }

    @Test
    void janssenDownTakesEveryJanssenCheckDownWithTheReason() {
        SimulatorFaults.inject("janssen", "DOWN", 0);
        Map<CheckKey, CheckState> states = runAll();
        assertThat(states.get(key("janssen", "janssen", "oidc-discovery")).lastOutcome().error())
                .startsWith("discovery document: HTTP 503");
        assertThat(states.get(key("janssen", "janssen", "health-check")).lastOutcome().error())
                .isEqualTo("Janssen database is offline");
    }

    @Test
    void scimFailureIsDownAndTheRoundTripLeavesNoTestUserBehind() {
        CheckState ok = runAll().get(key("janssen", "janssen", "scim-provisioning"));
        assertThat(ok.lastOutcome().measurements()).containsKey("scim.round_trip_ms");
        assertThat(scimUsers()).isZero();
        SimulatorFaults.inject("scim", "DOWN", 0);
        CheckState failed = runAll().get(key("janssen", "janssen", "scim-provisioning"));
        assertThat(failed.status()).isEqualTo(CheckStatus.DOWN);
        assertThat(failed.lastOutcome().error()).startsWith("SCIM ServiceProviderConfig: HTTP 500");
    }

    @Test
    void aProvisioningRoundTripThatFailsHalfwayStillDeletesItsTestUser() {
        SimulatorFaults.inject("scim-read", "ERROR", 0);
        CheckState failed = runAll().get(key("janssen", "janssen", "scim-provisioning"));
        assertThat(failed.status()).isEqualTo(CheckStatus.DOWN);
        assertThat(failed.lastOutcome().error()).startsWith("SCIM read back user");
        assertThat(scimUsers()).isZero();
    }

    @Test
    void aTestUserThatCouldNotBeDeletedIsDeletedOnTheNextRun() {
        SimulatorFaults.inject("scim-delete", "ERROR", 0);
        runAll();
        assertThat(scimUsers()).isEqualTo(1);
        SimulatorFaults.reset();
        CheckState next = runAll().get(key("janssen", "janssen", "scim-provisioning"));
        assertThat(next.status()).isEqualTo(CheckStatus.UP);
        assertThat(scimUsers()).isZero();
    }

    private static int scimUsers() {
        return given().baseUri(SimulatorFaults.url()).auth().oauth2(SimulatorFaults.scimToken())
                .get("/jans-scim/restv1/v2/Users").then().statusCode(200).extract().path("totalResults");
    }

    @Test
    void thisHostsResourcesAreReadFromProc() {
        CheckState host = runAll().values().stream().filter(s -> s.key().component().equals("host")).findFirst().orElseThrow();
        assertThat(host.lastOutcome().measurements()).containsKeys("memory.usage_percent", "disk.usage_percent", "load.1m");
        CheckState again = runAll().get(host.key());
        assertThat(again.lastOutcome().measurements()).containsKeys("cpu.usage_percent", "cpu.steal_percent",
                "network.receive_bytes_per_second");
    }

    @Test
    void aRemoteHostsResourcesAreReadFromItsNodeExporter() {
        runAll();
        CheckState host = runAll().get(key("host", "jvb-host", "resources"));
        assertThat(host.status()).as(host.lastOutcome().error()).isEqualTo(CheckStatus.UP);
        assertThat(host.lastOutcome().measurements().get("cpu.usage_percent")).isBetween(25.0, 45.0); // ~35 % busy, two quick scrapes
        assertThat(host.lastOutcome().measurements().get("cpu.steal_percent")).isBetween(1.0, 3.0); // the simulator's 2 %
        assertThat(host.lastOutcome().measurements().get("memory.usage_percent")).isBetween(38.0, 39.0);
        assertThat(host.lastOutcome().measurements()).containsKey("disk.usage_percent:/").doesNotContainKey("disk.usage_percent:/run");
        SimulatorFaults.inject("jvb-host", "DOWN", 0);
        assertThat(runAll().get(key("host", "jvb-host", "resources")).status()).isEqualTo(CheckStatus.DOWN);
    }

    @Test
    void aRoomTokenSignedByJanssenWithJitsiClaimsPassesAndAnExpiredOneIsDown() {
        CheckState valid = roomToken(2 * 86_400);
        assertThat(valid.status()).as(valid.lastOutcome().error()).isEqualTo(CheckStatus.UP);
        assertThat(valid.lastOutcome().measurements()).containsEntry("room_token.signature_checked", 1.0);
        CheckState expired = roomToken(-120);
        assertThat(expired.status()).isEqualTo(CheckStatus.DOWN);
        assertThat(expired.lastOutcome().error()).startsWith("room token expired at");
    }

    private CheckState roomToken(long expiresInSeconds) {
        String token = given().baseUri(SimulatorFaults.url()).queryParam("room", "standup")
                .queryParam("expiresInSeconds", expiresInSeconds).post("/admin/janssen/room-token")
                .then().statusCode(200).extract().path("token");
        RoomTokenProbe probe = new RoomTokenProbe(key("janssen", "janssen", "room-token"), ProbeSettings.defaults(config),
                new JanssenClient(deployment.requireJanssen().get(0), http), "UNUSED", () -> Optional.of(token), null, Optional::empty);
        return scheduler.execute(probe).await().atMost(Duration.ofSeconds(20));
    }

    private Map<CheckKey, CheckState> runAll() {
        List<CheckState> states = scheduler.runAll().await().atMost(Duration.ofSeconds(30));
        return states.stream().collect(Collectors.toMap(CheckState::key, Function.identity(), (a, b) -> b));
    }

    private static CheckKey key(String component, String target, String check) {
        return new CheckKey(component, target, check);
    }
}
