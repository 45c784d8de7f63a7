package io.jitsiops.alert.receiver.webhook;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;

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

    private static final JsonFactory JSON = new JsonFactory();

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

    /**
     * This message as UTF-8 JSON: the same bytes as Jackson's {@code ObjectMapper} makes of the record (fields in
     * declaration order, nulls written; {@code WebhookMessageTest} compares the two), written with Jackson's streaming
     * generator. The data-binding serializers (a bean and a map serializer per field, looked up per call) were the
     * larger part of the JSON cost in a fan-out profile; a webhook message is written once per notification.
     */
    public byte[] toJson() throws IOException {
        ByteArrayBuilder out = new ByteArrayBuilder(1024);
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("version", version);
            g.writeStringField("groupKey", groupKey);
            g.writeNumberField("truncatedAlerts", truncatedAlerts);
            g.writeStringField("status", status);
            g.writeStringField("receiver", receiver);
            writeMap(g, "groupLabels", groupLabels);
            writeMap(g, "commonLabels", commonLabels);
            writeMap(g, "commonAnnotations", commonAnnotations);
            g.writeStringField("externalURL", externalURL);
            g.writeFieldName("alerts");
            if (alerts == null) {
                g.writeNull();
            } else {
                g.writeStartArray();
                for (WebhookAlert a : alerts) {
                    g.writeStartObject();
                    g.writeStringField("status", a.status());
                    writeMap(g, "labels", a.labels());
                    writeMap(g, "annotations", a.annotations());
                    g.writeStringField("startsAt", a.startsAt());
                    g.writeStringField("endsAt", a.endsAt());
                    g.writeStringField("generatorURL", a.generatorURL());
                    g.writeStringField("fingerprint", a.fingerprint());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static void writeMap(JsonGenerator g, String name, Map<String, String> map) throws IOException {
        g.writeFieldName(name);
        if (map == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        for (Map.Entry<String, String> e : map.entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
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
