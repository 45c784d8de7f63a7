package io.jitsiops.alert.receiver.telegram;

import io.jitsiops.alert.notify.Notification;
import io.jitsiops.alert.receiver.HttpPoster;
import io.jitsiops.alert.receiver.JsonPostReceiver;

/**
 * Telegram through the Bot API's {@code sendMessage}, to one chat. The bot token is part of the URL the poster is
 * given ({@code <api>/bot<token>/sendMessage}), so that URL is a {@link io.jitsiops.alert.config.Secret}. Telegram
 * answers 429 ("Too Many Requests: retry after N") when a chat gets more than about one message a second: worth
 * retrying, as are 5xx and connection errors.
 */
public final class TelegramReceiver extends JsonPostReceiver {
    public static final String API_URL = "https://api.telegram.org";
    private final String chatId;

    public TelegramReceiver(String name, String chatId, HttpPoster poster) {
        super(name, poster);
        this.chatId = chatId;
    }

    @Override
    public String type() {
        return "telegram";
    }

    @Override
    protected Object message(Notification notification) {
        return TelegramMessage.of(notification, chatId);
    }

    @Override
    protected boolean retryTooManyRequests() {
        return true;
    }
}
