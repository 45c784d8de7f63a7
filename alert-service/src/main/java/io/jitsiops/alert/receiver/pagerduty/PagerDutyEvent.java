package io.jitsiops.alert.receiver.pagerduty;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jitsiops.alert.notify.Alert;
import io.jitsiops.alert.notify.Notification;
import io.jitsiops.events.payload.AlertSeverity;

/**
 * One PagerDuty Events API v2 event for one group's notification, in the shape Alertmanager's PagerDuty notifier
 * sends (notify/pagerduty/pagerduty.go, {@code notifyV2}): {@code trigger} while any alert of the group fires,
 * {@code resolve} when all have ended; {@code dedup_key} the SHA-256 of the group key, so every notification of a
 * group updates the same incident and its resolution closes it; a summary of at most 1,024 characters; custom
 * details replaced by a note when the event would exceed PagerDuty's 512 KB. Where Alertmanager sends a fixed
 * severity ("error" unless configured), the event carries the highest severity among the alerts it tells
 * (critical, warning, info), and its links are the first alert's dashboard and the signed acknowledgement links.
 */
public final class PagerDutyEvent {
    static final int MAX_SUMMARY = 1024;
    static final int MAX_EVENT_BYTES = 512_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private PagerDutyEvent() {
    }

    /** The event's JSON; the routing key is the receiver's secret and is written here only. */
    public static byte[] of(Notification n, String routingKey) throws JsonProcessingException {
        boolean firing = !n.firing().isEmpty();
        List<Alert> told = firing ? n.firing() : n.resolved();
        ObjectNode event = JSON.createObjectNode();
        event.put("routing_key", routingKey);
        event.put("event_action", firing ? "trigger" : "resolve");
        event.put("dedup_key", dedupKey(n.groupKey()));
        event.put("client", "jitsi-ops");
        event.put("client_url", n.externalUrl() + "/api/alerts");
        ObjectNode payload = event.putObject("payload");
        payload.put("summary", truncate(summary(n, told), MAX_SUMMARY));
        Alert first = told.isEmpty() ? null : told.get(0);
        payload.put("source", first == null ? "jitsi-ops" : first.labels().getOrDefault("target",
                first.labels().getOrDefault("instance", "jitsi-ops")));
        payload.put("severity", severity(told));
        if (first != null) {
            payload.put("timestamp", told.stream().map(Alert::startsAt).filter(Objects::nonNull)
                    .min(Comparator.naturalOrder()).orElse(first.startsAt()).toString());
            shared(told, "component").ifPresent(c -> payload.put("component", c));
            shared(told, "shard").ifPresent(s -> payload.put("group", s));
            payload.put("class", first.rule());
        }
        ObjectNode details = payload.putObject("custom_details");
        details.put("firing", lines(n.firing()));
        details.put("resolved", lines(n.resolved()));
        details.put("num_firing", String.valueOf(n.firing().size()));
        details.put("num_resolved", String.valueOf(n.resolved().size()));
        ArrayNode links = event.putArray("links");
        if (first != null && first.dashboardUrl() != null) {
            links.addObject().put("href", first.dashboardUrl()).put("text", "Dashboard");
        }
        for (Alert a : n.firing()) {
            String ack = n.ackLinks().get(a.fingerprint());
            if (ack != null) {
                links.addObject().put("href", ack).put("text", "Acknowledge in jitsi-ops: " + truncate(a.summary(), 100));
            }
        }
        byte[] body = JSON.writeValueAsBytes(event);
        if (body.length > MAX_EVENT_BYTES) {
            payload.putObject("custom_details").put("error", "Custom details have been removed because the original "
                    + "event exceeds the maximum size of 512 kB");
            body = JSON.writeValueAsBytes(event);
        }
        return body;
    }

    /** Alertmanager's {@code notify.Key.Hash}: the hex SHA-256 of the group key. */
    static String dedupKey(String groupKey) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(groupKey.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    private static String summary(Notification n, List<Alert> told) {
        String head = (n.firing().isEmpty() ? "[RESOLVED] " : "[FIRING:" + n.firing().size() + "] ")
                + String.join(" ", n.groupLabels().values());
        return told.isEmpty() ? head : head + " — " + told.get(0).summary();
    }

    /** PagerDuty's severities are critical, error, warning and info; an alert without ours is an error, as in Alertmanager. */
    private static String severity(List<Alert> told) {
        return told.stream().map(Alert::severity).filter(Objects::nonNull).max(Comparator.comparingInt(PagerDutyEvent::rank))
                .map(s -> s.name().toLowerCase(Locale.ROOT)).orElse("error");
    }

    /** The enum's order is not the ladder's. */
    private static int rank(AlertSeverity s) {
        return switch (s) {
            case INFO -> 0;
            case WARNING -> 1;
            case CRITICAL -> 2;
        };
    }

    private static java.util.Optional<String> shared(List<Alert> alerts, String label) {
        List<String> values = alerts.stream().map(a -> a.labels().get(label)).distinct().toList();
        return values.size() == 1 && values.get(0) != null ? java.util.Optional.of(values.get(0)) : java.util.Optional.empty();
    }

    private static String lines(List<Alert> alerts) {
        return alerts.stream().map(a -> a.summary() + " " + new java.util.TreeMap<>(a.labels()))
                .collect(Collectors.joining("\n"));
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
