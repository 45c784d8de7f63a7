package io.jitsiops.sim;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasKey;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class JitsiSimulatorTest {

    @AfterEach
    void reset() {
        given().post("/admin/reset").then().statusCode(204);
    }

    @Test
    void bridgeAnswersHealthStatsAndPrometheusMetricsLikeARealJvb() {
        given().get("/jvb/jvb-1/about/health").then().statusCode(200);
        given().get("/jvb/jvb-1/colibri/stats").then().statusCode(200).contentType(ContentType.JSON)
                .body("conferences", equalTo(2)).body("$", hasKey("stress_level")).body("$", hasKey("bit_rate_download"))
                .body("drain", equalTo(false));
        given().accept("text/plain").get("/jvb/jvb-1/metrics").then().statusCode(200)
                .contentType(containsString("text/plain")).body(containsString("# TYPE jitsi_jvb_conferences gauge"));
        given().get("/jvb/no-such-bridge/about/health").then().statusCode(404);
    }

    @Test
    void injectedFaultsChangeWhatTheTargetAnswers() {
        fault("jvb-1", "{\"kind\":\"DOWN\"}");
        given().get("/jvb/jvb-1/about/health").then().statusCode(500)
                .body(equalTo("No valid IP addresses available for harvesting."));
        given().get("/jvb/jvb-2/about/health").then().statusCode(200);

        fault("jicofo", "{\"kind\":\"GARBAGE\"}");
        given().get("/jicofo/stats").then().statusCode(200).contentType(containsString("text/html"));

        fault("web", "{\"kind\":\"ERROR\"}");
        given().get("/web/about/health").then().statusCode(502);

        fault("prosody", "{\"kind\":\"SLOW\",\"delayMs\":300}");
        long started = System.nanoTime();
        given().get("/prosody/http-bind").then().statusCode(200);
        assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(300);
    }

    @Test
    void prosodyOpensABoshSessionWithStreamFeaturesForItsHostOnly() {
        given().get("/prosody/http-bind").then().statusCode(200).body(containsString("Prosody BOSH endpoint"));
        String open = "<body rid='1000' to='%s' wait='10' hold='1' ver='1.6' xmlns='http://jabber.org/protocol/httpbind' "
                + "xml:lang='en' xmpp:version='1.0' xmlns:xmpp='urn:xmpp:xbosh'/>";
        given().contentType("text/xml; charset=utf-8").body(String.format(open, "meet.jitsi")).post("/prosody/http-bind")
                .then().statusCode(200).body(containsString("sid='")).body(containsString("<stream:features"));
        given().contentType("text/xml; charset=utf-8").body(String.format(open, "other.host")).post("/prosody/http-bind")
                .then().statusCode(200).body(containsString("condition='host-unknown'"));
    }

    @Test
    void janssenIssuesRs256TokensThatVerifyAgainstItsJwksUntilTheKeyRotates() throws Exception {
        given().get("/janssen/.well-known/openid-configuration").then().statusCode(200)
                .body("issuer", org.hamcrest.Matchers.matchesPattern("http://(localhost|127\\.0\\.0\\.1):" + port() + "/janssen"))
                .body("jwks_uri", containsString("/jans-auth/restv1/jwks"));
        String token = token();
        Map<String, Object> jwks = given().get("/janssen/jans-auth/restv1/jwks").then().statusCode(200).extract().as(Map.class);
        assertThat(verifies(token, jwks)).isTrue();

        given().post("/admin/janssen/rotate-key").then().statusCode(200);
        assertThat(verifies(token(), jwks)).as("a new key's token against the old JWKS").isFalse();

        given().auth().preemptive().basic("jitsi-ops", "wrong").formParam("grant_type", "client_credentials")
                .post("/janssen/jans-auth/restv1/token").then().statusCode(401).body("error", equalTo("invalid_client"));
        given().get("/janssen/jans-auth/sys/health-check").then().statusCode(200).body("status", equalTo("running"));
    }

    @Test
    void conferencesCanBeDegradedAndTheBridgeReportsIt() {
        String id = given().contentType(ContentType.JSON).body("{\"bridge\":\"jvb-2\",\"room\":\"standup\",\"participants\":5}")
                .post("/admin/conferences").then().statusCode(201).extract().path("id");
        given().contentType(ContentType.JSON).body("{\"packetLossPercent\":12.0,\"jitterMs\":120.0,\"bitrateKbps\":150.0}")
                .post("/admin/conferences/" + id + "/degrade").then().statusCode(200);
        given().get("/jvb/jvb-2/debug/" + id).then().statusCode(200)
                .body("conferences." + id + ".endpoints.size()", equalTo(5));
        given().put("/admin/bridges/jvb-2/rest-api?enabled=true").then().statusCode(204);
        given().get("/jvb/jvb-2/colibri/stats").then().body("incoming_loss", greaterThan(0.01f));
        given().delete("/admin/conferences/" + id).then().statusCode(204);
    }

    /**
     * The start-up conferences under the test profile ({@code %test.jitsisim.audio-only-rooms}): room-jvb-1-2 is an
     * audio-only call in which nobody sends video, each of its participants without a video source on the bridge; in
     * the other start-up conferences the 3rd to join has the camera off while the others send video; the bridge counts
     * video senders accordingly.
     */
    @Test
    void anAudioOnlyStartUpConferenceAndCameraOffParticipantsNextToVideoSenders() throws Exception {
        List<Map<String, Object>> all = given().get("/admin/conferences").then().statusCode(200).extract().jsonPath().getList("$");
        Map<String, Object> audioOnly = all.stream().filter(c -> "room-jvb-1-2@conference.meet.jitsi".equals(c.get("room")))
                .findFirst().orElseThrow(() -> new AssertionError("no room-jvb-1-2 in " + all));
        assertThat(audioOnly).containsEntry("bridge", "jvb-1").containsEntry("audioOnly", true).containsEntry("videoSenders", 0);
        assertThat((Integer) audioOnly.get("participants")).isPositive();
        assertThat(all).filteredOn(c -> !c.equals(audioOnly)).isNotEmpty()
                .allSatisfy(c -> assertThat(c).containsEntry("audioOnly", false))
                .allSatisfy(c -> assertThat((Integer) c.get("videoSenders")).as(String.valueOf(c)).isPositive());

        String id = String.valueOf(audioOnly.get("id"));
        com.fasterxml.jackson.databind.JsonNode conf = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                given().get("/jvb/jvb-1/debug?full=true").then().statusCode(200).extract().asString()).get("conferences").get(id);
        assertThat(conf.get("endpoints").size()).isEqualTo(audioOnly.get("participants"));
        conf.get("endpoints").elements().forEachRemaining(e -> {
            assertThat(e.get("transceiver").get("media_sources").size()).as("video sources of " + e.get("stats_id")).isZero();
            e.get("transceiver").get("receiver").get("Incoming statistics tracker").elements().forEachRemaining(ssrc -> {
                if (ssrc.isObject()) {
                    assertThat(ssrc.get("media_type").asText()).isEqualTo("AUDIO");
                }
            });
        });

        // once the 3rd participants' cameras are off (10 s after they joined), fewer video senders than participants
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(40)).pollInterval(java.time.Duration.ofSeconds(1))
                .until(() -> given().get("/admin/conferences").then().extract().jsonPath().<Map<String, Object>>getList("$").stream()
                        .filter(c -> Boolean.FALSE.equals(c.get("audioOnly")))
                        .allMatch(c -> (Integer) c.get("videoSenders") < (Integer) c.get("participants")));
        // the bridge's periodic metrics (recomputed on the degrade below) count video senders as the conferences do; the
        // simulator's churn may swap a participant in between, so read until a quiet moment
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).pollInterval(java.time.Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    given().contentType(ContentType.JSON).body("{}").post("/admin/conferences/" + id + "/degrade").then().statusCode(200);
                    List<Map<String, Object>> now = given().get("/admin/conferences").then().statusCode(200).extract().jsonPath().getList("$");
                    int videoSenders = now.stream().filter(c -> "jvb-1".equals(c.get("bridge"))).mapToInt(c -> (Integer) c.get("videoSenders")).sum();
                    int participants = now.stream().filter(c -> "jvb-1".equals(c.get("bridge"))).mapToInt(c -> (Integer) c.get("participants")).sum();
                    given().get("/jvb/jvb-1/colibri/stats").then().statusCode(200)
                            .body("endpoints_sending_video", equalTo(videoSenders))
                            .body("endpoints_sending_audio", equalTo(participants));
                });
    }

    @Test
    void writesLogsInTheComponentsFormatsWithStackTracesInBursts() throws Exception {
        given().post("/admin/logs/jicofo/errors?count=3").then().statusCode(204);
        Path jicofo = Path.of("target/jitsi-sim-logs/jitsi/jicofo.log");
        List<String> lines = Files.readAllLines(jicofo, StandardCharsets.UTF_8);
        assertThat(lines).anyMatch(l -> l.matches("Jicofo \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3} SEVERE: \\[\\d+] .*"));
        assertThat(lines).anyMatch(l -> l.startsWith("\tat ")).anyMatch(l -> l.startsWith("Caused by: "));
        given().post("/admin/logs/syslog/errors").then().statusCode(400);
    }

    @Test
    void writesRejectedRoomTokensAsJitsiMeetsModAuthTokenDoesInProsodysLog() throws Exception {
        given().post("/admin/logs/prosody/token-rejections?count=5").then().statusCode(204);
        given().queryParam("count", 1).queryParam("reason", "could not obtain public key")
                .post("/admin/logs/prosody/token-rejections").then().statusCode(204);
        given().queryParam("reason", "made up").post("/admin/logs/prosody/token-rejections").then().statusCode(400);
        List<String> lines = Files.readAllLines(Path.of("target/jitsi-sim-logs/prosody/prosody.log"), StandardCharsets.UTF_8);
        List<String> rejected = lines.stream().filter(l -> l.contains("Error verifying token")).toList();
        assertThat(rejected).hasSizeGreaterThanOrEqualTo(6).allMatch(l -> l.matches(
                "[A-Z][a-z]{2} \\d{2} \\d{2}:\\d{2}:\\d{2} general\twarn\tError verifying token err:not-allowed, reason:.+"));
        assertThat(rejected).anyMatch(l -> l.endsWith("reason:Not acceptable by exp"))
                .anyMatch(l -> l.endsWith("reason:could not obtain public key"));
    }

    private static void fault(String target, String body) {
        given().contentType(ContentType.JSON).body(body).put("/admin/faults/" + target).then().statusCode(204);
    }

    private static String token() {
        return given().auth().preemptive().basic("jitsi-ops", "jitsi-ops-local-secret")
                .formParam("grant_type", "client_credentials").post("/janssen/jans-auth/restv1/token")
                .then().statusCode(200).body("token_type", equalTo("Bearer")).extract().path("access_token");
    }

    private static int port() {
        return io.restassured.RestAssured.port;
    }

    @SuppressWarnings("unchecked")
    private static boolean verifies(String jwt, Map<String, Object> jwks) throws Exception {
        String[] parts = jwt.split("\\.");
        Base64.Decoder dec = Base64.getUrlDecoder();
        String header = new String(dec.decode(parts[0]), StandardCharsets.UTF_8);
        for (Map<String, Object> key : (List<Map<String, Object>>) jwks.get("keys")) {
            if (!header.contains("\"" + key.get("kid") + "\"")) {
                continue;
            }
            PublicKey pub = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                    new BigInteger(1, dec.decode((String) key.get("n"))), new BigInteger(1, dec.decode((String) key.get("e")))));
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initVerify(pub);
            s.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            return s.verify(dec.decode(parts[2]));
        }
        return false;
    }
}
