package io.jitsiops.alert.notify;

import java.util.List;
import java.util.Map;

/**
 * What one receiver is told about one group: its firing and resolved alerts. A digest folds several groups'
 * notifications that overflowed the receiver's rate limit into one message ({@link #digestOf} lists them).
 *
 * @param ackLinks signed, expiring acknowledgement links by fingerprint (empty without a signing key)
 */
public record Notification(
        String receiver,
        String groupKey,
        Map<String, String> groupLabels,
        List<Alert> firing,
        List<Alert> resolved,
        Map<String, String> ackLinks,
        String externalUrl,
        List<Notification> digestOf) {

    public String status() {
        return firing.isEmpty() ? "resolved" : "firing";
    }

    /**
     * The headline chat receivers show: "FIRING:2 jvb-stress jvb-1" (the count and the group's labels), "RESOLVED …",
     * or for a digest how many notifications it folds.
     */
    public String title() {
        if (isDigest()) {
            return "Digest: " + digestOf.size() + " notifications (" + firing.size() + " firing, " + resolved.size() + " resolved)";
        }
        return (firing.isEmpty() ? "RESOLVED" : "FIRING:" + firing.size()) + " " + String.join(" ", groupLabels.values());
    }

    public boolean isDigest() {
        return !digestOf.isEmpty();
    }

    /** Every alert of this notification (of every notification a digest folds). */
    public List<Alert> alerts() {
        if (isDigest()) {
            return digestOf.stream().flatMap(n -> n.alerts().stream()).toList();
        }
        return java.util.stream.Stream.concat(firing.stream(), resolved.stream()).toList();
    }

    public static Notification digest(String receiver, List<Notification> parts, String externalUrl) {
        List<Alert> firing = parts.stream().flatMap(n -> n.firing().stream()).toList();
        List<Alert> resolved = parts.stream().flatMap(n -> n.resolved().stream()).toList();
        Map<String, String> links = new java.util.HashMap<>();
        parts.forEach(p -> links.putAll(p.ackLinks()));
        return new Notification(receiver, "digest:" + parts.size(), Map.of(), firing, resolved, links, externalUrl,
                List.copyOf(parts));
    }
}
