package io.jitsiops.alert;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * What the alert-service tests add to the shared servers: WireMock standing in for Slack and a webhook sink
 * (third-party HTTP endpoints), the test rules file (copied to a temporary file so that tests can rewrite it to
 * prove hot reload), the three receivers, and recognisable secrets so that a test can prove none leaks. Logs go
 * to a file as well, for that test to scan.
 */
public class AlertTestResource implements QuarkusTestResourceLifecycleManager {
    public static final String SLACK_SECRET = "SLACKTOKEN-b1c2d3-secret";
    public static final String WEBHOOK_SECRET = "HOOKTOKEN-e4f5a6-secret";
    public static final String SMTP_SECRET = "SMTPPASS-778899-secret";
    public static final String ACK_SECRET = "ACKKEY-aabbcc-secret";
    public static final String INTAKE_SECRET = "INTAKE-ddeeff-secret";
    public static final String PAGERDUTY_SECRET = "PDROUTINGKEY-112233-secret";
    public static final String PAGERDUTY_PATH = "/v2/enqueue";
    public static final String TEAMS_SECRET = "TEAMSSIG-445566-secret";
    public static final String TELEGRAM_SECRET = "123456:TGBOT-778899-secret";
    public static final String TELEGRAM_PATH = "/bot" + TELEGRAM_SECRET + "/sendMessage";
    public static final String MATRIX_SECRET = "syt_amlvcHNib3Q_MXTOKEN-99aabb-secret";
    /** jitsiops.alert.intake.per-alertname-limit in the tests. */
    public static final int LIMIT_PER_ALERTNAME = 100;
    /** Where the matrix receiver PUTs, followed by the transaction id: room !alerts0123:example.org. */
    public static final String MATRIX_SEND_PATH = "/_matrix/client/v3/rooms/%21alerts0123%3Aexample.org/send/m.room.message/";
    public static final String TEAMS_PATH = "/workflows/triggers/manual/paths/invoke?sig=" + TEAMS_SECRET;
    public static final String SLACK_PATH = "/services/T000/B000/" + SLACK_SECRET;
    public static final String WEBHOOK_PATH = "/hook/" + WEBHOOK_SECRET;
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static WireMockServer wireMock;
    static Path rulesFile;
    static Path logFile;

    /** The webhook receiver answers 200 (a test in another package that needs its notifications delivered). */
    public static void webhookAccepts() {
        wireMock.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
                com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo(WEBHOOK_PATH))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(200)));
    }

    @Override
    public Map<String, String> start() {
        wireMock = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        wireMock.start();
        try {
            Path dir = Files.createTempDirectory("alert-test-");
            rulesFile = dir.resolve("rules.yaml");
            logFile = dir.resolve("alert-service.log");
            Files.writeString(rulesFile, withPack(resource("/test-rules.yaml"), resource("/alerting/default-rules.yaml")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String base = "http://127.0.0.1:" + wireMock.port();
        Map<String, String> c = new HashMap<>();
        c.put("jitsiops.alert.rules-file", rulesFile.toString());
        // small, so that OutageTest reaches it with a few posts while PostgreSQL is away (default 100,000)
        c.put("jitsiops.alert.intake.max-unwritten", "200");
        // short, so that OutageTest's posts past that bound are refused after a second's wait (default 5 s)
        c.put("jitsiops.alert.intake.max-wait", "1s");
        // short, so that PrometheusIntakeTest sees a stuck owner refused within seconds (default 60 s)
        c.put("jitsiops.alert.intake.max-owner-lag", "3s");
        // so that PerAlertnameLimitTest reaches it with one post (default 0, no limit); no other test fires more than
        // 50 posted alerts of one alertname
        c.put("jitsiops.alert.intake.per-alertname-limit", String.valueOf(LIMIT_PER_ALERTNAME));
        c.put("jitsiops.alert.receivers.operators.type", "email");
        c.put("jitsiops.alert.receivers.email.type", "email");
        c.put("jitsiops.alert.receivers.email.to", "ops@example.org,oncall@example.org");
        c.put("jitsiops.alert.receivers.slack.type", "slack");
        c.put("jitsiops.alert.receivers.slack.url", base + SLACK_PATH);
        c.put("jitsiops.alert.receivers.slack.rate-per-second", "20");
        c.put("jitsiops.alert.receivers.webhook.type", "webhook");
        c.put("jitsiops.alert.receivers.webhook.url", base + WEBHOOK_PATH);
        c.put("jitsiops.alert.receivers.telegram.type", "telegram");
        c.put("jitsiops.alert.receivers.telegram.url", base);
        c.put("jitsiops.alert.receivers.telegram.bot-token", TELEGRAM_SECRET);
        c.put("jitsiops.alert.receivers.telegram.chat-id", "-1001234567890");
        c.put("jitsiops.alert.receivers.telegram.rate-per-second", "20");
        c.put("jitsiops.alert.receivers.matrix.type", "matrix");
        c.put("jitsiops.alert.receivers.matrix.url", base);
        c.put("jitsiops.alert.receivers.matrix.access-token", MATRIX_SECRET);
        c.put("jitsiops.alert.receivers.matrix.room-id", "!alerts0123:example.org");
        c.put("jitsiops.alert.receivers.matrix.rate-per-second", "20");
        c.put("jitsiops.alert.receivers.teams.type", "teams");
        c.put("jitsiops.alert.receivers.teams.url", base + TEAMS_PATH);
        c.put("jitsiops.alert.receivers.pagerduty.type", "pagerduty");
        c.put("jitsiops.alert.receivers.pagerduty.url", base + PAGERDUTY_PATH);
        c.put("jitsiops.alert.receivers.pagerduty.routing-key", PAGERDUTY_SECRET);
        c.put("jitsiops.alert.ack.signing-key", ACK_SECRET);
        c.put("jitsiops.alert.shared-state-refresh", "1s"); // what another replica changed arrives within a second
        c.put("jitsiops.alert.intake.bearer-token", INTAKE_SECRET);
        c.put("quarkus.mailer.password", SMTP_SECRET);
        c.put("quarkus.log.file.enabled", "true");
        c.put("quarkus.log.file.path", logFile.toString());
        c.put("jitsiops.test.wiremock.port", String.valueOf(wireMock.port()));
        return c;
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = AlertTestResource.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * The test rules plus the shipped Jitsi rule pack, so that RulePackDeliveryTest runs in the same application as
     * every other test (one start). The pack's rules keep their text (summary, runbook, dashboard link), thresholds,
     * matchers and labels; for the shared application three things change: each rule gets one more matcher so that it
     * sees only subjects named {@code pack-…} (other tests' events never meet it), {@code for} is dropped (the pack's
     * durations are proved with a moved clock in RulePackScenariosTest; here the delivery is proved), and absence
     * rules are left out (they would fire on everything the other tests do not send). Pack alerts go to email and
     * Slack; the pack's inhibitions apply to pack subjects only.
     */
    static String withPack(String testRules, String pack) throws IOException {
        ObjectNode root = (ObjectNode) YAML.readTree(testRules);
        JsonNode packRoot = YAML.readTree(pack);
        ArrayNode rules = (ArrayNode) root.get("rules");
        for (JsonNode r : packRoot.get("rules")) {
            if (r.has("absent")) {
                continue;
            }
            ObjectNode rule = ((ObjectNode) r).deepCopy();
            rule.remove("for");
            String input = rule.get("input").asText();
            String scope = input.equals("backup") ? "schedule" : input.startsWith("log_") ? "component" : "target";
            ArrayNode matchers = rule.has("matchers") ? (ArrayNode) rule.get("matchers") : rule.putArray("matchers");
            matchers.add(scope + "=~\"pack-.*\"");
            rules.add(rule);
        }
        ArrayNode routes = (ArrayNode) root.with("route").withArray("routes");
        ObjectNode toSlack = YAML.createObjectNode().put("receiver", "slack");
        toSlack.putArray("matchers").add("pack=jitsi");
        ObjectNode toEmail = YAML.createObjectNode().put("receiver", "email").put("continue", true);
        toEmail.putArray("matchers").add("pack=jitsi");
        routes.insert(0, toSlack);
        routes.insert(0, toEmail);
        ArrayNode inhibit = root.withArray("inhibit_rules");
        for (JsonNode i : packRoot.get("inhibit_rules")) {
            ObjectNode rule = ((ObjectNode) i).deepCopy();
            ((ArrayNode) rule.get("target_matchers")).add("target=~\"pack-.*\"");
            inhibit.add(rule);
        }
        return YAML.writeValueAsString(root);
    }

    @Override
    public void stop() {
        if (wireMock != null) {
            wireMock.stop();
        }
    }
}
