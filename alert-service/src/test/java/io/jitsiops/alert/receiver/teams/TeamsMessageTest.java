package io.jitsiops.alert.receiver.teams;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.jitsiops.alert.notify.Alert;
import io.jitsiops.alert.notify.Notification;
import io.jitsiops.events.payload.AlertSeverity;
import io.jitsiops.events.payload.AlertState;

/** The Teams Workflows message: Alertmanager msteamsv2's envelope, one Adaptive Card with the alerts in it. */
class TeamsMessageTest {

    static Alert alert(int i, AlertState state) {
        return new Alert("fp-" + i, "jvb-stress", Map.of("alertname", "jvb-stress", "target", "jvb-" + i), AlertSeverity.CRITICAL,
                true, state, 1.2, 1.0, "stress on jvb-" + i, "What it means: …", "http://grafana/d/x", null,
                Instant.parse("2026-11-30T10:00:00Z"), state == AlertState.RESOLVED ? Instant.parse("2026-11-30T10:05:00Z") : null,
                null, "rule");
    }

    static Notification notification(List<Alert> firing, List<Alert> resolved) {
        return new Notification("teams", "0:{alertname=jvb-stress}", Map.of("alertname", "jvb-stress"), firing, resolved,
                Map.of("fp-0", "https://ops.example/api/alerts/fp-0/ack-link?expires=1&sig=s"), "https://ops.example", List.of());
    }

    @Test
    void aFiringGroupIsOneAdaptiveCardHeadedAttentionWithFactsRunbookAndButtons() {
        JsonNode msg = TeamsMessage.of(notification(List.of(alert(0, AlertState.FIRING)), List.of()));
        assertThat(msg.get("type").asText()).isEqualTo("message");
        assertThat(msg.get("attachments")).hasSize(1);
        JsonNode card = msg.get("attachments").get(0).get("content");
        assertThat(card.get("version").asText()).isEqualTo("1.2");
        assertThat(card.get("msteams").get("width").asText()).isEqualTo("Full");
        JsonNode body = card.get("body");
        assertThat(body.get(0).get("text").asText()).isEqualTo("FIRING:1 jvb-stress");
        assertThat(body.get(0).get("color").asText()).isEqualTo("Attention");
        assertThat(body.get(1).get("text").asText()).isEqualTo("[critical, page] stress on jvb-0");
        assertThat(body.get(2).get("facts").get(0).get("value").asText()).isEqualTo("1.2 (threshold 1.0)");
        assertThat(body.get(3).get("text").asText()).startsWith("Runbook: ");
        assertThat(body.get(4).get("actions").findValuesAsText("title")).containsExactly("Acknowledge", "Dashboard");
    }

    @Test
    void aResolvedGroupIsHeadedGoodWithoutButtonsAndOnlyTenAlertsAreShownInFull() {
        JsonNode resolved = TeamsMessage.of(notification(List.of(), List.of(alert(0, AlertState.RESOLVED))));
        JsonNode body = resolved.get("attachments").get(0).get("content").get("body");
        assertThat(body.get(0).get("text").asText()).isEqualTo("RESOLVED jvb-stress");
        assertThat(body.get(0).get("color").asText()).isEqualTo("Good");
        assertThat(body.toString()).doesNotContain("ActionSet");

        List<Alert> many = IntStream.range(0, 12).mapToObj(i -> alert(i, AlertState.FIRING)).toList();
        String text = TeamsMessage.of(notification(many, List.of())).toString();
        assertThat(text).contains("stress on jvb-9").doesNotContain("stress on jvb-10").contains("…and 2 more alerts");
    }
}
