package io.jitsiops.alert;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jitsiops.testkit.JitsiOpsTestResource;
import io.jitsiops.testkit.OidcTokens;
import io.jitsiops.testkit.SmtpTestResource;
import io.jitsiops.testkit.server.DebianPackages;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The real amtool (Debian's {@code prometheus-alertmanager} 0.25, installed when missing) against jitsi-ops, as an SRE
 * would point it at an Alertmanager: alerts listed, a silence added with an operator's OIDC token
 * ({@code --http.config.file}), queried, changed in place, expired; refused without a token. Grafana's Alertmanager
 * data source reads the alert groups and receivers, checked in their v2 shapes.
 */
@QuarkusTest
@QuarkusTestResource(JitsiOpsTestResource.class)
@QuarkusTestResource(SmtpTestResource.class)
@QuarkusTestResource(AlertTestResource.class)
class AmtoolTest {
    static final String AMTOOL = "/usr/bin/amtool";
    static final ObjectMapper JSON = new ObjectMapper();
    static Path operatorConfig;

    @TestHTTPResource("/")
    URL base;

    record Run(int exit, String out, String err) {
    }

    @BeforeAll
    static void amtoolAndAnOperatorsToken() throws IOException {
        DebianPackages.require("prometheus-alertmanager", AMTOOL);
        operatorConfig = Files.createTempFile("amtool-http-", ".yml");
        Files.writeString(operatorConfig, "authorization:\n  credentials: " + OidcTokens.withRoles(OidcTokens.OPERATOR) + "\n");
    }

    @BeforeEach
    void sinksAnswer200() {
        AlertTestResource.wireMock.stubFor(post(urlEqualTo(AlertTestResource.WEBHOOK_PATH)).willReturn(aResponse().withStatus(200)));
    }

    Run amtool(boolean withToken, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(AMTOOL, "--alertmanager.url=" + base.toString()));
        if (withToken) {
            command.add("--http.config.file=" + operatorConfig);
        }
        command.addAll(List.of(args));
        Path out = Files.createTempFile("amtool-", ".out");
        Path err = Files.createTempFile("amtool-", ".err");
        // HOME set to a fresh directory: no amtool.yml of the machine's user is read
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("HOME", Files.createTempDirectory("amtool-home-").toString());
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("amtool %s finished", args[0]).isTrue();
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8).trim(), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static void postAlert(String instance) {
        String alerts = "[{\"labels\":{\"alertname\":\"AmtoolProbe\",\"instance\":\"" + instance + "\",\"severity\":\"warning\"},"
                + "\"annotations\":{\"summary\":\"posted for amtool\"}}]";
        given().header("Authorization", "Bearer " + AlertTestResource.INTAKE_SECRET).contentType(ContentType.JSON).body(alerts)
                .post("/api/v2/alerts").then().statusCode(200);
    }

    @Test
    void amtoolListsAlertsAndAddsQueriesChangesAndExpiresSilencesWithAnOperatorsToken() throws Exception {
        postAlert("am-1");
        await().atMost(Duration.ofSeconds(30)).until(() -> amtool(false, "-o", "json", "alert", "query", "alertname=AmtoolProbe")
                .out().contains("am-1"));

        Run refused = amtool(false, "silence", "add", "alertname=AmtoolProbe", "--comment=no token", "--duration=1h");
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.err()).contains("401");

        Run added = amtool(true, "silence", "add", "alertname=AmtoolProbe", "instance=~am-.*", "--comment=maintenance of am-1",
                "--duration=1h");
        assertThat(added.exit()).as(added.err()).isZero();
        String id = added.out();
        assertThat(id).matches("[0-9a-f-]{36}");

        JsonNode listed = JSON.readTree(amtool(false, "-o", "json", "silence", "query", "alertname=AmtoolProbe").out());
        assertThat(listed).hasSize(1);
        JsonNode silence = listed.get(0);
        assertThat(silence.get("id").asText()).isEqualTo(id);
        assertThat(silence.get("status").get("state").asText()).isEqualTo("active");
        assertThat(silence.get("comment").asText()).isEqualTo("maintenance of am-1");
        assertThat(silence.get("createdBy").asText()).isNotEmpty();
        JsonNode instance = silence.get("matchers").get(1);
        assertThat(instance.get("name").asText()).isEqualTo("instance");
        assertThat(instance.get("value").asText()).isEqualTo("am-.*");
        assertThat(instance.get("isRegex").asBoolean()).isTrue();
        assertThat(instance.get("isEqual").asBoolean()).isTrue();

        // the alert is silenced now: amtool's default query (active only) leaves it out, --silenced shows it
        await().atMost(Duration.ofSeconds(10)).until(() -> !amtool(false, "-o", "json", "alert", "query", "alertname=AmtoolProbe")
                .out().contains("am-1"));
        assertThat(amtool(false, "-o", "json", "alert", "query", "--silenced", "alertname=AmtoolProbe").out()).contains(id);

        // a longer end is a change in place: the same silence
        // (amtool 0.25's "update -q" prints a Go pointer instead of the id: its table is read instead)
        Run updated = amtool(true, "silence", "update", id, "--duration=2h");
        assertThat(updated.exit()).as(updated.err()).isZero();
        assertThat(updated.out().lines().skip(1).findFirst().orElse("")).startsWith(id + " ");
        Instant endsAt = Instant.parse(JSON.readTree(amtool(false, "-o", "json", "silence", "query",
                "alertname=AmtoolProbe").out()).get(0).get("endsAt").asText());
        assertThat(endsAt).isAfter(Instant.now().plus(Duration.ofMinutes(100)));

        Run expired = amtool(true, "silence", "expire", id);
        assertThat(expired.exit()).as(expired.err()).isZero();
        given().get("/api/v2/silence/" + id).then().statusCode(200).body("status.state", equalTo("expired"));
        assertThat(amtool(false, "silence", "query", "-q", "alertname=AmtoolProbe").out()).isEmpty(); // active ones only
        assertThat(amtool(false, "silence", "query", "-q", "--expired", "alertname=AmtoolProbe").out()).isEqualTo(id);
        await().atMost(Duration.ofSeconds(10)).until(() -> amtool(false, "-o", "json", "alert", "query", "alertname=AmtoolProbe")
                .out().contains("am-1"));
    }

    @Test
    void silencesAreRefusedAsAlertmanagerRefusesThemAndOnlyOperatorsMayChangeThem() {
        String operator = OidcTokens.withRoles(OidcTokens.OPERATOR);
        String ends = Instant.now().plusSeconds(3600).toString();
        String valid = "{\"matchers\":[{\"name\":\"alertname\",\"value\":\"X\",\"isRegex\":false}],\"startsAt\":\""
                + Instant.now() + "\",\"endsAt\":\"" + ends + "\",\"createdBy\":\"me\",\"comment\":\"c\"}";
        given().contentType(ContentType.JSON).body(valid).post("/api/v2/silences").then().statusCode(401);
        given().auth().oauth2(OidcTokens.withRoles()).contentType(ContentType.JSON).body(valid).post("/api/v2/silences")
                .then().statusCode(403);
        given().delete("/api/v2/silence/00000000-0000-0000-0000-000000000000").then().statusCode(401);
        given().auth().oauth2(operator).delete("/api/v2/silence/00000000-0000-0000-0000-000000000000").then().statusCode(404);
        given().auth().oauth2(operator).contentType(ContentType.JSON)
                .body(valid.replace("\"matchers\"", "\"id\":\"00000000-0000-0000-0000-000000000000\",\"matchers\""))
                .post("/api/v2/silences").then().statusCode(404);
        // what Alertmanager's postSilencesHandler and validateSilence refuse
        given().auth().oauth2(operator).contentType(ContentType.JSON).body(valid.replace(ends, Instant.now().minusSeconds(60).toString()))
                .post("/api/v2/silences").then().statusCode(400);
        given().auth().oauth2(operator).contentType(ContentType.JSON)
                .body(valid.replace("\"value\":\"X\",\"isRegex\":false", "\"value\":\".*\",\"isRegex\":true"))
                .post("/api/v2/silences").then().statusCode(400)
                .body(org.hamcrest.Matchers.containsString("must not match the empty string"));
        given().auth().oauth2(operator).contentType(ContentType.JSON).body(valid.replace("\"alertname\"", "\"bad-name\""))
                .post("/api/v2/silences").then().statusCode(400);
        given().get("/api/v2/silence/not-a-uuid").then().statusCode(404);
    }

    @Test
    void aPendingSilenceExpiredBeforeItStartedIsListedAsExpiredAndAnActiveOnesMatchersChangeMakesANewSilence() {
        String operator = OidcTokens.withRoles(OidcTokens.OPERATOR);
        String pending = "{\"matchers\":[{\"name\":\"alertname\",\"value\":\"Later\",\"isRegex\":false}],\"startsAt\":\""
                + Instant.now().plusSeconds(3600) + "\",\"endsAt\":\"" + Instant.now().plusSeconds(7200) + "\",\"comment\":\"c\"}";
        String id = given().auth().oauth2(operator).contentType(ContentType.JSON).body(pending).post("/api/v2/silences")
                .then().statusCode(200).extract().path("silenceID");
        given().get("/api/v2/silence/" + id).then().statusCode(200).body("status.state", equalTo("pending"));
        given().auth().oauth2(operator).delete("/api/v2/silence/" + id).then().statusCode(200);
        given().get("/api/v2/silence/" + id).then().statusCode(200).body("status.state", equalTo("expired"));
        given().get("/api/silences/" + id).then().statusCode(200).body("state", equalTo("expired"));

        String active = "{\"matchers\":[{\"name\":\"alertname\",\"value\":\"Now\",\"isRegex\":false}],\"startsAt\":\""
                + Instant.now() + "\",\"endsAt\":\"" + Instant.now().plusSeconds(3600) + "\",\"comment\":\"c\"}";
        String first = given().auth().oauth2(operator).contentType(ContentType.JSON).body(active).post("/api/v2/silences")
                .then().statusCode(200).extract().path("silenceID");
        String second = given().auth().oauth2(operator).contentType(ContentType.JSON)
                .body(active.replace("\"matchers\"", "\"id\":\"" + first + "\",\"matchers\"").replace("\"Now\"", "\"Other\""))
                .post("/api/v2/silences").then().statusCode(200).extract().path("silenceID");
        assertThat(second).isNotEqualTo(first);
        given().get("/api/v2/silence/" + first).then().body("status.state", equalTo("expired"))
                .body("matchers[0].value", equalTo("Now")); // what it silenced stays true
        given().get("/api/v2/silence/" + second).then().body("status.state", equalTo("active"))
                .body("matchers[0].value", equalTo("Other"));
        given().queryParam("filter", "alertname=\"Other\"").get("/api/v2/silences").then().statusCode(200)
                .body("id", org.hamcrest.Matchers.contains(second));
    }

    @Test
    void amtoolDrawsAndTestsTheRoutingTreeFromTheStatusWhichNamesNoReceiversSecret() throws Exception {
        Run tree = amtool(false, "config", "routes");
        assertThat(tree.exit()).as(tree.err()).isZero();
        assertThat(tree.out()).contains("Routing tree:").contains("{component=~\"mail.*\"}  receiver: email")
                .contains("receiver: webhook");
        Run mail = amtool(false, "config", "routes", "test", "component=mail-7");
        assertThat(mail.exit()).as(mail.err()).isZero();
        assertThat(mail.out()).isEqualTo("email");
        assertThat(amtool(false, "config", "routes", "test", "component=all-7").out()).isEqualTo("email,slack,webhook,pagerduty,teams,telegram,matrix");
        assertThat(amtool(false, "config", "routes", "test", "alertname=Unrouted").out()).isEqualTo("webhook");
        // a test with the wrong expectation fails, as it would against Alertmanager
        assertThat(amtool(false, "config", "routes", "test", "--verify.receivers=slack", "component=mail-7").exit()).isNotZero();

        String original = given().get("/api/v2/status").then().statusCode(200).extract().path("config.original");
        assertThat(original).contains("mute_time_intervals:").contains("\"every-minute\"").contains("time_intervals:")
                .doesNotContain(AlertTestResource.WEBHOOK_SECRET).doesNotContain(AlertTestResource.SLACK_SECRET)
                .doesNotContain("http://127.0.0.1");
    }

    @Test
    void grafanaReadsAlertGroupsAsTheRoutingTreeGroupsThemAndTheReceivers() {
        postAlert("grp-1");
        postAlert("grp-2");
        // both alerts have the same alertname and neither component nor target: one group of the root route
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given()
                .queryParam("filter", "alertname=\"AmtoolProbe\"").queryParam("filter", "instance=~\"grp-.*\"")
                .get("/api/v2/alerts/groups").then().statusCode(200)
                .body("size()", equalTo(1))
                .body("[0].labels.alertname", equalTo("AmtoolProbe"))
                .body("[0].receiver.name", equalTo("webhook"))
                .body("[0].alerts.labels.instance", hasItems("grp-1", "grp-2"))
                .body("[0].alerts[0].status.state", equalTo("active")));
        given().queryParam("filter", "alertname=\"AmtoolProbe\"").queryParam("receiver", "email")
                .get("/api/v2/alerts/groups").then().statusCode(200).body("size()", equalTo(0));
        given().queryParam("filter", "alertname").get("/api/v2/alerts/groups").then().statusCode(400);
        given().get("/api/v2/receivers").then().statusCode(200).body("name", hasItems("email", "matrix", "operators", "pagerduty", "slack", "teams", "telegram", "webhook"));
    }
}
