package io.jitsiops.alert;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

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
    public static final String SLACK_PATH = "/services/T000/B000/" + SLACK_SECRET;
    public static final String WEBHOOK_PATH = "/hook/" + WEBHOOK_SECRET;
    static WireMockServer wireMock;
    static Path rulesFile;
    static Path logFile;

    @Override
    public Map<String, String> start() {
        wireMock = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        wireMock.start();
        try {
            Path dir = Files.createTempDirectory("alert-test-");
            rulesFile = dir.resolve("rules.yaml");
            logFile = dir.resolve("alert-service.log");
            try (InputStream in = AlertTestResource.class.getResourceAsStream("/test-rules.yaml")) {
                Files.write(rulesFile, in.readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String base = "http://127.0.0.1:" + wireMock.port();
        Map<String, String> c = new HashMap<>();
        c.put("jitsiops.alert.rules-file", rulesFile.toString());
        c.put("jitsiops.alert.receivers.operators.type", "email");
        c.put("jitsiops.alert.receivers.email.type", "email");
        c.put("jitsiops.alert.receivers.email.to", "ops@example.org,oncall@example.org");
        c.put("jitsiops.alert.receivers.slack.type", "slack");
        c.put("jitsiops.alert.receivers.slack.url", base + SLACK_PATH);
        c.put("jitsiops.alert.receivers.slack.rate-per-second", "20");
        c.put("jitsiops.alert.receivers.webhook.type", "webhook");
        c.put("jitsiops.alert.receivers.webhook.url", base + WEBHOOK_PATH);
        c.put("jitsiops.alert.ack.signing-key", ACK_SECRET);
        c.put("jitsiops.alert.intake.bearer-token", INTAKE_SECRET);
        c.put("quarkus.mailer.password", SMTP_SECRET);
        c.put("quarkus.log.file.enabled", "true");
        c.put("quarkus.log.file.path", logFile.toString());
        c.put("jitsiops.test.wiremock.port", String.valueOf(wireMock.port()));
        return c;
    }

    @Override
    public void stop() {
        if (wireMock != null) {
            wireMock.stop();
        }
    }
}
