package io.jitsiops.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
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
 * The packaged alert-service (its fast-jar, as it runs in production) killed with SIGKILL in the middle of a burst
 * and started again: every alert of the burst is notified (0 lost) and at most one notification per 10,000 is
 * repeated. Real Kafka and PostgreSQL from the test kit; a webhook sink in this JVM counts notifications per alert.
 * Runs after {@code package} (failsafe), when the fast-jar of this very build exists.
 */
class RestartSafetyIT {
    private static final Pattern MARK = Pattern.compile("restart-([0-9a-f]{6})-([0-9]+)");
    /**
     * Events in the burst: 10,000, so that "at most one repeat per 10,000" is asserted at full size (batch consumption
     * and a receiver slot that waits for the notification log keep it at about half a minute here).
     */
    private static final int BURST = Integer.getInteger("jitsiops.test.restart-burst", 10_000);
    private static PackagedAlertService app;

    @AfterAll
    static void stop() throws InterruptedException {
        if (app != null) {
            app.kill();
        }
    }

    @Test
    void aServiceKilledMidBurstLosesNoNotificationAndRepeatsAtMostOnePer10000() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        Map<Integer, AtomicInteger> notified = new ConcurrentHashMap<>();
        HttpServer sink = PackagedAlertService.sink(body -> {
            // an alert's mark appears several times in one message (labels, group labels, summary): count it once
            Set<Integer> marks = new HashSet<>();
            Matcher m = MARK.matcher(body);
            while (m.find()) {
                if (m.group(1).equals(run)) {
                    marks.add(Integer.parseInt(m.group(2)));
                }
            }
            marks.forEach(i -> notified.computeIfAbsent(i, k -> new AtomicInteger()).incrementAndGet());
        });
        PackagedAlertService service = PackagedAlertService.prepare("""
                rules:
                  - name: restart-down
                    input: health_status
                    metric: health.status
                    threshold: 2
                    severity: critical
                    summary: "{labels.target} is DOWN"
                    description: "restart safety"
                route:
                  receiver: sink
                  group_by: [alertname, target]
                  group_wait: 200ms
                  group_interval: 1m
                  repeat_interval: 4h
                """, sink.getAddress().getPort(), false, null);
        try {
            app = service.start();
            long produced = System.nanoTime();
            EventCodec codec = new EventCodec();
            try (KafkaProducer<String, byte[]> producer = KafkaRecords.producer()) {
                for (int i = 0; i < BURST; i++) {
                    CloudEvent<HealthStatusChanged> e = CloudEvent.of("/jitsi-ops/health-service", new HealthStatusChanged(
                            // not "jvb": a restarted replica resolves the alerts of Jitsi targets its deployment
                            // description does not name (DeploymentTargets), and these targets are made up
                            "burst", "restart-" + run + "-" + i, HealthStatus.UP, HealthStatus.DOWN, "timeout", Instant.now()));
                    producer.send(new ProducerRecord<>(e.eventType().topic(), e.subject(), codec.encode(e)));
                }
                producer.flush();
            }
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20)).until(() -> notified.size() >= BURST / 3);
            app.kill(); // SIGKILL: no shutdown hook, nothing flushed
            double beforeKill = (System.nanoTime() - produced) / 1e9;
            int atKill = notified.size();
            app = service.start();
            long restarted = System.nanoTime();
            await().atMost(Duration.ofMinutes(3)).until(() -> notified.size() >= BURST);
            double afterRestart = (System.nanoTime() - restarted) / 1e9;
            Thread.sleep(2000); // anything repeated after the last first notification arrives by now
            long duplicates = notified.values().stream().mapToLong(c -> c.get() - 1).sum();
            System.out.printf("restart safety: %d events, killed after %d notified, %d notified, %d lost, %d duplicates; "
                            + "events in -> first notification: %.0f/s before the kill (%.1f s), %.0f/s after the restart (%.1f s)%n",
                    BURST, atKill, notified.size(), BURST - notified.size(), duplicates, atKill / beforeKill, beforeKill,
                    (notified.size() - atKill) / afterRestart, afterRestart);
            assertThat(atKill).as("killed mid-burst").isLessThan(BURST);
            assertThat(notified).as("every alert notified").hasSize(BURST);
            // at most one per 10,000 notifications (so at most one in a smaller burst)
            // the structural bound: a receiver's slot waits for the notification log, so a kill repeats at most
            // max-in-flight (default 1) notifications of that receiver
            assertThat(duplicates).as("repeated notifications").isLessThanOrEqualTo(Math.max(1, BURST / 10_000));
        } finally {
            sink.stop(0);
        }
    }
}
