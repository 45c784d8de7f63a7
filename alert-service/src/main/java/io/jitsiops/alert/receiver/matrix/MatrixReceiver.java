package io.jitsiops.alert.receiver.matrix;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jitsiops.alert.config.Secret;
import io.jitsiops.alert.notify.DeliveryIds;
import io.jitsiops.alert.notify.DeliveryResult;
import io.jitsiops.alert.notify.Notification;
import io.jitsiops.alert.notify.Receiver;
import io.jitsiops.alert.receiver.HttpPoster;
import io.smallrye.mutiny.Uni;

/**
 * A Matrix room, through the Client-Server API's {@code PUT /_matrix/client/v3/rooms/{roomId}/send/m.room.message/{txnId}}
 * with the bot's access token as a bearer (a {@link Secret}). Alertmanager has no Matrix integration (its PRs #600 and
 * #1490 were not taken: "not accepting new integrations"), so its users run a bridge in front of its webhook; Jitsi
 * deployments often sit next to a Matrix homeserver (Element calls through Jitsi), so the room is a receiver here.
 * <p>
 * The transaction id is the receiver queue's delivery id: the same for every retry of one notification. The spec makes
 * the homeserver answer a repeated transaction id with the event it already sent, so a retry after a lost answer
 * (time-out, connection reset) does not post the message twice — a guarantee the POST receivers cannot give. 429
 * ({@code M_LIMIT_EXCEEDED}, with {@code retry_after_ms}), 5xx and connection errors are retried; other 4xx (a wrong
 * token, a room the bot has not joined) are not. Unencrypted rooms only: an encrypted room needs a full Matrix client
 * (Olm/Megolm sessions and device keys), which a bot room for alerts does without.
 */
public final class MatrixReceiver implements Receiver {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String name;
    private final HttpPoster poster;
    /** Transaction ids of notifications sent outside the receiver queue (the test notification), never reused. */
    private final DeliveryIds ownIds = new DeliveryIds("t");

    /** @param poster a PUT to {@link #sendUrl} with the access token as its bearer */
    public MatrixReceiver(String name, HttpPoster poster) {
        this.name = name;
        this.poster = poster;
    }

    /** The URL the transaction id is appended to: {@code <homeserver>/_matrix/client/v3/rooms/<roomId>/send/m.room.message/}. */
    public static String sendUrl(String homeserver, String roomId) {
        return homeserver.replaceAll("/+$", "") + "/_matrix/client/v3/rooms/" + URLEncoder.encode(roomId, StandardCharsets.UTF_8)
                + "/send/m.room.message/";
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return "matrix";
    }

    @Override
    public Uni<DeliveryResult> send(Notification notification) {
        return Uni.createFrom().completionStage(() -> deliver(notification));
    }

    @Override
    public CompletionStage<DeliveryResult> deliver(Notification notification) {
        return deliver(notification, ownIds.next());
    }

    @Override
    public CompletionStage<DeliveryResult> deliver(Notification notification, String deliveryId) {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(MatrixMessage.of(notification));
        } catch (JsonProcessingException e) {
            return CompletableFuture.completedFuture(DeliveryResult.permanent("cannot encode the message: " + e.getOriginalMessage()));
        }
        return poster.send(URLEncoder.encode(deliveryId, StandardCharsets.UTF_8), body, true);
    }
}
