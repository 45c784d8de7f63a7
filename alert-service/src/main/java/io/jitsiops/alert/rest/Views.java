package io.jitsiops.alert.rest;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.jitsiops.alert.notify.Alert;
import io.jitsiops.alert.notify.AlertStatus;
import io.jitsiops.alert.repository.AlertRepository;
import io.jitsiops.alert.repository.NotificationRepository;

/** The API's answer shapes. */
public final class Views {
    private Views() {
    }

    /**
     * One alert with its history and notifications, whether it is muted now and by what: the ids of the silences that
     * match it and the fingerprint of the firing alert that inhibits it (empty when none; Alertmanager's v2
     * {@code status.silencedBy} / {@code inhibitedBy}).
     */
    public record AlertDetail(Alert alert, boolean muted, List<String> silencedBy, List<String> inhibitedBy,
                              List<AlertRepository.HistoryEntry> history, List<NotificationRepository.Delivery> notifications) {
    }

    /**
     * One alert of the alert list: the alert's own fields, whether a silence or an inhibition mutes it now, and which
     * ({@code silencedBy}: silence ids, {@code inhibitedBy}: the inhibiting alert's fingerprint): the status page says
     * "silenced" or "inhibited" from these. {@code GET /api/alerts/{fingerprint}} has the same three fields.
     */
    public record AlertListItem(@com.fasterxml.jackson.annotation.JsonUnwrapped Alert alert, boolean muted,
                                List<String> silencedBy, List<String> inhibitedBy) {
        public AlertListItem(Alert alert, AlertStatus status) {
            this(alert, status.suppressed(), status.silencedBy(), status.inhibitedBy());
        }
    }

    public record Ack(String fingerprint, Instant acknowledgedUntil) {
    }

    public record AckRequest(String duration, String comment) {
    }

    public record SilenceRequest(List<String> matchers, Instant startsAt, Instant endsAt, String comment) {
    }

    public record SilenceView(String id, List<String> matchers, Instant startsAt, Instant endsAt, String createdBy,
                              String comment, String state, Instant updatedAt) {
    }

    public record TestRequest(String receiver) {
    }

    public record TestResult(String receiver, boolean delivered, boolean retryable, String error) {
    }

    public record RuleView(String name, String input, String metric, String direction, Double threshold, Double clear,
                           String forDuration, String severity, boolean page, List<String> matchers,
                           Map<String, String> labels, String absent, String summary, String description) {
    }

    public record RulesView(String source, Instant loadedAt, boolean lastReloadOk, String lastError, Instant lastErrorAt,
                            long unknownMetricObservations, List<RuleView> rules, List<TimeIntervalView> timeIntervals) {
    }

    /** The outcome of checking a rules file (POST /api/rules/check): valid, or the error naming the rule and key. */
    public record RulesCheck(boolean valid, String error, int rules, int routes, int inhibitRules, List<String> timeIntervals) {
    }

    /**
     * A named time interval of the rules file: whether now is inside it, and the routes (path and receiver) it mutes
     * or is the active time of.
     */
    public record TimeIntervalView(String name, boolean inIntervalNow, List<String> mutesRoutes, List<String> activatesRoutes) {
    }

    public record ReceiverView(String name, String type, int backlog, long delivered, long undeliverable,
                               String lastError, Instant lastErrorAt, Instant lastSuccessAt, Instant pausedUntil) {
    }

    public record Problem(String error) {
    }
}
