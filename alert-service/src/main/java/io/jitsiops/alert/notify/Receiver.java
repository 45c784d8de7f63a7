package io.jitsiops.alert.notify;

import java.util.concurrent.CompletionStage;

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

    /**
     * The same attempt as {@link #send}, as the receiver queue runs it. Receivers that post over HTTP answer it
     * without a Mutiny pipeline: each Uni operator of a subscription captures and restores the thread context
     * (SmallRye context propagation), once per notification on the fan-out's path.
     */
    default CompletionStage<DeliveryResult> deliver(Notification notification) {
        return send(notification).subscribeAsCompletionStage();
    }

    /**
     * The attempt as the receiver queue runs it: {@code deliveryId} is the same for every retry of one notification
     * and differs between notifications. A receiver whose far side deduplicates requests by an id the client chooses
     * (Matrix's transaction id) sends it, so that a retry after a lost answer is not shown twice; the others ignore it.
     */
    default CompletionStage<DeliveryResult> deliver(Notification notification, String deliveryId) {
        return deliver(notification);
    }
}
