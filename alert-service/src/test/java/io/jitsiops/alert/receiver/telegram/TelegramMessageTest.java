package io.jitsiops.alert.receiver.telegram;

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

/** The Bot API sendMessage request: HTML text, escaped, within Telegram's 4,096 characters. */
class TelegramMessageTest {

    static Alert alert(int i, String summary, String description) {
        return new Alert("fp-" + i, "jvb-stress", Map.of("alertname", "jvb-stress", "target", "jvb-" + i), AlertSeverity.WARNING,
                false, AlertState.FIRING, 0.9, 0.8, summary, description, null, null, Instant.parse("2026-11-30T10:00:00Z"), null,
                null, "rule");
    }

    static Notification notification(List<Alert> firing) {
        return new Notification("telegram", "0:{alertname=jvb-stress}", Map.of("alertname", "jvb-stress"), firing, List.of(),
                Map.of(), "https://ops.example", List.of());
    }

    @Test
    void escapesWhatTelegramsHtmlModeReadsAsMarkup() {
        JsonNode m = TelegramMessage.of(notification(List.of(alert(0, "loss > 10% & rising", "check <jvb.conf>"))), "-100");
        assertThat(m.get("chat_id").asText()).isEqualTo("-100");
        assertThat(m.get("text").asText()).contains("loss &gt; 10% &amp; rising").contains("check &lt;jvb.conf&gt;")
                .contains("Value: 0.9 (threshold 0.8)").contains("<code>alertname=jvb-stress, target=jvb-0</code>");
    }

    @Test
    void aLongNotificationIsCutBetweenAlertsWithinTelegramsLimit() {
        List<Alert> many = IntStream.range(0, 10).mapToObj(i -> alert(i, "stress on jvb-" + i, "x".repeat(900))).toList();
        String text = TelegramMessage.of(notification(many), "-100").get("text").asText();
        assertThat(text.length()).isLessThanOrEqualTo(TelegramMessage.MAX_TEXT);
        assertThat(text).endsWith("…(cut: Telegram's message limit)").contains("stress on jvb-0").doesNotContain("stress on jvb-9");
        assertThat(text.split("<b>").length).isEqualTo(text.split("</b>").length); // no tag cut in half
    }
}
