package io.jitsiops.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.jitsiops.events.CloudEvent;
import io.jitsiops.events.EventCodec;
import io.jitsiops.events.payload.HealthStatus;
import io.jitsiops.events.payload.HealthStatusChanged;
import io.jitsiops.testkit.KafkaRecords;

/**
 * Two packaged replicas alive in one consumer group: the second joins while the first holds firing alerts, Kafka
 * moves partitions to it, and each alert is then held — and told — by exactly one replica. Before the handover was
 * scoped to the moved partitions, the joining replica adopted every firing alert and the first kept them all, so
 * after the alerts resolved the copy that never saw the resolution repeated "firing" at its repeat interval.
 */
class TwoLiveReplicasIT {
    private static final Pattern NOTICE = Pattern.compile("\"status\":\"(firing|resolved)\"");
    private static final Pattern MARK = Pattern.compile("handover-([0-9a-f]{6})-([0-9]+)");
    private static final Pattern ACTIVE = Pattern.compile("(?m)^jitsiops_alert_active(?:\\{[^}]*})? ([0-9.eE+-]+)$");
    private static final int ALERTS = 120;
    /** This test's replicas and their database, killed and dropped at the end. */
    private static PackagedAlertService.ReplicaSet replicas;

    /** One notice as the sink received it: the alert's number, firing or resolved, when. */
    record Notice(int alert, String status, long at) {
    }

    @AfterAll
    static void stop() throws Exception {
        if (replicas != null) {
            replicas.close();
        }
    }

    @Test
    void afterAReplicaJoinsEachAlertIsHeldAndToldByOneReplicaAndNothingRepeatsAfterItResolved() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        List<Notice> notices = new CopyOnWriteArrayList<>();
        HttpServer sink = PackagedAlertService.sink(body -> {
            // one alert per group (group_by target): the notice's first status is the group's
            Matcher status = NOTICE.matcher(body);
            Matcher mark = MARK.matcher(body);
            if (status.find() && mark.find() && mark.group(1).equals(run)) {
                notices.add(new Notice(Integer.parseInt(mark.group(2)), status.group(1), System.nanoTime()));
            }
        });
        // a short repeat interval: a copy that missed the resolution would repeat "firing" within seconds
        String rules = """
                rules:
                  - name: handover-down
                    input: health_status
                    metric: health.status
                    threshold: 2
                    severity: critical
                    summary: "{labels.target} is DOWN"
                    description: "two live replicas"
                route:
                  receiver: sink
                  group_by: [alertname, target]
                  group_wait: 200ms
                  group_interval: 1s
                  repeat_interval: 2s
                """;
        // a database and a consumer group of their own, read from the end: only this test's alerts and events
        replicas = new PackagedAlertService.ReplicaSet("alert_handover_" + run);
        String[] group = { "mp.messaging.incoming.events-in.group.id=jitsi-ops-alert-handover-" + run,
                "mp.messaging.incoming.events-in.auto.offset.reset=latest" };
        try {
            PackagedAlertService first = replicas.start(rules, sink.getAddress().getPort(), group);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(first::assigned);
            // read from the end, which the consumer fixes at its first fetch: sent again until taken (an alert
            // already DOWN stays as it is, so a second copy changes nothing)
            untilTold(run, HealthStatus.UP, HealthStatus.DOWN, () -> notices.stream()
                    .filter(n -> n.status().equals("firing")).map(Notice::alert).distinct().count() == ALERTS);
            await().atMost(Duration.ofSeconds(30)).until(() -> active(first) == ALERTS);

            PackagedAlertService second = replicas.start(rules, sink.getAddress().getPort(), group);
            // Kafka gives the second replica part of the partitions: it adopts their alerts, the first drops them
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> active(second) > 0 && active(first) + active(second) == ALERTS);
            long heldFirst = active(first), heldSecond = active(second);
            assertThat(heldFirst).as("the first replica kept some partitions").isPositive();

            untilTold(run, HealthStatus.DOWN, HealthStatus.UP, () -> notices.stream()
                    .filter(n -> n.status().equals("resolved")).map(Notice::alert).distinct().count() == ALERTS);
            long resolvedAll = System.nanoTime();
            Thread.sleep(3 * 2000 + 2000); // three repeat intervals and a group interval after the last resolution

            Map<Integer, Long> resolvedAt = new ConcurrentHashMap<>();
            Map<Integer, Integer> resolvedCount = new ConcurrentHashMap<>();
            notices.stream().filter(n -> n.status().equals("resolved")).forEach(n -> {
                resolvedAt.merge(n.alert(), n.at(), Math::min);
                resolvedCount.merge(n.alert(), 1, Integer::sum);
            });
            List<Notice> firingAfterResolved = notices.stream().filter(n -> n.status().equals("firing")
                    && n.at() > resolvedAt.get(n.alert())).toList();
            System.out.printf("two live replicas: %d alerts, %d notices, held after the join %d + %d, %d resolved "
                            + "notices, %d firing notices after an alert's resolution (%.1f s watched)%n",
                    ALERTS, notices.size(), heldFirst, heldSecond, resolvedCount.values().stream()
                            .mapToInt(Integer::intValue).sum(), firingAfterResolved.size(),
                    (System.nanoTime() - resolvedAll) / 1e9);
            assertThat(firingAfterResolved).as("firing notices after the alert resolved").isEmpty();
            assertThat(resolvedCount).as("one resolved notice per alert").hasSize(ALERTS).allSatisfy((alert, count) ->
                    assertThat(count).as("resolved notices of alert %d", alert).isEqualTo(1));
            assertThat(active(first) + active(second)).as("nothing held after the resolutions").isZero();
        } finally {
            sink.stop(0);
        }
    }

    /** Sends the status changes, and again every 10 s, until {@code told} holds (at most two minutes). */
    private static void untilTold(String run, HealthStatus from, HealthStatus to, java.util.concurrent.Callable<Boolean> told) {
        long[] sent = { 0 };
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (System.nanoTime() - sent[0] > 10_000_000_000L) {
                produce(run, from, to);
                sent[0] = System.nanoTime();
            }
            return told.call();
        });
    }

    private static void produce(String run, HealthStatus from, HealthStatus to) {
        EventCodec codec = new EventCodec();
        try (KafkaProducer<String, byte[]> producer = KafkaRecords.producer()) {
            for (int i = 0; i < ALERTS; i++) {
                CloudEvent<HealthStatusChanged> e = CloudEvent.of("/jitsi-ops/health-service", new HealthStatusChanged(
                        // not "jvb": a replica that adopts alerts of Jitsi targets its deployment description does
                        // not name, active since before it started, resolves them (DeploymentTargets); these are made up
                        "burst", "handover-" + run + "-" + i, from, to, "two live replicas", Instant.now()));
                producer.send(new ProducerRecord<>(e.eventType().topic(), e.subject(), codec.encode(e)));
            }
            producer.flush();
        }
    }

    /** The replica's {@code jitsiops_alert_active} gauge: the pending and firing alerts its evaluator holds. */
    private static long active(PackagedAlertService replica) {
        String metrics = replica.get("/q/metrics");
        if (metrics == null) {
            return -1;
        }
        Matcher m = ACTIVE.matcher(metrics);
        return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
    }
}
