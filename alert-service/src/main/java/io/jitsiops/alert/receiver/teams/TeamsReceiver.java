package io.jitsiops.alert.receiver.teams;

import io.jitsiops.alert.notify.Notification;
import io.jitsiops.alert.receiver.HttpPoster;
import io.jitsiops.alert.receiver.JsonPostReceiver;

/**
 * Microsoft Teams through a Workflows webhook (its URL carries its signature, so it is the credential: a
 * {@link io.jitsiops.alert.config.Secret}). 2xx (Workflows answer 202) is delivered; 5xx and connection errors are
 * retried, and so is 429, which Teams answers when a channel is sent too much (Microsoft's rate limiting for
 * webhooks), where Alertmanager's msteamsv2 notifier gives up on it.
 */
public final class TeamsReceiver extends JsonPostReceiver {

    public TeamsReceiver(String name, HttpPoster poster) {
        super(name, poster);
    }

    @Override
    public String type() {
        return "teams";
    }

    @Override
    protected Object message(Notification notification) {
        return TeamsMessage.of(notification);
    }

    @Override
    protected boolean retryTooManyRequests() {
        return true;
    }
}
