package io.jitsiops.alert.receiver.slack;

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
 * Slack through an incoming webhook (whose URL is the credential, hence a {@link Secret}). Slack answers 429 with
 * {@code Retry-After} when a channel gets more than about one message a second: that is worth retrying after the
 * given wait, as are 5xx and connection errors.
 */
public final class SlackReceiver implements Receiver {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String name;
    private final Secret url;
    private final Duration timeout;

    public SlackReceiver(String name, Secret url, Duration timeout) {
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
        return "slack";
    }

    @Override
    public Uni<DeliveryResult> send(Notification notification) {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(SlackMessage.of(notification));
        } catch (JsonProcessingException e) {
            return Uni.createFrom().item(DeliveryResult.permanent("cannot encode the message: " + e.getOriginalMessage()));
        }
        return HttpPoster.postJson(url, body, timeout, true);
    }
}
