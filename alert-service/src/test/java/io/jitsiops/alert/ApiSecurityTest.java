package io.jitsiops.alert;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.jitsiops.events.Topics;
import io.jitsiops.events.payload.HealthStatus;
import io.jitsiops.testkit.JitsiOpsTestResource;
import io.jitsiops.testkit.KafkaRecords;
import io.jitsiops.testkit.OidcTokens;
import io.jitsiops.testkit.SmtpTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Who may change what; the Alertmanager v2 API; ack links; rules reload; and no receiver leaking its secret. */
@QuarkusTest
@QuarkusTestResource(JitsiOpsTestResource.class)
@QuarkusTestResource(SmtpTestResource.class)
@QuarkusTestResource(AlertTestResource.class)
class ApiSecurityTest {

    @Test
    void mutationsNeedAnOperatorTokenForThisAudience() {
        String silence = "{\"matchers\":[\"target=x\"],\"endsAt\":\"" + Instant.now().plusSeconds(60) + "\"}";
        given().contentType(ContentType.JSON).body(silence).post("/api/silences").then().statusCode(401);
        given().auth().oauth2(OidcTokens.forAudience("other", OidcTokens.OPERATOR)).contentType(ContentType.JSON).body(silence)
                .post("/api/silences").then().statusCode(401);
        given().auth().oauth2(OidcTokens.withRoles()).contentType(ContentType.JSON).body(silence)
                .post("/api/silences").then().statusCode(403);
        given().auth().oauth2(OidcTokens.withRoles()).contentType(ContentType.JSON).body("{}")
                .post("/api/alerts/abc/ack").then().statusCode(403);
        given().contentType(ContentType.JSON).body("{\"receiver\":\"webhook\"}").post("/api/alerts/test").then().statusCode(401);
        given().delete("/api/silences/00000000-0000-0000-0000-000000000000").then().statusCode(401);
        given().auth().oauth2(OidcTokens.withRoles(OidcTokens.OPERATOR)).contentType(ContentType.JSON).body(silence)
                .post("/api/silences").then().statusCode(201);
        given().auth().oauth2(OidcTokens.withRoles(OidcTokens.OPERATOR)).contentType(ContentType.JSON)
                .body(silence.replace("target=x", "target!=x")).post("/api/silences").then().statusCode(400); // silences nearly all
        given().get("/api/alerts").then().statusCode(200); // reads are open
        given().get("/api/alerts?label=nonsense").then().statusCode(400);
    }

    @Test
    void prometheusCanPostAlertsWithTheIntakeTokenOrAnOperatorsToken() {
        String alerts = "[{\"labels\":{\"alertname\":\"PromUp\",\"instance\":\"v2-1\",\"severity\":\"critical\"},"
                + "\"annotations\":{\"summary\":\"v2 intake works\"},\"generatorURL\":\"http://prometheus/graph\"}]";
        given().contentType(ContentType.JSON).body(alerts).post("/api/v2/alerts").then().statusCode(401);
        given().header("Authorization", "Bearer wrong").contentType(ContentType.JSON).body(alerts).post("/api/v2/alerts")
                .then().statusCode(401);
        given().auth().oauth2(OidcTokens.withRoles()).contentType(ContentType.JSON).body(alerts).post("/api/v2/alerts")
                .then().statusCode(403);
        given().header("Authorization", "Bearer " + AlertTestResource.INTAKE_SECRET).contentType(ContentType.JSON).body(alerts)
                .post("/api/v2/alerts").then().statusCode(200);
        given().auth().oauth2(OidcTokens.withRoles(OidcTokens.OPERATOR)).contentType(ContentType.JSON).body(alerts)
                .post("/api/v2/alerts").then().statusCode(200);
        // routed through Kafka to the replica that owns the alert (this one): listed once the consumer applied it
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().get("/api/v2/alerts").then().statusCode(200)
                .body("labels.instance", hasItem("v2-1")));
        given().get("/api/v2/status").then().statusCode(200).body("cluster.status", equalTo("disabled"));
        // the API's list reads PostgreSQL, which the intake writes behind its answer (group commit, as documented)
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().get("/api/alerts?label=instance=v2-1").then()
                .body("[0].source", equalTo("prometheus")).body("[0].state", equalTo("FIRING"))
                .body("[0].summary", equalTo("v2 intake works")));

        String resolved = alerts.replace("}]", ",\"endsAt\":\"" + Instant.now().minusSeconds(1) + "\"}]");
        given().header("Authorization", "Bearer " + AlertTestResource.INTAKE_SECRET).contentType(ContentType.JSON)
                .body(resolved).post("/api/v2/alerts").then().statusCode(200);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().get("/api/alerts?label=instance=v2-1").then()
                .body("[0].state", equalTo("RESOLVED")));
    }

    @Test
    void aSignedAckLinkFromANotificationAcknowledgesAndATamperedOneDoesNot() throws Exception {
        AlertTestResource.wireMock.stubFor(post(urlEqualTo(AlertTestResource.WEBHOOK_PATH)).willReturn(aResponse().withStatus(200)));
        NotificationFlowTest.producer();
        try {
            NotificationFlowTest.status("hook", "link-1", HealthStatus.DOWN);
            await().atMost(Duration.ofSeconds(30)).until(() -> !NotificationFlowTest.requests(AlertTestResource.WEBHOOK_PATH,
                    "hook link-1 is DOWN").isEmpty());
        } finally {
            NotificationFlowTest.close();
        }
        String body = NotificationFlowTest.requests(AlertTestResource.WEBHOOK_PATH, "hook link-1 is DOWN").get(0).getBodyAsString();
        String link = NotificationFlowTest.JSON.readTree(body).get("alerts").get(0).get("annotations").get("ack_link").asText();
        URI uri = URI.create(link);
        String pathAndQuery = uri.getRawPath() + "?" + uri.getRawQuery();
        given().urlEncodingEnabled(false).get(pathAndQuery.replace("sig=", "sig=x")).then().statusCode(403);
        given().urlEncodingEnabled(false).get(pathAndQuery).then().statusCode(200).body(containsString("Acknowledged until"));
        String fp = uri.getRawPath().split("/")[3];
        given().get("/api/alerts/" + fp).then().body("alert.ackedUntil", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void aBadRulesFileIsRefusedWithTheRuleAndKeyAndTheOldRulesKeepRunning() throws Exception {
        String good = Files.readString(AlertTestResource.rulesFile);
        try {
            Files.writeString(AlertTestResource.rulesFile, good.replace("threshold: 0.8", "threshold: high"));
            await().atMost(Duration.ofSeconds(15)).until(() -> !given().get("/api/rules").then().extract().jsonPath()
                    .getBoolean("lastReloadOk"));
            given().get("/api/rules").then().body("lastError", containsString("rule 'test-stress' (rules[2]): key 'threshold'"))
                    .body("rules.name", hasItem("test-stress"));
            given().get("/q/metrics").then().body(containsString("jitsiops_alert_rules_last_reload_ok 0.0"));

            Files.writeString(AlertTestResource.rulesFile, good.replace("threshold: 0.8", "threshold: 0.85"));
            await().atMost(Duration.ofSeconds(15)).until(() -> given().get("/api/rules").then().extract().jsonPath()
                    .getBoolean("lastReloadOk"));
            given().get("/api/rules").then().body("rules.find { it.name == 'test-stress' }.threshold", equalTo(0.85f));
        } finally {
            Files.writeString(AlertTestResource.rulesFile, good);
            await().atMost(Duration.ofSeconds(15)).until(() -> given().get("/api/rules").then().extract().jsonPath()
                    .getFloat("rules.find { it.name == 'test-stress' }.threshold") == 0.8f);
        }
    }

    @Test
    void aRulesFileIsCheckedAgainstTheRunningServicesReceiversWithoutBeingUsed() throws Exception {
        String inForce = Files.readString(AlertTestResource.rulesFile);
        given().contentType("application/yaml").body(inForce.getBytes(StandardCharsets.UTF_8)).post("/api/rules/check").then().statusCode(200)
                .body("valid", equalTo(true)).body("timeIntervals", hasItem("every-minute"))
                .body("rules", org.hamcrest.Matchers.greaterThan(60)).body("inhibitRules", org.hamcrest.Matchers.greaterThan(0));
        given().contentType(ContentType.TEXT).body(inForce.replace("threshold: 0.8", "threshold: high"))
                .post("/api/rules/check").then().statusCode(400).body("valid", equalTo(false))
                .body("error", containsString("rule 'test-stress' (rules[2]): key 'threshold'"));
        // a receiver this service does not have
        given().contentType("application/yaml").body(inForce.replace("\"pagerduty\"", "\"opsgenie\"").getBytes(StandardCharsets.UTF_8))
                .post("/api/rules/check").then().statusCode(400).body("error", containsString("'opsgenie' is not a configured receiver"));
        // nothing changed
        given().get("/api/rules").then().body("lastReloadOk", equalTo(true))
                .body("rules.find { it.name == 'test-stress' }.threshold", equalTo(0.8f));
    }

    @Test
    void noReceiverLeaksItsSecretInLogsApiAnswersOrEvents() throws Exception {
        // every receiver sends, and each also fails once, so that errors are logged and recorded too
        AlertTestResource.wireMock.stubFor(post(urlEqualTo(AlertTestResource.SLACK_PATH)).willReturn(aResponse().withStatus(503)));
        AlertTestResource.wireMock.stubFor(post(urlEqualTo(AlertTestResource.WEBHOOK_PATH)).willReturn(aResponse().withStatus(400)));
        AlertTestResource.wireMock.stubFor(post(urlEqualTo(AlertTestResource.PAGERDUTY_PATH)).willReturn(aResponse().withStatus(500)));
        AlertTestResource.wireMock.stubFor(post(urlEqualTo(AlertTestResource.TEAMS_PATH)).willReturn(aResponse().withStatus(429)));
        AlertTestResource.wireMock.stubFor(post(urlEqualTo(AlertTestResource.TELEGRAM_PATH)).willReturn(aResponse().withStatus(400)));
        AlertTestResource.wireMock.stubFor(put(urlMatching(NotificationFlowTest.MATRIX_SEND)).willReturn(aResponse().withStatus(403)
                .withBody("{\"errcode\":\"M_FORBIDDEN\",\"error\":\"User not in room\"}")));
        NotificationFlowTest.producer();
        try {
            NotificationFlowTest.status("all", "leak-1", HealthStatus.DOWN);
            await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/api/receivers").then().extract().jsonPath()
                    .getList("lastError").stream().filter(e -> e != null).count() >= 6);
            AlertTestResource.wireMock.resetAll();
            AlertTestResource.wireMock.stubFor(post(urlEqualTo(AlertTestResource.SLACK_PATH)).willReturn(aResponse().withStatus(200)));
            AlertTestResource.wireMock.stubFor(post(urlEqualTo(AlertTestResource.WEBHOOK_PATH)).willReturn(aResponse().withStatus(200)));
            AlertTestResource.wireMock.stubFor(post(urlEqualTo(AlertTestResource.PAGERDUTY_PATH)).willReturn(aResponse().withStatus(202)));
            AlertTestResource.wireMock.stubFor(post(urlEqualTo(AlertTestResource.TEAMS_PATH)).willReturn(aResponse().withStatus(202)));
            AlertTestResource.wireMock.stubFor(post(urlEqualTo(AlertTestResource.TELEGRAM_PATH)).willReturn(aResponse().withStatus(200)));
            AlertTestResource.wireMock.stubFor(put(urlMatching(NotificationFlowTest.MATRIX_SEND)).willReturn(aResponse().withStatus(200)));
            await().atMost(Duration.ofSeconds(60)).until(() -> !NotificationFlowTest.requests(AlertTestResource.SLACK_PATH, "leak-1").isEmpty()
                    && !NotificationFlowTest.requests(AlertTestResource.WEBHOOK_PATH, "leak-1").isEmpty()
                    // the routing key goes to PagerDuty, and only there
                    && !NotificationFlowTest.requests(AlertTestResource.PAGERDUTY_PATH, AlertTestResource.PAGERDUTY_SECRET).isEmpty()
                    && !NotificationFlowTest.requests(AlertTestResource.TEAMS_PATH, "leak-1").isEmpty()
                    && !NotificationFlowTest.requests(AlertTestResource.TELEGRAM_PATH, "leak-1").isEmpty()
                    // the access token goes to the homeserver as the bearer, and only there
                    && NotificationFlowTest.matrixRequests("leak-1").stream().anyMatch(r -> r.getHeader("Authorization")
                            .equals("Bearer " + AlertTestResource.MATRIX_SECRET))
                    && !NotificationFlowTest.mails("ops@example.org", "leak-1").isEmpty());
        } finally {
            NotificationFlowTest.close();
        }
        given().auth().oauth2(OidcTokens.withRoles(OidcTokens.OPERATOR)).contentType(ContentType.JSON)
                .body("{\"receiver\":\"slack\"}").post("/api/alerts/test").then().statusCode(200);

        List<String> answers = new ArrayList<>();
        for (String path : List.of("/api/alerts", "/api/receivers", "/api/receivers/undeliverable", "/api/rules",
                "/api/silences", "/api/v2/alerts", "/api/v2/alerts/groups", "/api/v2/silences", "/api/v2/receivers",
                "/api/v2/status", "/q/metrics", "/q/openapi", "/q/health")) {
            answers.add(given().get(path).then().extract().asString());
        }
        String fp = NotificationFlowTest.fingerprintOf("test-down", "leak-1");
        answers.add(given().get("/api/alerts/" + fp).then().statusCode(200).extract().asString());
        answers.add(Files.readString(AlertTestResource.logFile));
        for (ConsumerRecord<String, byte[]> r : KafkaRecords.collect(List.of(Topics.ALERTS), r -> true, 10_000, Duration.ofSeconds(3))) {
            answers.add(new String(r.value(), StandardCharsets.UTF_8));
        }
        for (Mailbox.Mail m : Mailbox.read("ops@example.org")) {
            answers.add(m.text() + m.html());
        }
        for (String secret : List.of(AlertTestResource.SLACK_SECRET, AlertTestResource.WEBHOOK_SECRET,
                AlertTestResource.SMTP_SECRET, AlertTestResource.ACK_SECRET, AlertTestResource.INTAKE_SECRET,
                AlertTestResource.PAGERDUTY_SECRET, AlertTestResource.TEAMS_SECRET, AlertTestResource.TELEGRAM_SECRET,
                AlertTestResource.MATRIX_SECRET)) {
            for (String answer : answers) {
                assertThat(answer).as("a log, answer, event or mail").doesNotContain(secret);
            }
        }
        assertThat(String.join("\n", answers)).contains("leak-1").contains("unexpected status code");
        assertThat(Map.of()).isEmpty();
    }
}
