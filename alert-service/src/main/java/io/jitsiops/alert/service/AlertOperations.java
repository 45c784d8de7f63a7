package io.jitsiops.alert.service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.jitsiops.alert.config.AlertConfig;
import io.jitsiops.alert.notify.Alert;
import io.jitsiops.alert.notify.DeliveryResult;
import io.jitsiops.alert.notify.Notification;
import io.jitsiops.alert.notify.ReceiverQueue;
import io.jitsiops.alert.notify.Silence;
import io.jitsiops.alert.repository.AlertRepository;
import io.jitsiops.alert.repository.SilenceRepository;
import io.jitsiops.events.payload.AlertSeverity;
import io.jitsiops.events.payload.AlertState;
import io.smallrye.mutiny.Uni;

/** What operators do through the API: acknowledge, silence, send a test notification. */
@ApplicationScoped
public class AlertOperations {
    private final AlertConfig config;
    private final AlertRepository alerts;
    private final SilenceRepository silences;
    private final NotificationService notifications;

    public AlertOperations(AlertConfig config, AlertRepository alerts, SilenceRepository silences,
                           NotificationService notifications) {
        this.config = config;
        this.alerts = alerts;
        this.silences = silences;
        this.notifications = notifications;
    }

    /** Stops repeats of an active alert until {@code duration} has passed or it resolves; empty when there is no such alert. */
    public Uni<Optional<Instant>> acknowledge(String fingerprint, Duration duration, String by) {
        Instant until = Instant.now().plus(duration == null ? config.ack().defaultDuration() : duration);
        return alerts.acknowledge(fingerprint, until, by).map(ok -> {
            if (!ok) {
                return Optional.<Instant>empty();
            }
            notifications.acknowledge(fingerprint, until);
            return Optional.of(until);
        });
    }

    /** Acknowledges through a signed link from a notification; empty when the link is not valid (any more). */
    public Uni<Optional<Instant>> acknowledgeByLink(String fingerprint, long expires, String sig) {
        if (notifications.signer() == null || !notifications.signer().valid(fingerprint, expires, sig, Instant.now())) {
            return Uni.createFrom().item(Optional.empty());
        }
        return acknowledge(fingerprint, null, "ack link");
    }

    public Uni<Silence> saveSilence(Silence s) {
        return silences.save(s).chain(notifications::reloadSilences).replaceWith(s);
    }

    public Uni<Boolean> expireSilence(UUID id) {
        return silences.expire(id, Instant.now()).call(notifications::reloadSilences);
    }

    /** One test notification through one receiver, one attempt, bypassing grouping and dedup. */
    public Uni<Optional<DeliveryResult>> test(String receiver) {
        ReceiverQueue queue = notifications.queues().get(receiver);
        if (queue == null) {
            return Uni.createFrom().item(Optional.empty());
        }
        Instant now = Instant.now();
        Alert alert = new Alert("test-" + UUID.randomUUID().toString().substring(0, 8), "jitsi-ops-test",
                Map.of("alertname", "jitsi-ops-test", "severity", "info"), AlertSeverity.INFO, false, AlertState.FIRING,
                null, null, "Test notification from jitsi-ops", "Sent on request (POST /api/alerts/test); nothing is wrong.",
                null, null, now, null, null, "test");
        Notification n = new Notification(receiver, "test", Map.of("alertname", "jitsi-ops-test"), List.of(alert), List.of(),
                Map.of(), config.externalUrl(), List.of());
        return queue.receiver().send(n).map(Optional::of);
    }
}
