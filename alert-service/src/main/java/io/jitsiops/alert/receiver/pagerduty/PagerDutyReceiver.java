package io.jitsiops.alert.receiver.pagerduty;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.jitsiops.alert.config.Secret;
import io.jitsiops.alert.notify.DeliveryResult;
import io.jitsiops.alert.notify.Notification;
import io.jitsiops.alert.notify.Receiver;
import io.jitsiops.alert.receiver.HttpPoster;
import io.smallrye.mutiny.Uni;

/**
 * PagerDuty through its Events API v2 ({@code POST https://events.pagerduty.com/v2/enqueue} unless another URL is
 * configured), with an integration's routing key (a {@link Secret}: it lets anyone open incidents on that service).
 * As Alertmanager's PagerDuty notifier: 2xx (202) is delivered; 429 (PagerDuty's rate limit) and 5xx are retried, with
 * {@code Retry-After} honoured; other answers (400: an invalid event) are not. A digest (the receiver's rate limit
 * overflowed) is sent as one event per group, in order, since a PagerDuty incident is one group (its dedup key): one
 * event for several groups could neither update nor resolve theirs.
 */
public final class PagerDutyReceiver implements Receiver {
    public static final String EVENTS_V2_URL = "https://events.pagerduty.com/v2/enqueue";
    private final String name;
    private final Secret routingKey;
    private final HttpPoster poster;

    public PagerDutyReceiver(String name, Secret routingKey, HttpPoster poster) {
        this.name = name;
        this.routingKey = routingKey;
        this.poster = poster;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return "pagerduty";
    }

    @Override
    public Uni<DeliveryResult> send(Notification notification) {
        return Uni.createFrom().completionStage(() -> deliver(notification));
    }

    @Override
    public CompletionStage<DeliveryResult> deliver(Notification notification) {
        if (!notification.isDigest()) {
            return post(notification);
        }
        // the groups one after the other; the first that is not delivered is the digest's outcome (its retry sends
        // the delivered ones again, which PagerDuty's dedup key makes harmless)
        CompletionStage<DeliveryResult> chain = CompletableFuture.completedFuture(DeliveryResult.ok());
        for (Notification part : notification.digestOf()) {
            chain = chain.thenCompose(previous -> previous.delivered() ? post(part) : CompletableFuture.completedFuture(previous));
        }
        return chain;
    }

    private CompletionStage<DeliveryResult> post(Notification n) {
        byte[] body;
        try {
            body = PagerDutyEvent.of(n, routingKey.reveal());
        } catch (JsonProcessingException e) {
            return CompletableFuture.completedFuture(DeliveryResult.permanent("cannot encode the event: " + e.getOriginalMessage()));
        }
        return poster.post(body, true);
    }
}
