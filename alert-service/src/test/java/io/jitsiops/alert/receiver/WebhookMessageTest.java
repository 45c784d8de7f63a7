package io.jitsiops.alert.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jitsiops.alert.notify.Alert;
import io.jitsiops.alert.notify.DispatcherTest;
import io.jitsiops.alert.notify.Notification;
import io.jitsiops.alert.receiver.email.EmailReceiverText;
import io.jitsiops.alert.receiver.slack.SlackMessage;
import io.jitsiops.alert.receiver.webhook.WebhookMessage;
import io.jitsiops.events.payload.AlertSeverity;
import io.jitsiops.events.payload.AlertState;

class WebhookMessageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    final Alert firing = DispatcherTest.firing("cpu", "jvb-1", AlertSeverity.CRITICAL);
    final Alert resolved = DispatcherTest.alert("cpu", "jvb-2", AlertSeverity.CRITICAL, AlertState.RESOLVED, Map.of());
    final Notification n = new Notification("hook", "0:{alertname=cpu}", Map.of("alertname", "cpu"), List.of(firing),
            List.of(resolved), Map.of(firing.fingerprint(), "http://x/ack"), "http://ops", List.of());

    @Test
    void hasTheFieldsOfAlertmanagersWebhookVersion4() throws Exception {
        JsonNode m = JSON.readTree(JSON.writeValueAsBytes(WebhookMessage.of(n)));
        assertThat(m.get("version").asText()).isEqualTo("4");
        assertThat(m.get("status").asText()).isEqualTo("firing");
        assertThat(m.get("receiver").asText()).isEqualTo("hook");
        assertThat(m.get("groupKey").asText()).isEqualTo("0:{alertname=cpu}");
        assertThat(m.get("truncatedAlerts").asLong()).isZero();
        assertThat(m.get("externalURL").asText()).isEqualTo("http://ops");
        assertThat(m.get("groupLabels").get("alertname").asText()).isEqualTo("cpu");
        assertThat(m.get("commonLabels").get("alertname").asText()).isEqualTo("cpu");
        assertThat(m.get("commonLabels").has("target")).isFalse();
        JsonNode a0 = m.get("alerts").get(0);
        assertThat(a0.get("status").asText()).isEqualTo("firing");
        assertThat(a0.get("endsAt").asText()).isEqualTo("0001-01-01T00:00:00Z");
        assertThat(a0.get("annotations").get("ack_link").asText()).isEqualTo("http://x/ack");
        assertThat(a0.get("fingerprint").asText()).isEqualTo(firing.fingerprint());
        assertThat(a0.get("generatorURL").asText()).isEqualTo("http://ops/api/alerts/" + firing.fingerprint());
        assertThat(m.get("alerts").get(1).get("status").asText()).isEqualTo("resolved");
    }

    @Test
    void theStreamedJsonIsTheSameBytesAsJacksonsDataBindingOfTheMessage() throws Exception {
        Notification onlyResolved = new Notification("hook", "0:{}", null, List.of(), List.of(resolved), Map.of(), "http://ops",
                List.of());
        java.util.Map<String, String> nullValue = new java.util.HashMap<>();
        nullValue.put("team", null);
        Alert withNullLabel = DispatcherTest.alert("cpu", "jvb-3", AlertSeverity.WARNING, AlertState.FIRING, Map.of());
        Notification quoted = new Notification("hook \"q\" é", "1:{a=\"b\"}", nullValue, List.of(firing, withNullLabel),
                List.of(), Map.of(), "http://ops", List.of());
        for (Notification each : List.of(n, onlyResolved, quoted)) {
            WebhookMessage m = WebhookMessage.of(each);
            assertThat(new String(m.toJson(), java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo(new String(JSON.writeValueAsBytes(m), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    @Test
    void slackMessagesAreBlockKitWithValueRunbookAndButtons() {
        JsonNode m = SlackMessage.of(n);
        assertThat(m.get("text").asText()).startsWith("FIRING:1");
        assertThat(m.get("blocks").get(0).get("type").asText()).isEqualTo("header");
        String all = m.toString();
        assertThat(all).contains("\"type\":\"actions\"").contains("http://x/ack").contains("*Runbook:*")
                .contains("*Value*\\n1.0 (threshold 0.5)").contains("[resolved]");
    }

    @Test
    void emailsHaveTextAndHtmlWithRunbookAndAckLink() {
        assertThat(EmailReceiverText.text(n)).contains("FIRING [critical] s").contains("acknowledge: http://x/ack")
                .contains("runbook: d");
        assertThat(EmailReceiverText.html(n)).contains("<a href=\"http://x/ack\">Acknowledge</a>");
        assertThat(EmailReceiverText.subject(n)).isEqualTo("[jitsi-ops] FIRING:1 cpu");
    }
}
