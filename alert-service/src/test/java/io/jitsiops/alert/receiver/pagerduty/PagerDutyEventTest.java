package io.jitsiops.alert.receiver.pagerduty;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jitsiops.alert.notify.Alert;
import io.jitsiops.alert.notify.Notification;
import io.jitsiops.events.payload.AlertSeverity;
import io.jitsiops.events.payload.AlertState;

/** The Events API v2 event, as Alertmanager's PagerDuty notifier shapes it (notify/pagerduty/pagerduty.go, notifyV2). */
class PagerDutyEventTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String KEY = "0:{alertname=jvb-stress, target=jvb-1}";

    static Alert alert(String name, AlertSeverity severity, AlertState state, String summary, String shard) {
        Map<String, String> labels = shard == null ? Map.of("alertname", name, "component", "jvb", "target", "jvb-1")
                : Map.of("alertname", name, "component", "jvb", "target", "jvb-1", "shard", shard);
        return new Alert(name + "/" + severity, name, labels, severity, false, state, 0.9, 0.8, summary, "runbook",
                "http://grafana/d/jitsi-ops-metrics", null, Instant.parse("2026-11-30T10:00:00Z"),
                state == AlertState.RESOLVED ? Instant.parse("2026-11-30T10:05:00Z") : null, null, "rule");
    }

    static JsonNode event(List<Alert> firing, List<Alert> resolved, Map<String, String> links) throws Exception {
        Notification n = new Notification("pagerduty", KEY, new java.util.TreeMap<>(Map.of("alertname", "jvb-stress", "target", "jvb-1")),
                firing, resolved, links, "https://ops.example", List.of());
        return JSON.readTree(PagerDutyEvent.of(n, "ROUTINGKEY"));
    }

    static String sha256(String s) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void aFiringGroupTriggersTheIncidentOfItsGroupKeyAtItsHighestSeverity() throws Exception {
        JsonNode e = event(List.of(alert("jvb-stress", AlertSeverity.WARNING, AlertState.FIRING, "stress 0.9", "shard-a"),
                alert("jvb-stress", AlertSeverity.CRITICAL, AlertState.FIRING, "stress 1.1", "shard-a")), List.of(),
                Map.of("jvb-stress/WARNING", "https://ops.example/api/alerts/x/ack-link?expires=1&sig=abc"));
        assertThat(e.get("routing_key").asText()).isEqualTo("ROUTINGKEY");
        assertThat(e.get("event_action").asText()).isEqualTo("trigger");
        // Alertmanager's key.Hash(): the hex SHA-256 of the group key
        assertThat(e.get("dedup_key").asText()).isEqualTo(sha256(KEY));
        JsonNode p = e.get("payload");
        assertThat(p.get("summary").asText()).isEqualTo("[FIRING:2] jvb-stress jvb-1 — stress 0.9");
        assertThat(p.get("severity").asText()).isEqualTo("critical");
        assertThat(p.get("source").asText()).isEqualTo("jvb-1");
        assertThat(p.get("component").asText()).isEqualTo("jvb");
        assertThat(p.get("group").asText()).isEqualTo("shard-a");
        assertThat(p.get("class").asText()).isEqualTo("jvb-stress");
        assertThat(p.get("timestamp").asText()).isEqualTo("2026-11-30T10:00:00Z");
        assertThat(p.get("custom_details").get("num_firing").asText()).isEqualTo("2");
        assertThat(e.get("client").asText()).isEqualTo("jitsi-ops");
        assertThat(e.get("links").get(0).get("text").asText()).isEqualTo("Dashboard");
        assertThat(e.get("links").get(1).get("href").asText()).contains("/ack-link?");
    }

    @Test
    void aGroupWhoseAlertsAllEndedResolvesTheSameIncident() throws Exception {
        JsonNode e = event(List.of(), List.of(alert("jvb-stress", AlertSeverity.WARNING, AlertState.RESOLVED, "stress 0.9", null)), Map.of());
        assertThat(e.get("event_action").asText()).isEqualTo("resolve");
        assertThat(e.get("dedup_key").asText()).isEqualTo(sha256(KEY));
        assertThat(e.get("payload").get("summary").asText()).startsWith("[RESOLVED] jvb-stress jvb-1");
        assertThat(e.get("payload").get("severity").asText()).isEqualTo("warning");
        assertThat(e.get("payload").has("group")).isFalse();
    }

    @Test
    void anAlertWithoutOurSeverityIsAnErrorAndTheSummaryAndSizeStayWithinPagerDutysLimits() throws Exception {
        JsonNode e = event(List.of(alert("x", null, AlertState.FIRING, "y".repeat(5000), null)), List.of(), Map.of());
        assertThat(e.get("payload").get("severity").asText()).isEqualTo("error");
        assertThat(e.get("payload").get("summary").asText()).hasSize(PagerDutyEvent.MAX_SUMMARY);
        List<Alert> many = java.util.stream.IntStream.range(0, 400)
                .mapToObj(i -> alert("x" + i, AlertSeverity.INFO, AlertState.FIRING, "z".repeat(2000), null)).toList();
        Notification big = new Notification("pagerduty", KEY, Map.of(), many, List.of(), Map.of(), "https://ops.example", List.of());
        byte[] body = PagerDutyEvent.of(big, "ROUTINGKEY");
        assertThat(body.length).isLessThanOrEqualTo(PagerDutyEvent.MAX_EVENT_BYTES);
        assertThat(JSON.readTree(body).get("payload").get("custom_details").get("error").asText()).contains("512 kB");
    }
}
