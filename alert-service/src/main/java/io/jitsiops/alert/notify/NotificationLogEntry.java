package io.jitsiops.alert.notify;

import java.time.Instant;
import java.util.Set;

/**
 * What a receiver was last told about a group (Alertmanager's {@code nflogpb.Entry}): the firing and resolved
 * alerts of the last successful notification, and when. Persisted, so that a restart does not resend.
 */
public record NotificationLogEntry(String receiver, String groupKey, Set<String> firing, Set<String> resolved,
                                   Instant sentAt) {
}
