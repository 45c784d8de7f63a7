package io.jitsiops.alert.receiver.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
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

/** The m.room.message content: plain body and escaped HTML, m.text while firing, m.notice once resolved, within size. */
class MatrixMessageTest {

    static Alert alert(int i, AlertState state, String summary, String description) {
        return new Alert("fp-" + i, "jvb-stress", Map.of("alertname", "jvb-stress", "target", "jvb-" + i), AlertSeverity.CRITICAL,
                true, state, 0.9, 0.8, summary, description, "https://grafana.example/d/jvb", null,
                Instant.parse("2026-11-30T10:00:00Z"), null, null, "rule");
    }

    static Notification notification(List<Alert> firing, List<Alert> resolved) {
        return new Notification("matrix", "0:{alertname=jvb-stress}", Map.of("alertname", "jvb-stress"), firing, resolved,
                Map.of("fp-0", "https://ops.example/ack?sig=abc&expires=1"), "https://ops.example", List.of());
    }

    @Test
    void firingIsATextMessageWithAPlainBodyAndEscapedHtml() {
        JsonNode m = MatrixMessage.of(notification(List.of(alert(0, AlertState.FIRING, "loss > 10% & rising", "check <jvb.conf>")), List.of()));
        assertThat(m.get("msgtype").asText()).isEqualTo("m.text");
        assertThat(m.get("format").asText()).isEqualTo("org.matrix.custom.html");
        assertThat(m.get("body").asText()).startsWith("🔥 FIRING:1 jvb-stress").contains("[critical, page] loss > 10% & rising")
                .contains("Value: 0.9 (threshold 0.8)").contains("alertname=jvb-stress, target=jvb-0")
                .contains("Runbook: check <jvb.conf>").contains("Acknowledge: https://ops.example/ack?sig=abc&expires=1")
                .contains("Dashboard: https://grafana.example/d/jvb");
        assertThat(m.get("formatted_body").asText()).contains("data-mx-color=\"#d1242f\"")
                .contains("<b>[critical, page] loss &gt; 10% &amp; rising</b>").contains("check &lt;jvb.conf&gt;")
                .contains("<a href=\"https://ops.example/ack?sig=abc&amp;expires=1\">Acknowledge</a> · <a href=\"https://grafana.example/d/jvb\">Dashboard</a>")
                .doesNotContain("\n");
    }

    @Test
    void anAllResolvedNotificationIsANoticeThatDoesNotPushAndOffersNoAckLink() {
        JsonNode m = MatrixMessage.of(notification(List.of(), List.of(alert(0, AlertState.RESOLVED, "stress on jvb-0", null))));
        assertThat(m.get("msgtype").asText()).isEqualTo("m.notice");
        assertThat(m.get("body").asText()).startsWith("✅ RESOLVED jvb-stress").contains("[resolved] [critical, page] stress on jvb-0")
                .doesNotContain("Acknowledge");
        assertThat(m.get("formatted_body").asText()).contains("#1a7f37");
    }

    @Test
    void aLongNotificationIsCutBetweenAlertsWellWithinTheEventSizeLimit() {
        List<Alert> many = IntStream.range(0, 15).mapToObj(i -> alert(i, AlertState.FIRING, "stress on jvb-" + i, "é".repeat(2000))).toList();
        JsonNode m = MatrixMessage.of(notification(many, List.of()));
        int plain = m.get("body").asText().getBytes(StandardCharsets.UTF_8).length;
        int html = m.get("formatted_body").asText().getBytes(StandardCharsets.UTF_8).length;
        assertThat(plain + html).isLessThan(65_536 - 4_096); // the event's envelope and signatures fit beside them
        assertThat(m.get("body").asText()).contains("stress on jvb-0").doesNotContain("stress on jvb-14")
                .contains("more alerts: https://ops.example/api/alerts");
        String h = m.get("formatted_body").asText();
        assertThat(h.split("<b>").length).isEqualTo(h.split("</b>").length); // no tag cut in half
    }

    @Test
    void theRoomIdIsEncodedIntoThePathTheTransactionIdIsAppendedTo() {
        assertThat(MatrixReceiver.sendUrl("https://matrix.example.org/", "!AbC123:example.org"))
                .isEqualTo("https://matrix.example.org/_matrix/client/v3/rooms/%21AbC123%3Aexample.org/send/m.room.message/");
    }
}
