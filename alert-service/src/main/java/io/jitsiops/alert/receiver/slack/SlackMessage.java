package io.jitsiops.alert.receiver.slack;

import java.util.List;


import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jitsiops.alert.notify.Alert;
import io.jitsiops.alert.notify.Notification;

/**
 * A Slack incoming-webhook message in Block Kit: a header with state and severity, then per alert its summary,
 * value against threshold, labels, the runbook text (description) and buttons to acknowledge and to open the
 * dashboard. {@code text} is the fallback shown in notifications. Slack allows 50 blocks a message, so at most
 * {@link #MAX_ALERTS} alerts are shown in full and the rest are counted.
 */
public final class SlackMessage {
    static final int MAX_ALERTS = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    private SlackMessage() {
    }

    public static ObjectNode of(Notification n) {
        String title = n.title();
        ObjectNode msg = JSON.createObjectNode();
        msg.put("text", title);
        ArrayNode blocks = msg.putArray("blocks");
        ObjectNode header = blocks.addObject().put("type", "header");
        header.putObject("text").put("type", "plain_text").put("text", truncate(title, 150));
        List<Alert> all = n.alerts();
        for (Alert a : all.subList(0, Math.min(all.size(), MAX_ALERTS))) {
            alert(blocks, a, n.ackLinks().get(a.fingerprint()));
        }
        if (all.size() > MAX_ALERTS) {
            blocks.addObject().put("type", "context").putArray("elements").addObject().put("type", "mrkdwn")
                    .put("text", "…and " + (all.size() - MAX_ALERTS) + " more alerts: " + n.externalUrl() + "/api/alerts");
        }
        return msg;
    }

    private static void alert(ArrayNode blocks, Alert a, String ackLink) {
        blocks.addObject().put("type", "divider");
        String sev = a.severityName();
        String icon = !a.firing() ? ":white_check_mark:" : "critical".equals(sev) ? ":red_circle:" : ":warning:";
        ObjectNode section = blocks.addObject().put("type", "section");
        section.putObject("text").put("type", "mrkdwn").put("text", truncate(icon + " *" + (a.firing() ? "" : "[resolved] ")
                + "[" + sev + (a.page() ? ", page" : "") + "] " + escape(a.summary()) + "*", 3000));
        ArrayNode fields = section.putArray("fields");
        if (a.value() != null) {
            fields.addObject().put("type", "mrkdwn").put("text", "*Value*\n" + a.value()
                    + (a.threshold() != null ? " (threshold " + a.threshold() + ")" : ""));
        }
        fields.addObject().put("type", "mrkdwn").put("text", "*Since*\n" + a.startsAt());
        String labels = a.labelText();
        blocks.addObject().put("type", "context").putArray("elements").addObject().put("type", "mrkdwn")
                .put("text", truncate(escape(labels), 3000));
        if (a.description() != null && !a.description().isBlank()) {
            blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn")
                    .put("text", truncate("*Runbook:* " + escape(a.description()), 3000));
        }
        if (a.firing() && (ackLink != null || a.dashboardUrl() != null)) {
            ArrayNode buttons = blocks.addObject().put("type", "actions").putArray("elements");
            if (ackLink != null) {
                button(buttons, "Acknowledge", ackLink, "ack-" + a.fingerprint());
            }
            if (a.dashboardUrl() != null) {
                button(buttons, "Dashboard", a.dashboardUrl(), "dash-" + a.fingerprint());
            }
        }
    }

    private static void button(ArrayNode elements, String text, String url, String id) {
        ObjectNode b = elements.addObject().put("type", "button").put("url", url).put("action_id", id);
        b.putObject("text").put("type", "plain_text").put("text", text);
    }

    /** Slack's mrkdwn needs &, < and > escaped. */
    static String escape(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
