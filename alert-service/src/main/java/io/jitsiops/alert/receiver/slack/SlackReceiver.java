package io.jitsiops.alert.receiver.slack;


import io.jitsiops.alert.notify.Notification;
import io.jitsiops.alert.receiver.HttpPoster;
import io.jitsiops.alert.receiver.JsonPostReceiver;

/**
 * Slack through an incoming webhook (whose URL is the credential, hence a {@link io.jitsiops.alert.config.Secret}). Slack answers 429 with
 * {@code Retry-After} when a channel gets more than about one message a second: that is worth retrying after the
 * given wait, as are 5xx and connection errors.
 */
public final class SlackReceiver extends JsonPostReceiver {

    public SlackReceiver(String name, HttpPoster poster) {
        super(name, poster);
    }

    @Override
    public String type() {
        return "slack";
    }

    @Override
    protected Object message(Notification notification) {
        return SlackMessage.of(notification);
    }

    @Override
    protected boolean retryTooManyRequests() {
        return true;
    }
}
