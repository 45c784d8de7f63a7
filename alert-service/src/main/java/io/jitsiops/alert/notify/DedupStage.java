package io.jitsiops.alert.notify;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Whether a group needs a notification now, against what the notification log says was last sent (Alertmanager's
 * {@code DedupStage.needsUpdate}): a new firing alert, a newly resolved one (when the receiver wants resolved
 * notices), everything resolved after a firing notice, or the repeat interval elapsed — unless every firing alert
 * is acknowledged, which stops repeats (Alertmanager refuses acknowledgements, its issue #1860).
 */
public final class DedupStage {
    private DedupStage() {
    }

    public static boolean needsUpdate(NotificationLogEntry last, Set<String> firing, Set<String> resolved,
                                      boolean sendResolved, boolean allFiringAcknowledged, Duration repeatInterval,
                                      Instant now) {
        if (last == null) {
            return !firing.isEmpty();
        }
        if (!last.firing().containsAll(firing)) {
            return true;
        }
        if (firing.isEmpty()) {
            // all resolved: tell (once) if the last notice still showed some firing
            return sendResolved && !last.firing().isEmpty();
        }
        if (sendResolved && !last.resolved().containsAll(resolved)) {
            return true;
        }
        if (allFiringAcknowledged) {
            return false;
        }
        return !last.sentAt().plus(repeatInterval).isAfter(now);
    }
}
