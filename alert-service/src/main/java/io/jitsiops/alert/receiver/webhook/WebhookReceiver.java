package io.jitsiops.alert.receiver.webhook;

import java.io.IOException;

import io.jitsiops.alert.notify.Notification;
import io.jitsiops.alert.receiver.HttpPoster;
import io.jitsiops.alert.receiver.JsonPostReceiver;

/**
 * A generic webhook with Alertmanager's JSON (version "4"). As Alertmanager's webhook notifier: 2xx is delivered,
 * 5xx and connection errors are retried, other codes are not (its {@code Retrier} sets no extra codes).
 */
public final class WebhookReceiver extends JsonPostReceiver {

    public WebhookReceiver(String name, HttpPoster poster) {
        super(name, poster);
    }

    @Override
    public String type() {
        return "webhook";
    }

    @Override
    protected Object message(Notification notification) {
        return WebhookMessage.of(notification);
    }

    @Override
    protected byte[] encode(Notification notification) throws IOException {
        return WebhookMessage.of(notification).toJson();
    }

    @Override
    protected boolean retryTooManyRequests() {
        return false;
    }
}
