package io.jitsiops.alert.notify;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Delivery ids ({@link Receiver#deliver(Notification, String)}): a random prefix per generator and a sequence, so that
 * they differ across notifications, replicas and restarts. The receiver queue draws one per notification, shared by its
 * retries; a receiver sending outside the queue (the test notification) draws its own.
 */
public final class DeliveryIds {
    private final String prefix;
    private final AtomicLong sequence = new AtomicLong();

    public DeliveryIds(String kind) {
        this.prefix = kind + Long.toHexString(new SecureRandom().nextLong());
    }

    public String next() {
        return prefix + "." + sequence.incrementAndGet();
    }
}
