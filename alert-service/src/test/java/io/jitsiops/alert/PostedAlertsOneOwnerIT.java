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
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

/**
 * Prometheus posting to every replica (the standard Alertmanager HA set-up: every pod of the Service as an
 * Alertmanager), two packaged replicas in one consumer group: each posted alert is owned by one replica — the owner of
 * its partition of jitsi-ops.alert-intake — so it is notified once when it fires and once when it ends. When one
 * replica is killed while Prometheus keeps re-posting to the other, the survivor adopts the killed replica's posted
 * alerts: no repeated firing notice, no false resolved notice. Before the routing, each replica held what it was
 * posted, so every alert was notified by both.
 */
class PostedAlertsOneOwnerIT {
    private static final Pattern NOTICE = Pattern.compile("\"status\":\"(firing|resolved)\"");
    private static final Pattern MARK = Pattern.compile("owner-([0-9a-f]{6})-([0-9]+)");
    private static final String TOKEN = "posted-owner-intake-token";
    private static final int ALERTS = 60;
    /** This test's replicas and their database, killed and dropped at the end. */
    private static PackagedAlertService.ReplicaSet replicas;
    /** One notice as the sink received it: the alert's number, firing or resolved. */
    record Notice(int alert, String status) {
    }

    @AfterAll
    static void stop() throws Exception {
        if (replicas != null) {
            replicas.close();
        }
    }

    @Test
    void alertsPostedToEveryReplicaAreToldOnceAndTheSurvivorOfAKilledOwnerNeitherRepeatsNorFalselyResolvesThem()
            throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        List<Notice> notices = new CopyOnWriteArrayList<>();
        HttpServer sink = PackagedAlertService.sink(body -> {
            Matcher status = NOTICE.matcher(body);
            Matcher mark = MARK.matcher(body);
            if (status.find() && mark.find() && mark.group(1).equals(run)) {
                notices.add(new Notice(Integer.parseInt(mark.group(2)), status.group(1)));
            }
        });
        // one alert per group; a repeat interval longer than the test, so any second firing notice is a duplicate
        String rules = """
                rules:
                  - name: unused-down
                    input: health_status
                    metric: health.status
                    threshold: 2
                    severity: critical
                    summary: "{labels.target} is DOWN"
                    description: "not used: only posted alerts here"
                route:
                  receiver: sink
                  group_by: [alertname, instance]
                  group_wait: 200ms
                  group_interval: 1s
                  repeat_interval: 1h
                """;
        replicas = new PackagedAlertService.ReplicaSet("alert_posted_owner_" + run);
        String[] properties = { "mp.messaging.incoming.events-in.group.id=jitsi-ops-alert-posted-owner-" + run,
                "mp.messaging.incoming.events-in.auto.offset.reset=latest",
                "jitsiops.alert.intake.bearer-token=" + TOKEN };
        try {
            PackagedAlertService first = replicas.start(rules, sink.getAddress().getPort(), properties);
            PackagedAlertService second = replicas.start(rules, sink.getAddress().getPort(), properties);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> first.assigned() && second.assigned());
            String firing = alerts(run, null);

            // Prometheus posts to both pods, and again every second (its consumers read from the end: re-posted until told)
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                assertThat(first.post("/api/v2/alerts", firing, TOKEN)).isEqualTo(200);
                assertThat(second.post("/api/v2/alerts", firing, TOKEN)).isEqualTo(200);
                return told(notices, "firing") == ALERTS;
            });
            for (int i = 0; i < 5; i++) { // more re-posts to both: nothing new to tell
                assertThat(first.post("/api/v2/alerts", firing, TOKEN)).isEqualTo(200);
                assertThat(second.post("/api/v2/alerts", firing, TOKEN)).isEqualTo(200);
                Thread.sleep(1000);
            }
            Map<Integer, Long> firingWhileBoth = count(notices, "firing");

            // the first replica dies; Prometheus keeps re-posting to the one left, which is given the first one's
            // partitions once the group notices (session timeout 6 s) and adopts their posted alerts
            int before = second.log().split("assigned: adopted", -1).length;
            first.kill();
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                assertThat(second.post("/api/v2/alerts", firing, TOKEN)).isEqualTo(200);
                return second.log().split("assigned: adopted", -1).length > before;
            });
            for (int i = 0; i < 8; i++) { // re-posts to the survivor after the handover: nothing new to tell
                assertThat(second.post("/api/v2/alerts", firing, TOKEN)).isEqualTo(200);
                Thread.sleep(1000);
            }
            Map<Integer, Long> firingAfterHandover = count(notices, "firing");
            long resolvedBeforeTheEnd = notices.stream().filter(n -> n.status().equals("resolved")).count();

            // the alerts end: Prometheus posts them with endsAt in the past
            String ended = alerts(run, Instant.now().minusSeconds(1));
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                assertThat(second.post("/api/v2/alerts", ended, TOKEN)).isEqualTo(200);
                return told(notices, "resolved") == ALERTS;
            });
            Thread.sleep(3000); // a group interval and more: a second resolved notice would arrive meanwhile
            Map<Integer, Long> resolved = count(notices, "resolved");
            Map<Integer, Long> firingAll = count(notices, "firing");
            System.out.printf("posted alerts, one owner: %d alerts posted to two replicas; firing notices %d while both "
                            + "lived, %d after the owner was killed; resolved notices %d before the end, %d in all%n",
                    ALERTS, sum(firingWhileBoth), sum(firingAfterHandover), resolvedBeforeTheEnd, sum(resolved));
            assertThat(firingWhileBoth).as("one firing notice per alert while both replicas are posted to")
                    .hasSize(ALERTS).allSatisfy((alert, n) -> assertThat(n).as("firing notices of alert %d", alert).isEqualTo(1));
            assertThat(sum(firingAll)).as("no firing notice repeated after the handover or later").isEqualTo(ALERTS);
            assertThat(resolvedBeforeTheEnd).as("no false resolved notice before the alerts ended").isZero();
            assertThat(resolved).as("one resolved notice per alert").hasSize(ALERTS)
                    .allSatisfy((alert, n) -> assertThat(n).as("resolved notices of alert %d", alert).isEqualTo(1));
        } finally {
            sink.stop(0);
        }
    }

    /** The test's alerts as Prometheus posts them; {@code endsAt} null while firing. */
    private static String alerts(String run, Instant endsAt) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < ALERTS; i++) {
            json.append(i == 0 ? "" : ",").append("{\"labels\":{\"alertname\":\"PostedOwner\",\"instance\":\"owner-")
                    .append(run).append('-').append(i).append("\",\"severity\":\"warning\"}")
                    .append(endsAt == null ? "" : ",\"endsAt\":\"" + endsAt + "\"").append('}');
        }
        return json.append(']').toString();
    }

    private static long told(List<Notice> notices, String status) {
        return notices.stream().filter(n -> n.status().equals(status)).map(Notice::alert).distinct().count();
    }

    private static Map<Integer, Long> count(List<Notice> notices, String status) {
        return new ConcurrentHashMap<>(notices.stream().filter(n -> n.status().equals(status))
                .collect(Collectors.groupingBy(Notice::alert, Collectors.counting())));
    }

    private static long sum(Map<Integer, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }
}
