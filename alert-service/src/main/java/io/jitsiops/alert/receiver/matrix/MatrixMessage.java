package io.jitsiops.alert.receiver.matrix;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jitsiops.alert.notify.Alert;
import io.jitsiops.alert.notify.Notification;
import io.jitsiops.alert.receiver.HtmlText;

/**
 * The content of an {@code m.room.message} event (Matrix Client-Server API, "m.text" / "m.notice"): a plain-text
 * {@code body} for clients and push notifications that do not render HTML, and the same as
 * {@code org.matrix.custom.html} in {@code formatted_body} (only tags of the spec's HTML subset: b, i, code, a, br,
 * font with {@code data-mx-color}). Per alert it carries what the Slack message carries: severity and summary, value
 * against threshold, labels, runbook, Acknowledge and Dashboard links.
 * <p>
 * A firing notification is {@code m.text}; an all-resolved one is {@code m.notice}, which the spec's default push rule
 * {@code .m.rule.suppress_notices} keeps from notifying anyone's phone: the end of an incident is recorded in the room
 * without waking the person the firing message woke.
 * <p>
 * A whole event may not exceed 65,536 bytes (the spec's size limit, signatures and envelope included): the two
 * renderings are kept to {@link #MAX_PART_BYTES} each, cut between alerts with a note of what was left out.
 */
public final class MatrixMessage {
    static final int MAX_PART_BYTES = 24_000;
    static final int MAX_ALERTS = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private MatrixMessage() {
    }

    public static ObjectNode of(Notification n) {
        boolean firing = !n.firing().isEmpty();
        String headline = (firing ? "🔥 " : "✅ ") + n.title();
        StringBuilder plain = new StringBuilder(headline);
        StringBuilder html = new StringBuilder("<b><font data-mx-color=\"").append(firing ? "#d1242f" : "#1a7f37").append("\">")
                .append(HtmlText.escape(headline)).append("</font></b>");
        List<Alert> all = n.alerts();
        int shown = 0;
        for (Alert a : all.subList(0, Math.min(all.size(), MAX_ALERTS))) {
            String[] part = render(a, n);
            if (bytes(plain) + bytes(part[0]) > MAX_PART_BYTES || bytes(html) + bytes(part[1]) > MAX_PART_BYTES) {
                break;
            }
            plain.append(part[0]);
            html.append(part[1]);
            shown++;
        }
        if (shown < all.size()) {
            String more = "…and " + (all.size() - shown) + " more alerts: " + n.externalUrl() + "/api/alerts";
            plain.append("\n\n").append(more);
            html.append("<br><br>").append(HtmlText.escape(more));
        }
        return JSON.createObjectNode().put("msgtype", firing ? "m.text" : "m.notice").put("body", plain.toString())
                .put("format", "org.matrix.custom.html").put("formatted_body", html.toString());
    }

    /** One alert as plain text and as HTML. */
    private static String[] render(Alert a, Notification n) {
        String head = (a.firing() ? "" : "[resolved] ") + "[" + a.severityName() + (a.page() ? ", page" : "") + "] " + a.summary();
        List<String> plain = new ArrayList<>();
        List<String> html = new ArrayList<>();
        plain.add(head);
        html.add("<b>" + HtmlText.escape(head) + "</b>");
        if (a.value() != null) {
            String value = "Value: " + a.value() + (a.threshold() != null ? " (threshold " + a.threshold() + ")" : "");
            plain.add(value);
            html.add(HtmlText.escape(value));
        }
        plain.add(a.labelText());
        html.add("<code>" + HtmlText.escape(a.labelText()) + "</code>");
        if (a.description() != null && !a.description().isBlank()) {
            plain.add("Runbook: " + a.description());
            html.add("<i>Runbook:</i> " + HtmlText.escape(a.description()));
        }
        String ack = n.ackLinks().get(a.fingerprint());
        List<String> links = new ArrayList<>();
        if (a.firing() && ack != null) {
            plain.add("Acknowledge: " + ack);
            links.add("<a href=\"" + HtmlText.escape(ack) + "\">Acknowledge</a>");
        }
        if (a.firing() && a.dashboardUrl() != null) {
            plain.add("Dashboard: " + a.dashboardUrl());
            links.add("<a href=\"" + HtmlText.escape(a.dashboardUrl()) + "\">Dashboard</a>");
        }
        if (!links.isEmpty()) {
            html.add(String.join(" · ", links));
        }
        return new String[] { "\n\n" + String.join("\n", plain), "<br><br>" + String.join("<br>", html) };
    }

    private static int bytes(CharSequence s) {
        return s.toString().getBytes(StandardCharsets.UTF_8).length;
    }
}
