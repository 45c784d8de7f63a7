package io.jitsiops.health;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.jitsiops.events.Topics;
import io.jitsiops.health.conference.ConferenceProbe;
import io.jitsiops.health.conference.ConferenceProbeSettings;
import io.jitsiops.health.config.HealthConfig.ConferenceProbe.Auth;
import io.jitsiops.health.probe.CheckStatus;
import io.jitsiops.health.probe.HttpProber;
import io.jitsiops.health.service.CheckState;
import io.jitsiops.health.service.ProbeScheduler;
import io.jitsiops.testkit.JitsiOpsTestResource;
import io.jitsiops.testkit.KafkaRecords;
import io.jitsiops.testkit.LocalServers;
import io.jitsiops.testkit.server.DeploymentFiles;
import io.jitsiops.testkit.server.ProsodyServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The synthetic conference against the test kit's real prosody (Debian's 0.12, with the conference MUC component and
 * jicofo's auth host) and the simulator's jicofo focus logged in to it over XMPP: success end to end, and each step's
 * failure produced by a real cause (a stopped prosody, a refused password, an unresolvable name) or a simulator fault
 * (focus not answering, jicofo refusing the requester, no operational bridge).
 */
@QuarkusTest
@QuarkusTestResource(JitsiOpsTestResource.class)
class ConferenceProbeTest {
    @Inject
    ProbeScheduler scheduler;
    @Inject
    HttpProber http;
    @Inject
    MeterRegistry registry;

    ProsodyServer prosody;

    @BeforeEach
    void focusLoggedInToTheRealProsody() {
        prosody = LocalServers.prosody();
        given().baseUri(SimulatorFaults.url()).contentType(ContentType.JSON)
                .body(Map.of("host", "127.0.0.1", "port", prosody.c2sPort(), "xmppDomain", prosody.domain(),
                        "authDomain", prosody.authDomain(), "mucDomain", prosody.mucDomain(),
                        "username", ProsodyServer.FOCUS_USER, "password", ProsodyServer.FOCUS_PASSWORD))
                .put("/admin/focus").then().statusCode(204);
    }

    @AfterEach
    void healthyAgain() {
        SimulatorFaults.reset();
    }

    @Test
    void setsUpARealConferenceThroughProsodyAndFocusAndReportsEachStepAsResultMetricsAndEvent() {
        CheckState s = run(settings("conf-ok", Auth.anonymous, Optional.empty()));

        assertThat(s.status()).as(s.lastOutcome().error()).isIn(CheckStatus.UP, CheckStatus.DEGRADED);
        assertThat(s.lastOutcome().measurements()).containsKeys("step.dns_tls_ms", "step.prosody_session_ms",
                "step.auth_ms", "step.conference_request_ms", "step.muc_join_ms", "step.focus_present_ms",
                "step.bridge_allocated_ms", "step.cleanup_ms").doesNotContainKey("failed_step");
        assertThat(s.lastOutcome().measurements().get("bridge.ice_candidates")).isGreaterThanOrEqualTo(1.0);
        // clean-up: both participants left, so focus left the room too (jicofo stops an empty conference)
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(focusRooms()).isEmpty());

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).containsPattern("jitsiops_health_conference_probe_step_seconds_count\\{step=\"bridge-allocated\","
                + "target=\"conf-ok\"} 1(\\.0)?\n");
        assertThat(metrics).containsPattern("jitsiops_health_conference_probe_failures_total\\{step=\"muc-join\","
                + "target=\"conf-ok\"} 0(\\.0)?\n");
        assertThat(metrics).contains("jitsiops_health_check_up{check=\"synthetic-conference\",component=\"conference\","
                + "target=\"conf-ok\"}");
        var event = KafkaRecords.first(Topics.HEALTH, r -> new String(r.value(), StandardCharsets.UTF_8)
                .contains("\"target\":\"conf-ok\""));
        assertThat(new String(event.value(), StandardCharsets.UTF_8)).contains("\"check\":\"synthetic-conference\"")
                .contains("step.bridge_allocated_ms");
    }

    @Test
    void asksJicofoOverHttpWhenAConferenceRequestUrlIsConfiguredAsJitsiMeetDoes() {
        CheckState s = run(settings("conf-http", Auth.anonymous,
                Optional.of(URI.create(SimulatorFaults.url() + "/jicofo/conference-request/v1"))));
        assertThat(s.status()).as(s.lastOutcome().error()).isIn(CheckStatus.UP, CheckStatus.DEGRADED);
        assertThat(s.lastOutcome().measurements()).containsKey("step.bridge_allocated_ms");
    }

    @Test
    void aFocusThatDoesNotAnswerFailsTheConferenceRequestStep() {
        SimulatorFaults.inject("focus", "DOWN", 0);
        CheckState s = run(settings("conf-focus-down", Auth.anonymous, Optional.empty()));
        assertThat(s.status()).isEqualTo(CheckStatus.DOWN);
        assertThat(s.lastOutcome().error()).startsWith("conference-request: focus not answering: no answer from focus@");
        assertThat(s.lastOutcome().measurements()).containsEntry("failed_step", 4.0).containsKey("step.auth_ms")
                .doesNotContainKey("step.muc_join_ms").containsKey("step.cleanup_ms");
    }

    @Test
    void jicofoRefusingTheRequesterIsAnAuthRejectionAtTheConferenceRequest() {
        SimulatorFaults.inject("focus-auth", "DOWN", 0);
        CheckState xmpp = run(settings("conf-focus-auth", Auth.anonymous, Optional.empty()));
        assertThat(xmpp.lastOutcome().error()).startsWith("conference-request: auth/token rejected: jicofo refused the "
                + "conference request (not-authorized");
        assertThat(xmpp.lastOutcome().measurements()).containsEntry("failed_step", 4.0);
        CheckState overHttp = run(settings("conf-focus-auth-http", Auth.anonymous,
                Optional.of(URI.create(SimulatorFaults.url() + "/jicofo/conference-request/v1"))));
        assertThat(overHttp.lastOutcome().error()).startsWith("conference-request: auth/token rejected: jicofo refused "
                + "the conference request (HTTP 403");
    }

    @Test
    void noOperationalBridgeFailsTheBridgeStepAfterFocusAnswered() {
        SimulatorFaults.inject("jvb-1", "DOWN", 0);
        SimulatorFaults.inject("jvb-2", "DOWN", 0);
        CheckState s = run(settings("conf-no-bridge", Auth.anonymous, Optional.empty()));
        assertThat(s.status()).isEqualTo(CheckStatus.DOWN);
        assertThat(s.lastOutcome().error()).startsWith("bridge-allocated: no bridge available: focus answered and is in "
                + "the room");
        assertThat(s.lastOutcome().measurements()).containsEntry("failed_step", 7.0).containsKey("step.focus_present_ms");
    }

    @Test
    void aPasswordProsodyRefusesFailsTheAuthStepWithoutShowingThePassword() throws Exception {
        DeploymentFiles.writeSecret(LocalServers.secretsDir(), "PROBE_WRONG_PASSWORD", "not-the-password-4711");
        ConferenceProbeSettings s = settings("conf-bad-password", Auth.password, Optional.empty());
        s = new ConferenceProbeSettings(s.target(), s.boshUri(), s.xmppDomain(), prosody.authDomain(), s.mucDomain(),
                s.focusJid(), s.focusUserJid(), s.conferenceRequestUrl(), Auth.password,
                Optional.of(ProsodyServer.PROBE_USER), Optional.of("PROBE_WRONG_PASSWORD"), Optional.empty(),
                Optional.empty(), "jitsi", s.interval(), s.timeout(), s.stepTimeout(), s.bridgeTimeout(),
                s.degradedLatency());
        CheckState state = run(s);
        assertThat(state.status()).isEqualTo(CheckStatus.DOWN);
        assertThat(state.lastOutcome().error()).startsWith("auth: auth/token rejected: prosody refused the login")
                .doesNotContain("not-the-password-4711");
        assertThat(state.lastOutcome().measurements()).containsEntry("failed_step", 3.0);
    }

    @Test
    void theRightPasswordOfASecureDomainAccountSetsUpTheConference() throws Exception {
        DeploymentFiles.writeSecret(LocalServers.secretsDir(), "PROBE_PASSWORD", ProsodyServer.PROBE_PASSWORD);
        ConferenceProbeSettings s = settings("conf-password", Auth.password, Optional.empty());
        s = new ConferenceProbeSettings(s.target(), s.boshUri(), s.xmppDomain(), prosody.authDomain(), s.mucDomain(),
                s.focusJid(), s.focusUserJid(), s.conferenceRequestUrl(), Auth.password,
                Optional.of(ProsodyServer.PROBE_USER), Optional.of("PROBE_PASSWORD"), Optional.empty(),
                Optional.empty(), "jitsi", s.interval(), s.timeout(), s.stepTimeout(), s.bridgeTimeout(),
                s.degradedLatency());
        CheckState state = run(s);
        assertThat(state.status()).as(state.lastOutcome().error()).isIn(CheckStatus.UP, CheckStatus.DEGRADED);
    }

    @Test
    void anUnresolvableProsodyHostFailsTheDnsStep() {
        ConferenceProbeSettings s = settings("conf-dns", Auth.anonymous, Optional.empty());
        s = new ConferenceProbeSettings(s.target(), URI.create("http://prosody.invalid:5280/http-bind"), s.xmppDomain(),
                s.loginDomain(), s.mucDomain(), s.focusJid(), s.focusUserJid(), s.conferenceRequestUrl(), s.auth(),
                s.username(), s.passwordEnv(), s.tokenAppId(), s.tokenSecretEnv(), s.tokenAudience(), s.interval(),
                s.timeout(), s.stepTimeout(), s.bridgeTimeout(), s.degradedLatency());
        CheckState state = run(s);
        assertThat(state.lastOutcome().error()).isEqualTo("dns-tls: DNS: cannot resolve prosody.invalid");
        assertThat(state.lastOutcome().measurements()).containsEntry("failed_step", 1.0);
    }

    @Test
    void aStoppedProsodyFailsTheSessionStepAndTheProbePassesOnceItIsBack() {
        ConferenceProbeSettings settings = settings("conf-prosody-stopped", Auth.anonymous, Optional.empty());
        prosody.stop();
        try {
            CheckState state = run(settings);
            assertThat(state.status()).isEqualTo(CheckStatus.DOWN);
            assertThat(state.lastOutcome().error()).startsWith("prosody-session: no BOSH session at " + prosody.endpoint());
            assertThat(state.lastOutcome().measurements()).containsEntry("failed_step", 2.0);
        } finally {
            prosody.start();
        }
        focusLoggedInToTheRealProsody(); // jicofo reconnects after a prosody restart
        CheckState back = run(settings);
        assertThat(back.status()).as(back.lastOutcome().error()).isIn(CheckStatus.UP, CheckStatus.DEGRADED);
    }

    private CheckState run(ConferenceProbeSettings settings) {
        return scheduler.execute(new ConferenceProbe(settings, http, http.sslContext(), registry)).await()
                .atMost(Duration.ofSeconds(40));
    }

    /** The probe as the catalog would build it for this prosody, with test-sized timeouts. */
    private ConferenceProbeSettings settings(String target, Auth auth, Optional<URI> conferenceRequestUrl) {
        return new ConferenceProbeSettings(target, URI.create(prosody.httpUrl() + "/http-bind"), prosody.domain(),
                prosody.domain(), prosody.mucDomain(),
                // no mod_client_proxy in Debian's prosody: the request goes to jicofo's own full JID
                ProsodyServer.FOCUS_USER + "@" + prosody.authDomain() + "/focus",
                ProsodyServer.FOCUS_USER + "@" + prosody.authDomain(), conferenceRequestUrl, auth, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), "jitsi", Duration.ofSeconds(60),
                Duration.ofSeconds(12), Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(5));
    }

    private Map<String, Object> focusRooms() {
        return given().baseUri(SimulatorFaults.url()).get("/admin/focus").then().statusCode(200).extract()
                .jsonPath().getMap("rooms");
    }
}
