package io.jitsiops.alert.receiver.webhook;

import java.time.Duration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jitsiops.alert.config.Secret;
import io.jitsiops.alert.notify.DeliveryResult;
import io.jitsiops.alert.notify.Notification;
import io.jitsiops.alert.notify.Receiver;
import io.jitsiops.alert.receiver.HttpPoster;
import io.smallrye.mutiny.Uni;

/**
 * A generic webhook with Alertmanager's JSON (version "4"). As Alertmanager's webhook notifier: 2xx is delivered,
 * 5xx and connection errors are retried, other codes are not (its {@code Retrier} sets no extra codes).
 */
public final class WebhookReceiver implements Receiver {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String name;
    private final Secret url;
    private final Duration timeout;

    public WebhookReceiver(String name, Secret url, Duration timeout) {
        this.name = name;
        this.url = url;
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return "webhook";
    }

    @Override
    public Uni<DeliveryResult> send(Notification notification) {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(WebhookMessage.of(notification));
        } catch (JsonProcessingException e) {
            return Uni.createFrom().item(DeliveryResult.permanent("cannot encode the message: " + e.getOriginalMessage()));
        }
        return HttpPoster.postJson(url, body, timeout, false);
    }
}
