package io.jitsiops.alert.notify;

import io.smallrye.mutiny.Uni;

/**
 * One way of telling people (Slack, email, webhook), as Alertmanager's {@code notify.Notifier}: one attempt, no
 * retries of its own (the pipeline's retry stage owns back-off), never failing the Uni — a failure is a
 * {@link DeliveryResult} that says whether to retry. Its error texts must never contain its secrets.
 */
public interface Receiver {
    String name();

    String type();

    Uni<DeliveryResult> send(Notification notification);
}
