package io.jitsiops.alert;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.jitsiops.events.CloudEvent;
import io.jitsiops.events.EventCodec;
import io.jitsiops.events.EventPayload;
import io.jitsiops.events.Topics;
import io.jitsiops.events.payload.AlertState;
import io.jitsiops.events.payload.AlertStateChanged;
import io.jitsiops.events.payload.ComponentMetricSample;
import io.jitsiops.events.payload.HealthStatus;
import io.jitsiops.events.payload.HealthStatusChanged;
import io.jitsiops.testkit.JitsiOpsTestResource;
import io.jitsiops.testkit.KafkaRecords;
import io.jitsiops.testkit.LocalServers;
import io.jitsiops.testkit.OidcTokens;
import io.jitsiops.testkit.SmtpTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Events in through the real Kafka broker → alerts in PostgreSQL → notifications out: email to the real GreenMail
 * server (read back over IMAP), Slack and webhooks to WireMock. Each test uses its own component/target names.
 */
@QuarkusTest
@QuarkusTestResource(JitsiOpsTestResource.class)
@QuarkusTestResource(SmtpTestResource.class)
@QuarkusTestResource(AlertTestResource.class)
class NotificationFlowTest {
    static final EventCodec CODEC = new EventCodec();
    static final ObjectMapper JSON = new ObjectMapper();
    static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void producer() {
        producer = KafkaRecords.producer();
    }

    @AfterAll
    static void close() {
        producer.close();
    }

    @BeforeEach
    void sinksAnswer200() {
        AlertTestResource.wireMock.resetAll();
        AlertTestResource.wireMock.stubFor(post(urlEqualTo(AlertTestResource.SLACK_PATH)).willReturn(aResponse().withStatus(200).withBody("ok")));
        AlertTestResource.wireMock.stubFor(post(urlEqualTo(AlertTestResource.WEBHOOK_PATH)).willReturn(aResponse().withStatus(200)));
        AlertTestResource.wireMock.stubFor(post(urlEqualTo(AlertTestResource.TEAMS_PATH)).willReturn(aResponse().withStatus(202)));
        AlertTestResource.wireMock.stubFor(post(urlEqualTo(AlertTestResource.TELEGRAM_PATH)).willReturn(aResponse().withStatus(200)
                .withBody("{\"ok\":true,\"result\":{\"message_id\":1}}")));
        AlertTestResource.wireMock.stubFor(post(urlEqualTo(AlertTestResource.PAGERDUTY_PATH)).willReturn(aResponse().withStatus(202)
                .withBody("{\"status\":\"success\",\"message\":\"Event processed\"}")));
        AlertTestResource.wireMock.stubFor(put(urlMatching(MATRIX_SEND)).willReturn(aResponse().withStatus(200)
                .withBody("{\"event_id\":\"$YUwRidLecu:example.org\"}")));
    }

    /** Any transaction id of the matrix receiver's room. */
    static final String MATRIX_SEND = ".*/send/m\\.room\\.message/[^/]+";

    static List<LoggedRequest> matrixRequests(String containing) {
        return AlertTestResource.wireMock.findAll(putRequestedFor(urlMatching(MATRIX_SEND)).withRequestBody(containing(containing)));
    }

    static void send(EventPayload payload) {
        CloudEvent<EventPayload> e = CloudEvent.of("/jitsi-ops/test", payload);
        try {
            producer.send(new ProducerRecord<>(e.eventType().topic(), e.subject(), CODEC.encode(e))).get();
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    static void status(String component, String target, HealthStatus status) {
        send(new HealthStatusChanged(component, target, null, status, status == HealthStatus.UP ? null : "probe failed", Instant.now()));
    }

    static List<LoggedRequest> requests(String path, String containing) {
        return AlertTestResource.wireMock.findAll(postRequestedFor(urlEqualTo(path)).withRequestBody(containing(containing)));
    }

    static List<Mailbox.Mail> mails(String user, String subjectPart) {
        return Mailbox.find(user, subjectPart).stream().filter(m -> m.subject().contains(subjectPart)).toList();
    }

    static String fingerprintOf(String rule, String target) {
        return given().queryParam("label", "target=" + target).queryParam("label", "alertname=" + rule).get("/api/alerts")
                .then().statusCode(200).extract().jsonPath().getString("[0].fingerprint");
    }

    @Test
    void aComponentDownIsMailedWithTextAndHtmlOnceAndItsDegradedTwinIsInhibited() {
        status("mail", "m1", HealthStatus.DOWN);
        await().atMost(Duration.ofSeconds(30)).until(() -> !mails("ops@example.org", "test-down mail m1").isEmpty());
        Mailbox.Mail mail = mails("ops@example.org", "test-down mail m1").get(0);
        assertThat(mail.subject()).isEqualTo("[jitsi-ops] FIRING:1 test-down mail m1");
        assertThat(mail.text()).contains("FIRING [critical, page] mail m1 is DOWN").contains("runbook: Runbook: restart mail on m1.")
                .contains("dashboard: http://grafana.example/d/jitsi?var-target=m1").contains("acknowledge: http");
        assertThat(mail.html()).contains("<h3>FIRING [critical] mail m1 is DOWN</h3>").contains(">Acknowledge</a>");
        assertThat(mail.to()).containsExactlyInAnyOrder("ops@example.org", "oncall@example.org");

        status("mail", "m1", HealthStatus.UP);
        await().atMost(Duration.ofSeconds(30)).until(() -> !mails("ops@example.org", "RESOLVED test-down mail m1").isEmpty());
        assertThat(mails("ops@example.org", "test-down mail m1")).hasSize(2);
        assertThat(mails("ops@example.org", "test-degraded mail m1")).isEmpty();
        String fp = fingerprintOf("test-degraded", "m1");
        given().get("/api/alerts/" + fp).then().statusCode(200).body("alert.state", equalTo("RESOLVED"))
                .body("notifications.size()", equalTo(0)).body("history.size()", equalTo(2));
    }

    @Test
    void slackGetsABlockKitMessageWithAnAckButtonAndThenTheResolution() throws Exception {
        status("slack", "s1", HealthStatus.DOWN);
        await().atMost(Duration.ofSeconds(30)).until(() -> requests(AlertTestResource.SLACK_PATH, "slack s1 is DOWN").size() == 1);
        JsonNode msg = JSON.readTree(requests(AlertTestResource.SLACK_PATH, "slack s1 is DOWN").get(0).getBodyAsString());
        assertThat(msg.get("blocks").get(0).get("type").asText()).isEqualTo("header");
        assertThat(msg.get("text").asText()).isEqualTo("FIRING:1 test-down slack s1");
        assertThat(msg.toString()).contains("Acknowledge").contains("/ack-link?expires=").contains("Dashboard")
                .contains("*Runbook:* Runbook: restart slack on s1.");
        status("slack", "s1", HealthStatus.UP);
        await().atMost(Duration.ofSeconds(30)).until(() -> requests(AlertTestResource.SLACK_PATH, "RESOLVED test-down slack s1").size() == 1);
    }

    @Test
    void webhooksGetAlertmanagersVersion4JsonAndStateChangesArePublished() throws Exception {
        send(new ComponentMetricSample("hook", "h1", Instant.now(), Map.of("stress_level", 0.93)));
        await().atMost(Duration.ofSeconds(30)).until(() -> requests(AlertTestResource.WEBHOOK_PATH, "\"h1\"").size() == 1);
        JsonNode msg = JSON.readTree(requests(AlertTestResource.WEBHOOK_PATH, "\"h1\"").get(0).getBodyAsString());
        assertThat(msg.get("version").asText()).isEqualTo("4");
        assertThat(msg.get("status").asText()).isEqualTo("firing");
        assertThat(msg.get("receiver").asText()).isEqualTo("webhook");
        JsonNode alert = msg.get("alerts").get(0);
        assertThat(alert.get("labels").get("alertname").asText()).isEqualTo("test-stress");
        assertThat(alert.get("annotations").get("summary").asText()).isEqualTo("stress 0.93 on h1 (threshold 0.80)");
        String fp = alert.get("fingerprint").asText();

        send(new ComponentMetricSample("hook", "h1", Instant.now(), Map.of("stress_level", 0.7))); // hysteresis: stays
        send(new ComponentMetricSample("hook", "h1", Instant.now(), Map.of("stress_level", 0.5)));
        await().atMost(Duration.ofSeconds(30)).until(() -> requests(AlertTestResource.WEBHOOK_PATH, "\"h1\"").size() == 2);
        assertThat(JSON.readTree(requests(AlertTestResource.WEBHOOK_PATH, "\"h1\"").get(1).getBodyAsString()).get("status").asText())
                .isEqualTo("resolved");

        List<AlertState> published = KafkaRecords.collect(List.of(Topics.ALERTS), r -> r.key().equals("alert/" + fp), 2,
                Duration.ofSeconds(30)).stream()
                .map(r -> ((AlertStateChanged) CODEC.decode(r.value()).data()).state()).toList();
        assertThat(published).containsExactly(AlertState.FIRING, AlertState.RESOLVED);
        given().get("/api/alerts/" + fp).then().statusCode(200).body("history.size()", equalTo(2))
                .body("notifications.size()", equalTo(2)).body("notifications[0].delivered", equalTo(true));
    }

    @Test
    void aRouteInsideItsMuteTimeIntervalOrOutsideEveryActiveOneTellsNobodyAndTheHoldIsCountedAndShown() {
        status("muted", "mu1", HealthStatus.DOWN);
        status("inactive", "in1", HealthStatus.DOWN);
        // the groups were flushed (group_wait 300 ms) and held back
        await().atMost(Duration.ofSeconds(30)).until(() -> heldBack("mute_time_interval") >= 1 && heldBack("active_time_interval") >= 1);
        for (String target : List.of("mu1", "in1")) {
            given().get("/api/alerts/" + fingerprintOf("test-down", target)).then().statusCode(200)
                    .body("alert.state", equalTo("FIRING")).body("notifications.size()", equalTo(0));
            assertThat(requests(AlertTestResource.WEBHOOK_PATH, "\"" + target + "\"")).isEmpty();
        }
        given().get("/api/rules").then().statusCode(200)
                .body("timeIntervals.find { it.name == 'every-minute' }.inIntervalNow", equalTo(true))
                .body("timeIntervals.find { it.name == 'every-minute' }.mutesRoutes", org.hamcrest.Matchers.hasItem(
                        org.hamcrest.Matchers.endsWith("(receiver webhook)")))
                .body("timeIntervals.find { it.name == 'in-1999' }.inIntervalNow", equalTo(false))
                .body("timeIntervals.find { it.name == 'in-1999' }.activatesRoutes.size()", equalTo(1));
    }

    /** {@code jitsiops_alert_notifications_held_back_total} of one reason, 0 before its first hold. */
    static double heldBack(String reason) {
        String series = "jitsiops_alert_notifications_held_back_total{reason=\"" + reason + "\"} ";
        for (String line : given().get("/q/metrics").asString().split("\n")) {
            if (line.startsWith(series)) {
                return Double.parseDouble(line.substring(series.length()).trim());
            }
        }
        return 0;
    }

    @Test
    void teamsGetsAnAdaptiveCardWithAnAckButtonAndThenTheResolution() throws Exception {
        status("teams", "t1", HealthStatus.DOWN);
        await().atMost(Duration.ofSeconds(30)).until(() -> requests(AlertTestResource.TEAMS_PATH, "teams t1 is DOWN").size() == 1);
        JsonNode msg = JSON.readTree(requests(AlertTestResource.TEAMS_PATH, "teams t1 is DOWN").get(0).getBodyAsString());
        assertThat(msg.get("type").asText()).isEqualTo("message");
        JsonNode attachment = msg.get("attachments").get(0);
        assertThat(attachment.get("contentType").asText()).isEqualTo("application/vnd.microsoft.card.adaptive");
        JsonNode card = attachment.get("content");
        assertThat(card.get("type").asText()).isEqualTo("AdaptiveCard");
        assertThat(card.get("body").get(0).get("text").asText()).isEqualTo("FIRING:1 test-down teams t1");
        assertThat(card.get("body").get(0).get("color").asText()).isEqualTo("Attention");
        assertThat(card.toString()).contains("Runbook: Runbook: restart teams on t1.").contains("\"title\":\"Acknowledge\"")
                .contains("/ack-link?expires=");
        status("teams", "t1", HealthStatus.UP);
        await().atMost(Duration.ofSeconds(30)).until(() -> requests(AlertTestResource.TEAMS_PATH, "RESOLVED test-down teams t1").size() == 1);
    }

    @Test
    void telegramGetsAnHtmlMessageToItsChatWithAnAckLinkAndThenTheResolution() throws Exception {
        status("tg", "tg-1", HealthStatus.DOWN);
        await().atMost(Duration.ofSeconds(30)).until(() -> requests(AlertTestResource.TELEGRAM_PATH, "tg tg-1 is DOWN").size() == 1);
        JsonNode msg = JSON.readTree(requests(AlertTestResource.TELEGRAM_PATH, "tg tg-1 is DOWN").get(0).getBodyAsString());
        assertThat(msg.get("chat_id").asText()).isEqualTo("-1001234567890");
        assertThat(msg.get("parse_mode").asText()).isEqualTo("HTML");
        assertThat(msg.get("text").asText()).startsWith("🔥 <b>FIRING:1 test-down tg tg-1</b>")
                .contains("<b>[critical, page] tg tg-1 is DOWN</b>").contains("<i>Runbook:</i> Runbook: restart tg on tg-1.")
                .contains(">Acknowledge</a>").contains(">Dashboard</a>");
        status("tg", "tg-1", HealthStatus.UP);
        await().atMost(Duration.ofSeconds(30)).until(() -> requests(AlertTestResource.TELEGRAM_PATH, "RESOLVED test-down tg tg-1").size() == 1);
    }

    @Test
    void matrixGetsAnHtmlTextMessageWithTheBotsTokenAndThenAQuietNoticeWhenResolved() throws Exception {
        status("mx", "mx-1", HealthStatus.DOWN);
        await().atMost(Duration.ofSeconds(30)).until(() -> matrixRequests("mx mx-1 is DOWN").size() == 1);
        LoggedRequest firing = matrixRequests("mx mx-1 is DOWN").get(0);
        assertThat(firing.getUrl()).startsWith(AlertTestResource.MATRIX_SEND_PATH);
        assertThat(firing.getHeader("Authorization")).isEqualTo("Bearer " + AlertTestResource.MATRIX_SECRET);
        JsonNode msg = JSON.readTree(firing.getBodyAsString());
        assertThat(msg.get("msgtype").asText()).isEqualTo("m.text");
        assertThat(msg.get("body").asText()).startsWith("🔥 FIRING:1 test-down mx mx-1").contains("[critical, page] mx mx-1 is DOWN")
                .contains("Acknowledge: http");
        assertThat(msg.get("formatted_body").asText()).contains("<b>[critical, page] mx mx-1 is DOWN</b>").contains(">Acknowledge</a>");
        status("mx", "mx-1", HealthStatus.UP);
        await().atMost(Duration.ofSeconds(30)).until(() -> matrixRequests("RESOLVED test-down mx mx-1").size() == 1);
        LoggedRequest resolved = matrixRequests("RESOLVED test-down mx mx-1").get(0);
        assertThat(JSON.readTree(resolved.getBodyAsString()).get("msgtype").asText()).isEqualTo("m.notice");
        assertThat(resolved.getUrl()).as("a new transaction for a new notification").isNotEqualTo(firing.getUrl());
    }

    @Test
    void aMatrixRetryReusesItsTransactionIdSoTheHomeserverPostsTheMessageOnce() {
        // the first attempt's answer is lost (a 502 from the proxy in front of the homeserver), the second gets through
        AlertTestResource.wireMock.stubFor(put(urlMatching(MATRIX_SEND)).withRequestBody(containing("mx-retry"))
                .inScenario("matrix-retry").whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
                .willReturn(aResponse().withStatus(502)).willSetStateTo("up"));
        AlertTestResource.wireMock.stubFor(put(urlMatching(MATRIX_SEND)).withRequestBody(containing("mx-retry"))
                .inScenario("matrix-retry").whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(200).withBody("{\"event_id\":\"$retried:example.org\"}")));
        status("mx", "mx-retry", HealthStatus.DOWN);
        await().atMost(Duration.ofSeconds(30)).until(() -> matrixRequests("mx mx-retry is DOWN").size() == 2);
        List<LoggedRequest> attempts = matrixRequests("mx mx-retry is DOWN");
        assertThat(attempts.get(1).getUrl()).as("the same transaction id").isEqualTo(attempts.get(0).getUrl());
        assertThat(attempts.get(1).getBodyAsString()).isEqualTo(attempts.get(0).getBodyAsString());
        status("mx", "mx-retry", HealthStatus.UP);
    }

    @Test
    void pagerDutyGetsATriggerEventAndThenAResolveOfTheSameIncident() throws Exception {
        status("pd", "pd-1", HealthStatus.DOWN);
        await().atMost(Duration.ofSeconds(30)).until(() -> requests(AlertTestResource.PAGERDUTY_PATH, "pd-1").size() == 1);
        JsonNode trigger = JSON.readTree(requests(AlertTestResource.PAGERDUTY_PATH, "pd-1").get(0).getBodyAsString());
        assertThat(trigger.get("routing_key").asText()).isEqualTo(AlertTestResource.PAGERDUTY_SECRET);
        assertThat(trigger.get("event_action").asText()).isEqualTo("trigger");
        assertThat(trigger.get("dedup_key").asText()).matches("[0-9a-f]{64}");
        JsonNode payload = trigger.get("payload");
        assertThat(payload.get("summary").asText()).isEqualTo("[FIRING:1] test-down pd pd-1 — pd pd-1 is DOWN");
        assertThat(payload.get("severity").asText()).isEqualTo("critical");
        assertThat(payload.get("source").asText()).isEqualTo("pd-1");
        assertThat(payload.get("component").asText()).isEqualTo("pd");
        assertThat(payload.get("class").asText()).isEqualTo("test-down");
        assertThat(trigger.get("links").toString()).contains("Dashboard").contains("/ack-link?expires=");

        status("pd", "pd-1", HealthStatus.UP);
        await().atMost(Duration.ofSeconds(30)).until(() -> requests(AlertTestResource.PAGERDUTY_PATH, "pd-1").size() == 2);
        JsonNode resolve = JSON.readTree(requests(AlertTestResource.PAGERDUTY_PATH, "pd-1").get(0).getBodyAsString());
        if (resolve.get("event_action").asText().equals("trigger")) { // WireMock lists the latest first
            resolve = JSON.readTree(requests(AlertTestResource.PAGERDUTY_PATH, "pd-1").get(1).getBodyAsString());
        }
        assertThat(resolve.get("event_action").asText()).isEqualTo("resolve");
        assertThat(resolve.get("dedup_key").asText()).isEqualTo(trigger.get("dedup_key").asText());
        given().get("/api/alerts/" + fingerprintOf("test-down", "pd-1")).then().statusCode(200)
                .body("notifications.size()", equalTo(2)).body("notifications.delivered", org.hamcrest.Matchers.everyItem(equalTo(true)));
    }

    @Test
    void slackAsking429IsRetriedAfterRetryAfterAndDelivered() {
        AlertTestResource.wireMock.stubFor(post(urlEqualTo(AlertTestResource.SLACK_PATH)).withRequestBody(containing("s429"))
                .inScenario("throttled").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("free")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1").withBody("rate_limited")));
        AlertTestResource.wireMock.stubFor(post(urlEqualTo(AlertTestResource.SLACK_PATH)).withRequestBody(containing("s429"))
                .inScenario("throttled").whenScenarioStateIs("free").willReturn(aResponse().withStatus(500)));
        status("slack", "s429", HealthStatus.DOWN);
        await().atMost(Duration.ofSeconds(30)).until(() -> requests(AlertTestResource.SLACK_PATH, "s429").size() >= 2);
        AlertTestResource.wireMock.stubFor(post(urlEqualTo(AlertTestResource.SLACK_PATH)).withRequestBody(containing("s429"))
                .inScenario("throttled").whenScenarioStateIs("free").willReturn(aResponse().withStatus(200)));
        String fp = fingerprintOf("test-down", "s429");
        await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/api/alerts/" + fp).then().extract().jsonPath()
                .getList("notifications.delivered").contains(true));
        List<LoggedRequest> attempts = requests(AlertTestResource.SLACK_PATH, "s429");
        assertThat(attempts.size()).isGreaterThanOrEqualTo(3);
        assertThat(Duration.between(attempts.get(0).getLoggedDate().toInstant(), attempts.get(1).getLoggedDate().toInstant()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(900)); // Retry-After: 1
    }

    @Test
    void anUndeliverableNotificationIsRecordedAndVisibleAndCounted() {
        AlertTestResource.wireMock.stubFor(post(urlEqualTo(AlertTestResource.WEBHOOK_PATH)).withRequestBody(containing("bad-1"))
                .willReturn(aResponse().withStatus(400)));
        send(new ComponentMetricSample("hook", "bad-1", Instant.now(), Map.of("stress_level", 0.95)));
        await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/api/receivers/undeliverable").then().extract()
                .asString().contains("bad-1"));
        given().get("/api/receivers").then().statusCode(200)
                .body("find { it.name == 'webhook' }.lastError", equalTo("unexpected status code 400"));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("jitsiops_alert_notifications_total{outcome=\"undeliverable\",receiver=\"webhook\",type=\"webhook\"}"));
    }

    @Test
    void anSmtpOutageIsRetriedAndTheMailArrivesWhenTheServerIsBack() {
        var smtp = LocalServers.smtp();
        smtp.stop();
        try {
            status("mail", "outage-1", HealthStatus.DOWN);
            await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/api/receivers").then().extract().jsonPath()
                    .getString("find { it.name == 'email' }.lastError") != null);
        } finally {
            smtp.start();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> !mails("ops@example.org", "test-down mail outage-1").isEmpty());
    }

    @Test
    void anAcknowledgementStopsRepeatsUntilTheAlertResolves() {
        status("repeat", "r1", HealthStatus.DOWN);
        await().atMost(Duration.ofSeconds(30)).until(() -> requests(AlertTestResource.WEBHOOK_PATH, "repeat r1 is DOWN").size() >= 2);
        String fp = fingerprintOf("test-down", "r1");
        given().auth().oauth2(OidcTokens.withRoles(OidcTokens.OPERATOR)).contentType(ContentType.JSON).body("{\"duration\":\"1h\"}")
                .post("/api/alerts/" + fp + "/ack").then().statusCode(200).body("fingerprint", equalTo(fp));
        int afterAck = requests(AlertTestResource.WEBHOOK_PATH, "repeat r1 is DOWN").size();
        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertThat(requests(AlertTestResource.WEBHOOK_PATH, "repeat r1 is DOWN").size()).isLessThanOrEqualTo(afterAck + 1);
        given().get("/api/alerts/" + fp).then().body("alert.ackedUntil", org.hamcrest.Matchers.notNullValue());
        status("repeat", "r1", HealthStatus.UP);
    }

    @Test
    void aSilenceMutesMatchingAlertsUntilItIsExpired() {
        String token = OidcTokens.withRoles(OidcTokens.OPERATOR);
        String id = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("matchers", List.of("target=sil-1"), "endsAt", Instant.now().plusSeconds(3600).toString(),
                        "comment", "maintenance"))
                .post("/api/silences").then().statusCode(201).body("state", equalTo("active"))
                .body("createdBy", org.hamcrest.Matchers.notNullValue()).extract().path("id");
        send(new ComponentMetricSample("hook", "sil-1", Instant.now(), Map.of("stress_level", 0.95)));
        await().atMost(Duration.ofSeconds(30)).until(() -> fingerprintOf("test-stress", "sil-1") != null);
        String fp = fingerprintOf("test-stress", "sil-1");
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertThat(requests(AlertTestResource.WEBHOOK_PATH, "sil-1")).isEmpty();
        given().get("/api/alerts/" + fp).then().body("muted", equalTo(true)).body("silencedBy", equalTo(List.of(id)))
                .body("inhibitedBy", equalTo(List.of()));
        // the list marks it too, with what mutes it (the status page says "silenced"), beside the alert's own fields
        given().queryParam("label", "target=sil-1").get("/api/alerts").then().statusCode(200)
                .body("[0].fingerprint", equalTo(fp)).body("[0].state", equalTo("FIRING")).body("[0].muted", equalTo(true))
                .body("[0].silencedBy", equalTo(List.of(id))).body("[0].inhibitedBy", equalTo(List.of()));
        // and Alertmanager's v2 list shows it suppressed, as Alertmanager shows a silenced alert
        given().get("/api/v2/alerts").then().statusCode(200)
                .body("find { it.fingerprint == '" + fp + "' }.status.state", equalTo("suppressed"));
        given().get("/api/silences/" + id).then().statusCode(200).body("matchers[0]", equalTo("target=\"sil-1\""));

        given().auth().oauth2(token).delete("/api/silences/" + id).then().statusCode(204);
        given().get("/api/silences/" + id).then().body("state", equalTo("expired"));
        await().atMost(Duration.ofSeconds(30)).until(() -> requests(AlertTestResource.WEBHOOK_PATH, "sil-1").size() == 1);
        given().queryParam("label", "target=sil-1").get("/api/alerts").then().body("[0].muted", equalTo(false));
    }

    @Test
    void aTestNotificationGoesThroughTheNamedReceiver() {
        given().auth().oauth2(OidcTokens.withRoles(OidcTokens.OPERATOR)).contentType(ContentType.JSON)
                .body("{\"receiver\":\"webhook\"}").post("/api/alerts/test").then().statusCode(200)
                .body("delivered", equalTo(true));
        assertThat(requests(AlertTestResource.WEBHOOK_PATH, "jitsi-ops-test")).hasSize(1);
        given().auth().oauth2(OidcTokens.withRoles(OidcTokens.OPERATOR)).contentType(ContentType.JSON)
                .body("{\"receiver\":\"nope\"}").post("/api/alerts/test").then().statusCode(404);
    }

    static String body(LoggedRequest r) {
        return new String(r.getBody(), StandardCharsets.UTF_8);
    }
}
