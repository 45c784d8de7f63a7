package io.jitsiops.alert.service;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.runtime.Startup;

import io.jitsiops.alert.config.AlertConfig;
import io.jitsiops.alert.config.AlertConfig.ReceiverConfig;
import io.jitsiops.alert.config.Secret;
import io.jitsiops.alert.notify.Receiver;
import io.jitsiops.alert.notify.ReceiverQueue;
import io.jitsiops.alert.receiver.HttpPoster;
import io.jitsiops.alert.receiver.email.EmailReceiver;
import io.jitsiops.alert.receiver.matrix.MatrixReceiver;
import io.jitsiops.alert.receiver.pagerduty.PagerDutyReceiver;
import io.jitsiops.alert.receiver.slack.SlackReceiver;
import io.jitsiops.alert.receiver.teams.TeamsReceiver;
import io.jitsiops.alert.receiver.telegram.TelegramReceiver;
import io.jitsiops.alert.receiver.webhook.WebhookReceiver;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;

/**
 * The configured receivers ({@code jitsiops.alert.receivers.<name>.*}), each with its own queue. A receiver
 * without what its type needs stops the start-up, naming the key.
 */
@ApplicationScoped
@Startup
public class ReceiverRegistry {
    private final Map<String, ReceiverQueue> queues = new LinkedHashMap<>();
    private final Map<String, Boolean> sendResolved = new LinkedHashMap<>();

    public ReceiverRegistry(AlertConfig config, ReactiveMailer mailer, Vertx vertx) {
        Clock clock = Clock.systemUTC();
        config.receivers().forEach((name, rc) -> {
            // Slack and Telegram accept about one message a second per channel/chat, and a homeserver rate-limits a
            // Matrix user's messages (M_LIMIT_EXCEEDED): their default rate limit
            boolean onePerSecond = "slack".equals(rc.type()) || "telegram".equals(rc.type()) || "matrix".equals(rc.type());
            // 1 by default: Slack keeps its order, and a crash can repeat at most one notification per receiver
            int maxInFlight = rc.maxInFlight().orElse(1);
            Receiver receiver = build(name, rc, mailer, vertx, maxInFlight);
            ReceiverQueue.Policy policy = new ReceiverQueue.Policy(rc.ratePerSecond().orElse(onePerSecond ? 1.0 : 0.0),
                    maxInFlight, rc.digestAfter(), config.delivery().maxAttempts(),
                    config.delivery().initialBackoff(), config.delivery().maxBackoff(), config.externalUrl());
            queues.put(name, new ReceiverQueue(receiver, policy, clock));
            sendResolved.put(name, rc.sendResolved());
        });
    }

    private static Receiver build(String name, ReceiverConfig rc, ReactiveMailer mailer, Vertx vertx, int maxInFlight) {
        String key = "jitsiops.alert.receivers." + name;
        return switch (rc.type()) {
            case "slack" -> new SlackReceiver(name, new HttpPoster(vertx, url(rc, key), rc.timeout(), maxInFlight));
            case "webhook" -> new WebhookReceiver(name, new HttpPoster(vertx, url(rc, key), rc.timeout(), maxInFlight));
            case "teams" -> new TeamsReceiver(name, new HttpPoster(vertx, url(rc, key), rc.timeout(), maxInFlight));
            case "telegram" -> {
                Secret token = rc.botToken().filter(t -> !t.isEmpty()).orElseThrow(() -> new IllegalStateException(
                        key + ".bot-token: a telegram receiver needs its bot's token"));
                String chat = rc.chatId().filter(c -> !c.isBlank()).orElseThrow(() -> new IllegalStateException(
                        key + ".chat-id: a telegram receiver needs the chat to post to"));
                String api = rc.url().isPresent() ? url(rc, key).reveal() : TelegramReceiver.API_URL;
                Secret sendMessage = Secret.of(api.replaceAll("/+$", "") + "/bot" + token.reveal() + "/sendMessage");
                yield new TelegramReceiver(name, chat, new HttpPoster(vertx, sendMessage, rc.timeout(), maxInFlight));
            }
            case "matrix" -> {
                Secret token = rc.accessToken().filter(t -> !t.isEmpty()).orElseThrow(() -> new IllegalStateException(
                        key + ".access-token: a matrix receiver needs its bot user's access token"));
                String room = rc.roomId().map(String::trim).orElse("");
                if (!room.startsWith("!") || !room.contains(":")) {
                    throw new IllegalStateException(key + ".room-id: a matrix receiver needs the room's internal id (!opaque:server,"
                            + " Element: Room settings → Advanced), not " + (room.isEmpty() ? "nothing" : "'" + room + "'")
                            + "; an alias (#room:server) can move to another room");
                }
                Secret send = Secret.of(MatrixReceiver.sendUrl(url(rc, key).reveal(), room));
                yield new MatrixReceiver(name, new HttpPoster(vertx, send, rc.timeout(), maxInFlight, HttpMethod.PUT, token));
            }
            case "pagerduty" -> {
                Secret routingKey = rc.routingKey().filter(k -> !k.isEmpty()).orElseThrow(() -> new IllegalStateException(
                        key + ".routing-key: a pagerduty receiver needs its integration's Events API v2 routing key"));
                Secret endpoint = rc.url().isPresent() ? url(rc, key) : Secret.of(PagerDutyReceiver.EVENTS_V2_URL);
                yield new PagerDutyReceiver(name, routingKey, new HttpPoster(vertx, endpoint, rc.timeout(), maxInFlight));
            }
            case "email" -> {
                List<String> to = rc.to().filter(l -> !l.isEmpty())
                        .orElseThrow(() -> new IllegalStateException(key + ".to: an email receiver needs recipients"));
                yield new EmailReceiver(name, to, mailer, rc.timeout());
            }
            default -> throw new IllegalStateException(key + ".type: '" + rc.type() + "' is not slack, teams, telegram, matrix, email, webhook or pagerduty");
        };
    }

    private static Secret url(ReceiverConfig rc, String key) {
        Secret url = rc.url().filter(u -> !u.isEmpty())
                .orElseThrow(() -> new IllegalStateException(key + ".url: a " + rc.type() + " receiver needs a URL"));
        if (!url.reveal().startsWith("http://") && !url.reveal().startsWith("https://")) {
            throw new IllegalStateException(key + ".url: not an http(s) URL");
        }
        return url;
    }

    public Map<String, ReceiverQueue> queues() {
        return queues;
    }

    public Map<String, Boolean> sendResolved() {
        return sendResolved;
    }
}
