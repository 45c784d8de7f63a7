package io.jitsiops.alert.receiver.webhook;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.jitsiops.alert.notify.Alert;
import io.jitsiops.alert.notify.Notification;

/**
 * Alertmanager's webhook JSON, version "4" (notify/webhook/webhook.go {@code Message}: {@code template.Data} plus
 * version, groupKey and truncatedAlerts), so tools written for Alertmanager webhooks read ours unchanged. Our
 * extras travel as annotations (summary, description, dashboard, value, threshold, ack link).
 */
public record WebhookMessage(
        String version,
        String groupKey,
        long truncatedAlerts,
        String status,
        String receiver,
        Map<String, String> groupLabels,
        Map<String, String> commonLabels,
        Map<String, String> commonAnnotations,
        String externalURL,
        List<WebhookAlert> alerts) {

    /** Alertmanager's zero time, which it sends as endsAt of a firing alert. */
    static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    public record WebhookAlert(String status, Map<String, String> labels, Map<String, String> annotations,
                               String startsAt, String endsAt, String generatorURL, String fingerprint) {
    }

    public static WebhookMessage of(Notification n) {
        List<Alert> all = n.alerts();
        List<WebhookAlert> alerts = all.stream().map(a -> alert(a, n)).toList();
        return new WebhookMessage("4", n.groupKey(), 0, n.status(), n.receiver(), n.groupLabels(),
                common(alerts.stream().map(WebhookAlert::labels).toList()),
                common(alerts.stream().map(WebhookAlert::annotations).toList()), n.externalUrl(), alerts);
    }

    static Map<String, String> annotations(Alert a, Notification n) {
        Map<String, String> m = new LinkedHashMap<>();
        put(m, "summary", a.summary());
        put(m, "description", a.description());
        put(m, "dashboard", a.dashboardUrl());
        if (a.value() != null) {
            m.put("value", String.valueOf(a.value()));
        }
        if (a.threshold() != null) {
            m.put("threshold", String.valueOf(a.threshold()));
        }
        put(m, "ack_link", n.ackLinks().get(a.fingerprint()));
        return m;
    }

    private static WebhookAlert alert(Alert a, Notification n) {
        String status = a.firing() ? "firing" : "resolved";
        return new WebhookAlert(status, a.labels(), annotations(a, n), time(a.startsAt()),
                a.firing() || a.endsAt() == null ? ZERO_TIME : time(a.endsAt()),
                a.generatorUrl() != null ? a.generatorUrl() : n.externalUrl() + "/api/alerts/" + a.fingerprint(),
                a.fingerprint());
    }

    private static Map<String, String> common(List<Map<String, String>> maps) {
        if (maps.isEmpty()) {
            return Map.of();
        }
        Map<String, String> common = new LinkedHashMap<>(maps.get(0));
        for (Map<String, String> m : maps.subList(1, maps.size())) {
            common.entrySet().removeIf(e -> !e.getValue().equals(m.get(e.getKey())));
        }
        return common;
    }

    private static void put(Map<String, String> m, String k, String v) {
        if (v != null && !v.isBlank()) {
            m.put(k, v);
        }
    }

    private static String time(Instant t) {
        return t == null ? ZERO_TIME : t.toString();
    }
}
