package io.jitsiops.alert.receiver;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jitsiops.alert.notify.DeliveryResult;
import io.jitsiops.alert.notify.Notification;
import io.jitsiops.alert.notify.Receiver;
import io.smallrye.mutiny.Uni;

/**
 * A receiver that POSTs one JSON document per notification to a URL that is itself the credential (Slack incoming
 * webhooks, generic webhooks). Subclasses say what the document is and whether a 429 is worth retrying; the post,
 * its time-out (the poster's), the pooled connections and the retry verdict for everything else are {@link HttpPoster}'s.
 */
public abstract class JsonPostReceiver implements Receiver {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String name;
    private final HttpPoster poster;

    protected JsonPostReceiver(String name, HttpPoster poster) {
        this.name = name;
        this.poster = poster;
    }

    /** The JSON document (a Jackson-serialisable object) this receiver sends for a notification. */
    protected abstract Object message(Notification notification);

    /** The body this receiver posts for a notification: Jackson's data binding of {@link #message} by default. */
    protected byte[] encode(Notification notification) throws IOException {
        return JSON.writeValueAsBytes(message(notification));
    }

    /** Whether a 429 answer (with its {@code Retry-After}) is worth retrying. */
    protected abstract boolean retryTooManyRequests();

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Uni<DeliveryResult> send(Notification notification) {
        return Uni.createFrom().completionStage(() -> deliver(notification));
    }

    /** One attempt, without a Mutiny pipeline ({@link Receiver#deliver}): the pipeline's path for every notification. */
    @Override
    public final CompletionStage<DeliveryResult> deliver(Notification notification) {
        byte[] body;
        try {
            body = encode(notification);
        } catch (IOException e) {
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            return CompletableFuture.completedFuture(DeliveryResult.permanent("cannot encode the message: " + why));
        }
        return poster.post(body, retryTooManyRequests());
    }
}
