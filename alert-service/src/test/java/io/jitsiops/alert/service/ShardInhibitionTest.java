package io.jitsiops.alert.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.jitsiops.alert.config.ShardLabelsProducer;
import io.jitsiops.alert.evaluate.Observation;
import io.jitsiops.alert.evaluate.ObservationExtractor;
import io.jitsiops.alert.evaluate.RuleEvaluator;
import io.jitsiops.alert.evaluate.ShardLabels;
import io.jitsiops.alert.evaluate.Transition;
import io.jitsiops.alert.notify.Alert;
import io.jitsiops.alert.notify.DeliveryResult;
import io.jitsiops.alert.notify.Dispatcher;
import io.jitsiops.alert.notify.Inhibitor;
import io.jitsiops.alert.notify.Notification;
import io.jitsiops.alert.notify.NotificationLogEntry;
import io.jitsiops.alert.notify.Receiver;
import io.jitsiops.alert.notify.ReceiverQueue;
import io.jitsiops.alert.rule.RuleFile;
import io.jitsiops.alert.rule.RuleFileParser;
import io.jitsiops.deployment.DeploymentDescriptions;
import io.jitsiops.events.CloudEvent;
import io.jitsiops.events.payload.HealthStatus;
import io.jitsiops.events.payload.HealthStatusChanged;

/**
 * Inhibition with {@code equal: [shard]}: a critical alert of a shard mutes the warnings of that shard only. The
 * alerts come out of the rule evaluator, which derives their shard from a deployment description
 * ({@link ShardLabels}), and are turned into pipeline alerts as AlertEngine does; the dispatcher runs on a
 * hand-driven clock (as in DispatcherTest).
 */
class ShardInhibitionTest {
    private static final Instant T0 = Instant.parse("2026-11-30T02:00:00Z");

    /** Written for this test, in the format of module deployment-descriptor; the URLs are never called. */
    private static final String DESCRIPTION = """
            name: two-shards
            jitsi:
              jicofo:
                - {name: jicofo-1, url: "http://127.0.0.1:9/jicofo-1", shard: shard-1}
                - {name: jicofo-2, url: "http://127.0.0.1:9/jicofo-2", shard: shard-2}
              jvb:
                - {name: jvb-11, url: "http://127.0.0.1:9/jvb-11", shard: shard-1}
                - {name: jvb-12, url: "http://127.0.0.1:9/jvb-12", shard: shard-1}
                - {name: jvb-21, url: "http://127.0.0.1:9/jvb-21", shard: shard-2}
                - {name: jvb-lone, url: "http://127.0.0.1:9/jvb-lone"}
            """;

    private static final RuleFile RULES = new RuleFileParser(Set.of("ops")).parse("""
            rules:
              - name: bridge-down
                input: health_status
                metric: health.status
                threshold: 2
                severity: critical
                summary: "{labels.target} of {labels.shard} is DOWN"
                description: "move its conferences"
              - name: bridge-degraded
                input: health_status
                metric: health.status
                threshold: 1
                severity: warning
                summary: "{labels.target} is DEGRADED"
                description: "look at its health history"
            route:
              receiver: ops
              group_by: [alertname, target]
              group_wait: 30s
              group_interval: 5m
              repeat_interval: 4h
            inhibit_rules:
              - source_matchers: ['severity=critical']
                target_matchers: ['severity=warning']
                equal: [shard]
            """);

    private final ShardLabels shards = ShardLabelsProducer.fromDescription(DeploymentDescriptions.parse(DESCRIPTION));
    private final RuleEvaluator evaluator = new RuleEvaluator(RULES, T0, Map.of(), shards);
    private final ObservationExtractor extract = new ObservationExtractor();

    /** The alerts now firing, by rule and target, as the pipeline gets them. */
    private Map<String, Alert> observe(Map<String, HealthStatus> statusByTarget) {
        Map<String, Alert> firing = new LinkedHashMap<>();
        statusByTarget.forEach((target, status) -> {
            HealthStatusChanged change = new HealthStatusChanged("jvb", target, HealthStatus.UP, status, "probe", T0);
            for (Observation o : extract.extract(CloudEvent.of("/test", change))) {
                for (Transition t : evaluator.observe(o, T0)) {
                    Alert a = AlertEngine.alert(t);
                    assertThat(a.firing()).as("%s %s", t.rule(), target).isTrue();
                    firing.put(t.rule() + "/" + target, a);
                }
            }
        });
        return firing;
    }

    private Map<String, Alert> scenario() {
        Map<String, HealthStatus> status = new LinkedHashMap<>();
        status.put("jvb-11", HealthStatus.DOWN);      // critical (and warning) in shard-1
        status.put("jvb-12", HealthStatus.DEGRADED);  // warning in shard-1
        status.put("jvb-21", HealthStatus.DEGRADED);  // warning in shard-2
        status.put("jvb-lone", HealthStatus.DEGRADED); // warning without a shard
        Map<String, Alert> firing = observe(status);
        assertThat(firing).containsOnlyKeys("bridge-down/jvb-11", "bridge-degraded/jvb-11", "bridge-degraded/jvb-12",
                "bridge-degraded/jvb-21", "bridge-degraded/jvb-lone");
        // the shard labels are the derived ones (no event carries a shard)
        assertThat(firing.get("bridge-down/jvb-11").labels()).containsEntry("shard", "shard-1");
        assertThat(firing.get("bridge-degraded/jvb-12").labels()).containsEntry("shard", "shard-1");
        assertThat(firing.get("bridge-degraded/jvb-21").labels()).containsEntry("shard", "shard-2");
        assertThat(firing.get("bridge-degraded/jvb-lone").labels()).doesNotContainKey("shard");
        return firing;
    }

    @Test
    void aCriticalAlertOfShardOneMutesTheWarningsOfShardOneAndNotThoseOfShardTwo() {
        Map<String, Alert> firing = scenario();
        Map<String, Boolean> muted = new HashMap<>();
        firing.forEach((key, a) -> muted.put(key, Inhibitor.mutes(RULES.inhibitRules(), a, firing.values())));
        assertThat(muted).isEqualTo(Map.of(
                "bridge-down/jvb-11", false,
                "bridge-degraded/jvb-11", true,
                "bridge-degraded/jvb-12", true,  // another bridge of the same shard
                "bridge-degraded/jvb-21", false, // the other shard
                "bridge-degraded/jvb-lone", false)); // no shard is not the critical's shard
    }

    @Test
    void theDispatcherSendsTheCriticalAndTheWarningsOfOtherShardsOnly() {
        Map<String, Alert> firing = scenario();
        HandClock clock = new HandClock();
        List<Notification> sent = Collections.synchronizedList(new ArrayList<>());
        Receiver ops = new Receiver() {
            @Override
            public String name() {
                return "ops";
            }

            @Override
            public String type() {
                return "test";
            }

            @Override
            public io.smallrye.mutiny.Uni<DeliveryResult> send(Notification n) {
                sent.add(n);
                return io.smallrye.mutiny.Uni.createFrom().item(DeliveryResult.ok());
            }
        };
        Map<String, NotificationLogEntry> log = new HashMap<>();
        ReceiverQueue.Policy policy = new ReceiverQueue.Policy(0, 4, 5, 1, Duration.ofMillis(1), Duration.ofMillis(1), "http://x");
        Dispatcher dispatcher = new Dispatcher(() -> RULES, List::of, new Dispatcher.NotificationLog() {
            @Override
            public synchronized NotificationLogEntry get(String receiver, String groupKey) {
                return log.get(receiver + "/" + groupKey);
            }

            @Override
            public synchronized io.smallrye.mutiny.Uni<Void> record(NotificationLogEntry e) {
                log.put(e.receiver() + "/" + e.groupKey(), e);
                return io.smallrye.mutiny.Uni.createFrom().voidItem();
            }
        }, (r, g, o) -> { }, Map.of("ops", new ReceiverQueue(ops, policy, clock)), Map.of(),
                a -> "http://x/ack/" + a.fingerprint(), "http://x", clock);

        firing.values().forEach(dispatcher::put);
        clock.now = clock.now.plus(Duration.ofSeconds(30)); // group_wait
        dispatcher.tick();
        await().atMost(Duration.ofSeconds(30)).until(() -> sent.size() == 3);
        assertThat(sent).flatExtracting(Notification::firing).extracting(a -> a.rule() + "/" + a.labels().get("target"))
                .containsExactlyInAnyOrder("bridge-down/jvb-11", "bridge-degraded/jvb-21", "bridge-degraded/jvb-lone");
        // the muted groups stay muted at their next flush
        clock.now = clock.now.plus(Duration.ofMinutes(5));
        dispatcher.tick();
        assertThat(dispatcher.mutedAmong(firing.values())).containsExactlyInAnyOrder(
                firing.get("bridge-degraded/jvb-11").fingerprint(), firing.get("bridge-degraded/jvb-12").fingerprint());
        assertThat(sent).hasSize(3);
    }

    private static final class HandClock extends Clock {
        volatile Instant now = T0;

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
