package io.jitsiops.alert.receiver.telegram;

import java.util.List;


import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jitsiops.alert.notify.Alert;
import io.jitsiops.alert.notify.Notification;
import io.jitsiops.alert.receiver.HtmlText;

/**
 * A Telegram Bot API {@code sendMessage} request, as Alertmanager's Telegram notifier sends it
 * (notify/telegram/telegram.go): {@code chat_id}, the text with {@code parse_mode} HTML, at most 4,096 characters
 * (Telegram's limit; Alertmanager truncates too). The text has per alert what the Slack message has: severity and
 * summary, value against threshold, labels, the runbook, and Acknowledge and Dashboard links. Text is escaped as
 * HTML ({@link io.jitsiops.alert.receiver.HtmlText}), which is all Telegram's HTML mode asks.
 */
public final class TelegramMessage {
    static final int MAX_TEXT = 4096;
    static final int MAX_ALERTS = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    private TelegramMessage() {
    }

    public static ObjectNode of(Notification n, String chatId) {
        StringBuilder text = new StringBuilder((n.firing().isEmpty() ? "✅ " : "🔥 ") + "<b>" + HtmlText.escape(n.title()) + "</b>");
        List<Alert> all = n.alerts();
        for (Alert a : all.subList(0, Math.min(all.size(), MAX_ALERTS))) {
            String sev = a.severityName();
            text.append("\n\n<b>").append(a.firing() ? "" : "[resolved] ").append('[').append(sev)
                    .append(a.page() ? ", page" : "").append("] ").append(HtmlText.escape(a.summary())).append("</b>");
            if (a.value() != null) {
                text.append("\nValue: ").append(a.value()).append(a.threshold() != null ? " (threshold " + a.threshold() + ")" : "");
            }
            text.append("\n<code>").append(HtmlText.escape(a.labelText())).append("</code>");
            if (a.description() != null && !a.description().isBlank()) {
                text.append("\n<i>Runbook:</i> ").append(HtmlText.escape(a.description()));
            }
            String ack = n.ackLinks().get(a.fingerprint());
            if (a.firing() && ack != null) {
                text.append("\n<a href=\"").append(HtmlText.escape(ack)).append("\">Acknowledge</a>");
            }
            if (a.firing() && a.dashboardUrl() != null) {
                text.append(ack != null ? " · " : "\n").append("<a href=\"").append(HtmlText.escape(a.dashboardUrl())).append("\">Dashboard</a>");
            }
        }
        if (all.size() > MAX_ALERTS) {
            text.append("\n\n…and ").append(all.size() - MAX_ALERTS).append(" more alerts: ").append(HtmlText.escape(n.externalUrl())).append("/api/alerts");
        }
        return JSON.createObjectNode().put("chat_id", chatId).put("text", fit(text.toString())).put("parse_mode", "HTML")
                .put("disable_web_page_preview", true);
    }

    /**
     * Within Telegram's 4,096 characters: cut at the last alert that fits (a cut inside a tag would be refused as
     * bad HTML), with a note of what was left out.
     */
    private static String fit(String text) {
        if (text.length() <= MAX_TEXT) {
            return text;
        }
        String note = "\n\n…(cut: Telegram's message limit)";
        int cut = text.lastIndexOf("\n\n", MAX_TEXT - note.length());
        return text.substring(0, Math.max(0, cut)) + note;
    }
}
