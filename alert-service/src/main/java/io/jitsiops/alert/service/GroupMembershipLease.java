package io.jitsiops.alert.service;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Whether this replica's membership of the consumer group is certainly alive, so that the partitions assigned here
 * are nobody else's right now. Kafka moves a partition to another member only after this one gave it up (the
 * cooperative assignor revokes it here first; {@link PartitionOwnership} then stops holding it) or after the group
 * coordinator stopped hearing from this member for the session timeout. The consumer's heartbeat thread sends a
 * heartbeat every {@code heartbeat.interval.ms} (3 s by default) while it can reach the coordinator, and stops sending
 * when it cannot (coordinator unknown, or one heartbeat still unanswered). So while the last heartbeat was sent less
 * than a quarter of the session timeout ago, the last one the coordinator received is younger than that plus one
 * interval, and the coordinator cannot have given the partitions away: a lease, renewed by every heartbeat.
 * <p>
 * Read from the consumer's own metric {@code consumer-coordinator-metrics / last-heartbeat-seconds-ago} (whole
 * seconds since the last heartbeat was sent, -1 before the first; {@code AbstractCoordinator.GroupCoordinatorMetrics}
 * in kafka-clients), which reads a volatile field and is safe from any thread, so the HTTP event loop can ask it
 * without touching the consumer.
 */
final class GroupMembershipLease {
    private final long boundSeconds;
    private volatile Metric lastHeartbeatSecondsAgo;

    /** {@code sessionTimeoutMillis}: the consumer's {@code session.timeout.ms}. */
    GroupMembershipLease(long sessionTimeoutMillis) {
        this.boundSeconds = sessionTimeoutMillis / 4000;
    }

    /** Finds the consumer's heartbeat metric (called on the polling thread, from the rebalance listener). */
    void watch(Consumer<?, ?> consumer) {
        if (lastHeartbeatSecondsAgo != null) {
            return;
        }
        for (var e : consumer.metrics().entrySet()) {
            MetricName name = e.getKey();
            if (name.name().equals("last-heartbeat-seconds-ago") && name.group().equals("consumer-coordinator-metrics")) {
                lastHeartbeatSecondsAgo = e.getValue();
                return;
            }
        }
    }

    /** Whether the membership is certainly alive now; false before the consumer was seen or its first heartbeat. */
    boolean held() {
        Metric m = lastHeartbeatSecondsAgo;
        if (m == null || boundSeconds < 1) {
            return false;
        }
        double ago = ((Number) m.metricValue()).doubleValue();
        return ago >= 0 && ago < boundSeconds;
    }
}
