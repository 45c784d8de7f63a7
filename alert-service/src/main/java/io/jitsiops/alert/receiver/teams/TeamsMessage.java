package io.jitsiops.alert.receiver.teams;

import java.util.List;


import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jitsiops.alert.notify.Alert;
import io.jitsiops.alert.notify.Notification;

/**
 * A Microsoft Teams message for a Workflows (Power Automate) webhook, which replaced Office 365 connectors: one
 * Adaptive Card (version 1.2), in the envelope Alertmanager's {@code msteamsv2} notifier sends
 * (notify/msteamsv2/msteamsv2.go: {@code type: message}, one attachment
 * {@code application/vnd.microsoft.card.adaptive}, a heading coloured Attention while firing and Good once resolved,
 * full width). Where Alertmanager's default card is a title and one text, this one has per alert what the Slack
 * message has: severity and summary, value against threshold, labels as facts, the runbook, and Acknowledge and
 * Dashboard buttons. At most {@link #MAX_ALERTS} alerts are shown in full; the rest are counted.
 */
public final class TeamsMessage {
    static final int MAX_ALERTS = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    private TeamsMessage() {
    }

    public static ObjectNode of(Notification n) {
        List<Alert> all = n.alerts();
        String title = n.title();
        ObjectNode msg = JSON.createObjectNode().put("type", "message");
        ObjectNode attachment = msg.putArray("attachments").addObject()
                .put("contentType", "application/vnd.microsoft.card.adaptive").putNull("contentUrl");
        ObjectNode card = attachment.putObject("content")
                .put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json")
                .put("type", "AdaptiveCard").put("version", "1.2");
        ArrayNode body = card.putArray("body");
        body.addObject().put("type", "TextBlock").put("text", title).put("weight", "Bolder").put("size", "Medium")
                .put("wrap", true).put("style", "heading").put("color", n.firing().isEmpty() ? "Good" : "Attention");
        for (Alert a : all.subList(0, Math.min(all.size(), MAX_ALERTS))) {
            alert(body, a, n.ackLinks().get(a.fingerprint()));
        }
        if (all.size() > MAX_ALERTS) {
            body.addObject().put("type", "TextBlock").put("wrap", true).put("isSubtle", true)
                    .put("text", "…and " + (all.size() - MAX_ALERTS) + " more alerts: " + n.externalUrl() + "/api/alerts");
        }
        card.putObject("msteams").put("width", "Full");
        return msg;
    }

    private static void alert(ArrayNode body, Alert a, String ackLink) {
        String sev = a.severityName();
        body.addObject().put("type", "TextBlock").put("wrap", true).put("separator", true).put("weight", "Bolder")
                .put("color", !a.firing() ? "Good" : "critical".equals(sev) ? "Attention" : "Warning")
                .put("text", (a.firing() ? "" : "[resolved] ") + "[" + sev + (a.page() ? ", page" : "") + "] " + a.summary());
        ArrayNode facts = body.addObject().put("type", "FactSet").putArray("facts");
        if (a.value() != null) {
            facts.addObject().put("title", "Value").put("value", a.value()
                    + (a.threshold() != null ? " (threshold " + a.threshold() + ")" : ""));
        }
        facts.addObject().put("title", "Since").put("value", String.valueOf(a.startsAt()));
        facts.addObject().put("title", "Labels").put("value", a.labelText());
        if (a.description() != null && !a.description().isBlank()) {
            body.addObject().put("type", "TextBlock").put("wrap", true).put("isSubtle", true)
                    .put("text", "Runbook: " + a.description());
        }
        if (a.firing() && (ackLink != null || a.dashboardUrl() != null)) {
            ArrayNode actions = body.addObject().put("type", "ActionSet").putArray("actions");
            if (ackLink != null) {
                actions.addObject().put("type", "Action.OpenUrl").put("title", "Acknowledge").put("url", ackLink);
            }
            if (a.dashboardUrl() != null) {
                actions.addObject().put("type", "Action.OpenUrl").put("title", "Dashboard").put("url", a.dashboardUrl());
            }
        }
    }
}
