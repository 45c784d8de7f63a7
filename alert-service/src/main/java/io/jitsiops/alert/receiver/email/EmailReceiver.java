package io.jitsiops.alert.receiver.email;

import java.time.Duration;
import java.util.List;

import java.util.stream.Collectors;

import io.jitsiops.alert.notify.Alert;
import io.jitsiops.alert.receiver.HtmlText;
import io.jitsiops.alert.notify.DeliveryResult;
import io.jitsiops.alert.notify.Notification;
import io.jitsiops.alert.notify.Receiver;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.smallrye.mutiny.Uni;

/**
 * Email through quarkus-mailer (SMTP server, login and password in {@code quarkus.mailer.*}), with an HTML and a
 * plain-text part. Any SMTP failure (server away, 4xx answer) is worth retrying; the message text never holds
 * the SMTP password, which only the mailer knows.
 */
public final class EmailReceiver implements Receiver {
    private final String name;
    private final List<String> to;
    private final ReactiveMailer mailer;
    private final Duration timeout;

    public EmailReceiver(String name, List<String> to, ReactiveMailer mailer, Duration timeout) {
        this.name = name;
        this.to = List.copyOf(to);
        this.mailer = mailer;
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return "email";
    }

    @Override
    public Uni<DeliveryResult> send(Notification n) {
        Mail mail = Mail.withHtml(to.get(0), subject(n), html(n)).setText(text(n));
        to.subList(1, to.size()).forEach(mail::addTo);
        return mailer.send(mail).ifNoItem().after(timeout).fail()
                .map(x -> DeliveryResult.ok())
                .onFailure().recoverWithItem(e -> DeliveryResult.retryable("SMTP: " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage())));
    }

    static String subject(Notification n) {
        if (n.isDigest()) {
            return "[jitsi-ops] digest of " + n.digestOf().size() + " notifications: " + n.firing().size() + " firing, "
                    + n.resolved().size() + " resolved";
        }
        String what = n.groupLabels().values().stream().collect(Collectors.joining(" "));
        return "[jitsi-ops] " + (n.firing().isEmpty() ? "RESOLVED " : "FIRING:" + n.firing().size() + " ") + what;
    }

    static String text(Notification n) {
        StringBuilder b = new StringBuilder();
        for (Alert a : n.alerts()) {
            b.append(a.firing() ? "FIRING" : "RESOLVED").append(" [").append(a.severityName()).append(a.page() ? ", page" : "")
                    .append("] ").append(a.summary()).append('\n');
            if (a.value() != null) {
                b.append("  value ").append(a.value()).append(a.threshold() != null ? " (threshold " + a.threshold() + ")" : "")
                        .append('\n');
            }
            b.append("  labels ").append(a.labelText()).append('\n');
            b.append("  since ").append(a.startsAt()).append('\n');
            if (a.description() != null && !a.description().isBlank()) {
                b.append("  runbook: ").append(a.description()).append('\n');
            }
            if (a.dashboardUrl() != null) {
                b.append("  dashboard: ").append(a.dashboardUrl()).append('\n');
            }
            String ack = n.ackLinks().get(a.fingerprint());
            if (ack != null && a.firing()) {
                b.append("  acknowledge: ").append(ack).append('\n');
            }
            b.append("  details: ").append(n.externalUrl()).append("/api/alerts/").append(a.fingerprint()).append("\n\n");
        }
        return b.toString();
    }

    static String html(Notification n) {
        StringBuilder b = new StringBuilder("<html><body><h2>").append(HtmlText.escape(subject(n))).append("</h2>");
        for (Alert a : n.alerts()) {
            b.append("<div style=\"margin-bottom:1em\"><h3>").append(a.firing() ? "FIRING" : "RESOLVED").append(" [")
                    .append(HtmlText.escape(a.severityName())).append("] ").append(HtmlText.escape(a.summary())).append("</h3><table>");
            if (a.value() != null) {
                b.append("<tr><th align=\"left\">Value</th><td>").append(a.value())
                        .append(a.threshold() != null ? " (threshold " + a.threshold() + ")" : "").append("</td></tr>");
            }
            b.append("<tr><th align=\"left\">Labels</th><td>").append(HtmlText.escape(a.labelText())).append("</td></tr>");
            b.append("<tr><th align=\"left\">Since</th><td>").append(a.startsAt()).append("</td></tr></table>");
            if (a.description() != null && !a.description().isBlank()) {
                b.append("<p><b>Runbook:</b> ").append(HtmlText.escape(a.description())).append("</p>");
            }
            String ack = n.ackLinks().get(a.fingerprint());
            b.append("<p>");
            if (ack != null && a.firing()) {
                b.append("<a href=\"").append(HtmlText.escape(ack)).append("\">Acknowledge</a> · ");
            }
            if (a.dashboardUrl() != null) {
                b.append("<a href=\"").append(HtmlText.escape(a.dashboardUrl())).append("\">Dashboard</a> · ");
            }
            b.append("<a href=\"").append(HtmlText.escape(n.externalUrl() + "/api/alerts/" + a.fingerprint())).append("\">Details</a></p></div>");
        }
        return b.append("</body></html>").toString();
    }

}
