package io.jitsiops.alert.receiver;

import java.time.Duration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jitsiops.alert.notify.DeliveryResult;
import io.jitsiops.alert.notify.Notification;
import io.jitsiops.alert.notify.Receiver;
import io.smallrye.mutiny.Uni;

/**
 * A receiver that POSTs one JSON document per notification to a URL that is itself the credential (Slack incoming
 * webhooks, generic webhooks). Subclasses say what the document is and whether a 429 is worth retrying; the post,
 * its time-out, the pooled connections and the retry verdict for everything else are {@link HttpPoster}'s.
 */
public abstract class JsonPostReceiver implements Receiver {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String name;
    private final HttpPoster poster;
    private final Duration timeout;

    protected JsonPostReceiver(String name, HttpPoster poster, Duration timeout) {
        this.name = name;
        this.poster = poster;
        this.timeout = timeout;
    }

    /** The JSON document (a Jackson-serialisable object) this receiver sends for a notification. */
    protected abstract Object message(Notification notification);

    /** Whether a 429 answer (with its {@code Retry-After}) is worth retrying. */
    protected abstract boolean retryTooManyRequests();

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Uni<DeliveryResult> send(Notification notification) {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(message(notification));
        } catch (JsonProcessingException e) {
            return Uni.createFrom().item(DeliveryResult.permanent("cannot encode the message: " + e.getOriginalMessage()));
        }
        return poster.postJson(body, timeout, retryTooManyRequests());
    }
}
