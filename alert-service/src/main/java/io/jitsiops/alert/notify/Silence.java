package io.jitsiops.alert.notify;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.jitsiops.alert.rule.Matcher;

/** A silence: alerts matching all its matchers are not notified between start and end. */
public record Silence(UUID id, List<Matcher> matchers, Instant startsAt, Instant endsAt, String createdBy,
                      String comment, Instant updatedAt) {

    public boolean active(Instant now) {
        return !startsAt.isAfter(now) && endsAt.isAfter(now);
    }

    /** Alertmanager's silence states: expired once its end has passed, else pending until it starts, then active. */
    public String state(Instant now) {
        return !endsAt.isAfter(now) ? "expired" : startsAt.isAfter(now) ? "pending" : "active";
    }

    /**
     * Whether these matchers all match an alert that has none of their labels (Alertmanager's validateSilence refuses
     * such a silence: {@code target!~"jvb-.*"} alone would silence nearly every alert).
     */
    public static boolean matchesNearlyEverything(List<Matcher> matchers) {
        return matchers.stream().allMatch(m -> m.matches(Map.of()));
    }

    public boolean mutes(Map<String, String> labels, Instant now) {
        return active(now) && Matcher.all(matchers, labels);
    }
}
