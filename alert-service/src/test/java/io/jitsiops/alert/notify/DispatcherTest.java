package io.jitsiops.alert.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.jitsiops.alert.rule.Matcher;
import io.jitsiops.alert.rule.RuleFile;
import io.jitsiops.alert.rule.RuleFileParser;
import io.jitsiops.events.payload.AlertSeverity;
import io.jitsiops.events.payload.AlertState;
import io.smallrye.mutiny.Uni;

/** The pipeline's stages on a hand-driven clock, with receivers that record what they were given. */
public class DispatcherTest {
    static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-11-29T08:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    static final class RecordingReceiver implements Receiver {
        final String name;
        final List<Notification> sent = Collections.synchronizedList(new ArrayList<>());
        volatile DeliveryResult answer = DeliveryResult.ok();
        /** When set, the next sends are answered only when it completes (a notification held in flight). */
        volatile java.util.concurrent.CompletableFuture<DeliveryResult> held;

        RecordingReceiver(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String type() {
            return "test";
        }

        @Override
        public Uni<DeliveryResult> send(Notification n) {
            sent.add(n);
            java.util.concurrent.CompletableFuture<DeliveryResult> h = held;
            return h != null ? Uni.createFrom().completionStage(h) : Uni.createFrom().item(answer);
        }
    }

    final MutableClock clock = new MutableClock();
    final Map<String, NotificationLogEntry> log = new HashMap<>();
    final List<ReceiverQueue.Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
    final List<Silence> silences = new ArrayList<>();
    final RecordingReceiver ops = new RecordingReceiver("ops");
    final RecordingReceiver pager = new RecordingReceiver("pager");
    final RuleFile rules = new RuleFileParser(Set.of("ops", "pager")).parse("""
            rules: []
            route:
              receiver: ops
              group_by: [alertname, target]
              group_wait: 30s
              group_interval: 5m
              repeat_interval: 4h
              routes:
                - matchers: ['page=true']
                  receiver: pager
                  continue: true
                - matchers: ['page=true']
                  receiver: ops
            inhibit_rules:
              - source_matchers: ['severity=critical']
                target_matchers: ['severity=warning']
                equal: [target]
            """);
    final Dispatcher dispatcher = dispatcher();

    Dispatcher dispatcher() {
        return dispatcher(rules);
    }

    Dispatcher dispatcher(RuleFile file) {
        ReceiverQueue.Policy policy = new ReceiverQueue.Policy(0, 4, 5, 1, Duration.ofMillis(1), Duration.ofMillis(1), "http://x");
        return new Dispatcher(() -> file, () -> silences, new Dispatcher.NotificationLog() {
            @Override
            public NotificationLogEntry get(String receiver, String groupKey) {
                return log.get(receiver + "/" + groupKey);
            }

            @Override
            public io.smallrye.mutiny.Uni<Void> record(NotificationLogEntry e) {
                log.put(e.receiver() + "/" + e.groupKey(), e);
                return io.smallrye.mutiny.Uni.createFrom().voidItem();
            }
        }, (r, g, o) -> outcomes.add(o), Map.of("ops", new ReceiverQueue(ops, policy, clock),
                "pager", new ReceiverQueue(pager, policy, clock)), Map.of(), a -> "http://x/ack/" + a.fingerprint(),
                "http://x", clock);
    }

    public static Alert alert(String name, String target, AlertSeverity severity, AlertState state, Map<String, String> extra) {
        Map<String, String> labels = new HashMap<>(extra);
        labels.put("alertname", name);
        labels.put("target", target);
        labels.put("severity", severity.name().toLowerCase());
        String fp = name + "/" + target + (extra.isEmpty() ? "" : "/" + new java.util.TreeMap<>(extra));
        return new Alert(fp, name, Map.copyOf(labels), severity, false, state, 1.0, 0.5, "s", "d", null,
                null, Instant.parse("2026-11-29T07:59:00Z"), state == AlertState.RESOLVED ? Instant.now() : null, null, "rule");
    }

    public static Alert firing(String name, String target, AlertSeverity severity) {
        return alert(name, target, severity, AlertState.FIRING, Map.of());
    }

    private void tick(Duration d) {
        clock.advance(d);
        dispatcher.tick();
    }

    @Test
    void waitsGroupWaitThenSendsOneNotificationPerGroup() {
        dispatcher.put(firing("cpu", "jvb-1", AlertSeverity.WARNING));
        tick(Duration.ofSeconds(10));
        dispatcher.put(alert("cpu", "jvb-1", AlertSeverity.WARNING, AlertState.FIRING, Map.of("other", "x")));
        assertThat(ops.sent).isEmpty();
        tick(Duration.ofSeconds(20));
        await().until(() -> ops.sent.size() == 1);
        assertThat(ops.sent.get(0).firing()).hasSize(2);
        assertThat(ops.sent.get(0).ackLinks()).hasSize(2);
        assertThat(pager.sent).isEmpty();
    }

    @Test
    void doesNotResendWhatTheNotificationLogHoldsUntilTheRepeatInterval() {
        Alert a = firing("cpu", "jvb-1", AlertSeverity.WARNING);
        dispatcher.put(a);
        tick(Duration.ofSeconds(30));
        await().until(() -> ops.sent.size() == 1);
        tick(Duration.ofMinutes(5));
        tick(Duration.ofMinutes(5));
        assertThat(ops.sent).hasSize(1);
        tick(Duration.ofHours(4));
        await().until(() -> ops.sent.size() == 2);
    }

    @Test
    void aRestartWithThePersistedLogNeitherResendsNorForgets() {
        Alert a = firing("cpu", "jvb-1", AlertSeverity.WARNING);
        dispatcher.put(a);
        tick(Duration.ofSeconds(30));
        await().until(() -> ops.sent.size() == 1);
        Dispatcher restarted = dispatcher(); // same notification log, as loaded from PostgreSQL
        restarted.put(a);
        clock.advance(Duration.ofSeconds(30));
        restarted.tick();
        assertThat(ops.sent).hasSize(1);
        restarted.put(alert("cpu", "jvb-1", AlertSeverity.WARNING, AlertState.RESOLVED, Map.of()));
        clock.advance(Duration.ofMinutes(5));
        restarted.tick();
        await().until(() -> ops.sent.size() == 2);
        assertThat(ops.sent.get(1).resolved()).hasSize(1);
        assertThat(ops.sent.get(1).status()).isEqualTo("resolved");
    }

    @Test
    void anAlertNotifiedBeforeTheShardLabelExistedIsNotSentAgainWhenItComesBackWithItsShard() {
        Alert before = firing("cpu", "jvb-1", AlertSeverity.WARNING);
        dispatcher.put(before);
        tick(Duration.ofSeconds(30));
        await().until(() -> ops.sent.size() == 1);
        // after the upgrade the row is loaded with the derived shard added, under the same fingerprint
        Map<String, String> labels = new HashMap<>(before.labels());
        labels.put("shard", "shard-1");
        Alert withShard = new Alert(before.fingerprint(), before.rule(), Map.copyOf(labels), before.severity(), false,
                AlertState.FIRING, 1.0, 0.5, "s", "d", null, null, before.startsAt(), null, null, "rule");
        Dispatcher restarted = dispatcher(); // same notification log, as loaded from PostgreSQL
        restarted.put(withShard);
        clock.advance(Duration.ofMinutes(6));
        restarted.tick();
        clock.advance(Duration.ofMinutes(6));
        restarted.tick();
        assertThat(ops.sent).hasSize(1);
    }

    @Test
    void aSilenceOnAShardMutesTheAlertsOfThatShardOnly() {
        silences.add(new Silence(UUID.randomUUID(), List.of(Matcher.parse("shard=shard-2")), clock.now,
                clock.now.plus(Duration.ofMinutes(10)), "ops", "shard-2 maintenance", clock.now));
        Alert inShard2 = alert("cpu", "jvb-3", AlertSeverity.WARNING, AlertState.FIRING, Map.of("shard", "shard-2"));
        Alert inShard1 = alert("cpu", "jvb-1", AlertSeverity.WARNING, AlertState.FIRING, Map.of("shard", "shard-1"));
        Alert noShard = firing("cpu", "jvb-9", AlertSeverity.WARNING);
        assertThat(dispatcher.mutedAmong(List.of(inShard2, inShard1, noShard))).containsExactly(inShard2.fingerprint());
    }

    @Test
    void theGroupKeyIsTheTextTheNotificationLogWasKeyedByBefore() {
        Map<String, String> labels = Map.of("alertname", "cpu", "target", "jvb-1", "component", "jvb", "shard", "s-1");
        for (List<String> groupBy : List.<List<String>>of(List.of(), List.of("alertname"), List.of("alertname", "component", "target"),
                List.of("target", "alertname"), List.of("shard", "alertname", "shard"), List.of("absent", "target"),
                List.of("absent"))) {
            io.jitsiops.alert.rule.Route route = new io.jitsiops.alert.rule.Route("0.2", "ops", groupBy, Duration.ZERO,
                    Duration.ZERO, Duration.ZERO, List.of(), false, List.of(), List.of(), List.of());
            Map<String, String> groupLabels = new java.util.TreeMap<>();
            groupBy.forEach(l -> {
                if (labels.containsKey(l)) {
                    groupLabels.put(l, labels.get(l));
                }
            });
            assertThat(Dispatcher.groupKey(route, labels)).as("group_by %s", groupBy).isEqualTo("0.2:" + groupLabels);
        }
    }

    @Test
    void criticalInhibitsTheMatchingWarningEvenRightAfterARestart() {
        dispatcher.put(firing("cpu-critical", "jvb-1", AlertSeverity.CRITICAL));
        dispatcher.put(firing("cpu-warning", "jvb-1", AlertSeverity.WARNING));
        dispatcher.put(firing("cpu-warning", "jvb-2", AlertSeverity.WARNING));
        tick(Duration.ofSeconds(30));
        await().until(() -> ops.sent.size() == 2);
        assertThat(ops.sent).flatExtracting(Notification::firing).extracting(Alert::fingerprint)
                .containsExactlyInAnyOrder("cpu-critical/jvb-1", "cpu-warning/jvb-2");
    }

    @Test
    void theStatusOfAFiringAlertNamesEverySilenceThatMatchesItAndTheAlertThatInhibitsIt() {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        silences.add(new Silence(first, List.of(Matcher.parse("target=jvb-1")), clock.now,
                clock.now.plus(Duration.ofMinutes(10)), "ops", "maintenance", clock.now));
        silences.add(new Silence(second, List.of(Matcher.parse("alertname=cpu-warning")), clock.now,
                clock.now.plus(Duration.ofMinutes(10)), "ops", "noisy", clock.now));
        silences.add(new Silence(UUID.randomUUID(), List.of(Matcher.parse("target=jvb-1")), clock.now.plus(Duration.ofHours(1)),
                clock.now.plus(Duration.ofHours(2)), "ops", "later: pending, not counted", clock.now));
        Alert critical = firing("cpu-critical", "jvb-1", AlertSeverity.CRITICAL);
        Alert both = firing("cpu-warning", "jvb-1", AlertSeverity.WARNING);
        Alert free = firing("disk-warning", "jvb-2", AlertSeverity.WARNING);
        Alert resolved = alert("disk", "jvb-1", AlertSeverity.WARNING, AlertState.RESOLVED, Map.of());
        List.of(critical, both, free).forEach(dispatcher::put);

        Map<String, AlertStatus> status = dispatcher.statusAmong(List.of(critical, both, free, resolved));

        assertThat(status).doesNotContainKey(resolved.fingerprint());
        assertThat(status.get(critical.fingerprint()).silencedBy()).containsExactly(first.toString());
        assertThat(status.get(critical.fingerprint()).inhibitedBy()).isEmpty();
        assertThat(status.get(critical.fingerprint()).state()).isEqualTo("suppressed");
        assertThat(status.get(both.fingerprint()).silencedBy()).containsExactlyInAnyOrder(first.toString(), second.toString());
        assertThat(status.get(both.fingerprint()).inhibitedBy()).containsExactly(critical.fingerprint());
        assertThat(status.get(free.fingerprint())).isEqualTo(AlertStatus.ACTIVE);
        assertThat(status.get(free.fingerprint()).state()).isEqualTo("active");
        // the same alerts the older muted set names
        assertThat(dispatcher.mutedAmong(List.of(critical, both, free))).containsExactlyInAnyOrder(critical.fingerprint(),
                both.fingerprint());
    }

    @Test
    void theMutedOnesOfAListAreTheSilencedAndTheInhibitedFiringAlerts() {
        silences.add(new Silence(UUID.randomUUID(), List.of(Matcher.parse("target=jvb-3")), clock.now,
                clock.now.plus(Duration.ofMinutes(10)), "ops", "maintenance", clock.now));
        Alert critical = firing("cpu-critical", "jvb-1", AlertSeverity.CRITICAL);
        Alert inhibited = firing("cpu-warning", "jvb-1", AlertSeverity.WARNING);
        Alert free = firing("cpu-warning", "jvb-2", AlertSeverity.WARNING);
        Alert silenced = firing("cpu-warning", "jvb-3", AlertSeverity.WARNING);
        Alert resolved = alert("disk", "jvb-3", AlertSeverity.WARNING, AlertState.RESOLVED, Map.of());
        List.of(critical, inhibited, free, silenced).forEach(dispatcher::put);
        assertThat(dispatcher.mutedAmong(List.of(critical, inhibited, free, silenced, resolved)))
                .containsExactlyInAnyOrder(inhibited.fingerprint(), silenced.fingerprint());
        clock.advance(Duration.ofMinutes(10)); // the silence has ended
        assertThat(dispatcher.mutedAmong(List.of(silenced))).isEmpty();
    }

    @Test
    void silencesMuteMatchingAlertsWhileActive() {
        silences.add(new Silence(UUID.randomUUID(), List.of(Matcher.parse("target=jvb-1")), clock.now,
                clock.now.plus(Duration.ofMinutes(10)), "ops", "maintenance", clock.now));
        dispatcher.put(firing("cpu", "jvb-1", AlertSeverity.WARNING));
        tick(Duration.ofSeconds(30));
        assertThat(ops.sent).isEmpty();
        tick(Duration.ofMinutes(10)); // the silence has ended
        await().until(() -> ops.sent.size() == 1);
    }

    @Test
    void aSilencedAlertThatEndsSendsNoResolvedNotice() {
        dispatcher.put(firing("cpu", "jvb-1", AlertSeverity.WARNING));
        tick(Duration.ofSeconds(30));
        await().until(() -> ops.sent.size() == 1);
        silences.add(new Silence(UUID.randomUUID(), List.of(Matcher.parse("target=jvb-1")), clock.now,
                clock.now.plus(Duration.ofHours(1)), "ops", "maintenance", clock.now));
        dispatcher.put(alert("cpu", "jvb-1", AlertSeverity.WARNING, AlertState.RESOLVED, Map.of()));
        tick(Duration.ofMinutes(5));
        tick(Duration.ofMinutes(5));
        assertThat(ops.sent).hasSize(1);
        assertThat(dispatcher.alerts()).isEmpty();
    }

    @Test
    void anAcknowledgementStopsRepeatsButNotNewAlerts() {
        dispatcher.put(firing("cpu", "jvb-1", AlertSeverity.WARNING));
        tick(Duration.ofSeconds(30));
        await().until(() -> ops.sent.size() == 1);
        dispatcher.acknowledge("cpu/jvb-1", clock.now.plus(Duration.ofDays(1)));
        tick(Duration.ofHours(5));
        assertThat(ops.sent).hasSize(1);
        dispatcher.put(alert("cpu", "jvb-1", AlertSeverity.WARNING, AlertState.FIRING, Map.of("new", "1")));
        tick(Duration.ofMinutes(5));
        await().until(() -> ops.sent.size() == 2);
    }

    @Test
    void continueSendsToEveryMatchingRouteAndAFailingReceiverDelaysNoOther() {
        pager.answer = DeliveryResult.permanent("unexpected status code 400");
        dispatcher.put(alert("down", "jvb-1", AlertSeverity.CRITICAL, AlertState.FIRING, Map.of("page", "true")));
        tick(Duration.ofSeconds(30));
        await().until(() -> ops.sent.size() == 1 && pager.sent.size() == 1 && outcomes.size() == 2);
        assertThat(outcomes).filteredOn(o -> !o.result().delivered()).singleElement()
                .satisfies(o -> assertThat(o.notification().receiver()).isEqualTo("pager"));
        assertThat(log).hasSize(1); // only the delivered one: the failed one is tried again at the next interval
        pager.answer = DeliveryResult.ok();
        tick(Duration.ofMinutes(5));
        await().until(() -> pager.sent.size() == 2 && log.size() == 2);

        // resolved: told in both groups, then forgotten (an alert in two groups leaves with the last of them)
        Alert resolved = alert("down", "jvb-1", AlertSeverity.CRITICAL, AlertState.RESOLVED, Map.of("page", "true"));
        dispatcher.put(resolved);
        assertThat(dispatcher.knows(resolved.fingerprint())).isTrue();
        tick(Duration.ofMinutes(5));
        await().until(() -> ops.sent.size() == 2 && pager.sent.size() == 3 && log.size() == 2
                && log.values().stream().allMatch(e -> e.firing().isEmpty()));
        await().until(() -> !dispatcher.knows(resolved.fingerprint()));
        assertThat(dispatcher.groupCount()).isZero();
    }

    @Test
    void aFiringAlertWhosePartitionMovedAwayIsNeverToldHereAgainButAResolvedNoticeDecidedHereStillGoesOut() {
        Alert moved = firing("cpu", "jvb-1", AlertSeverity.WARNING);
        Alert stays = firing("cpu", "jvb-2", AlertSeverity.WARNING);
        Alert ended = firing("disk", "jvb-3", AlertSeverity.WARNING);
        dispatcher.put(moved);
        dispatcher.put(stays);
        dispatcher.put(ended);
        tick(Duration.ofSeconds(30));
        await().until(() -> ops.sent.size() == 3);
        dispatcher.put(alert("disk", "jvb-3", AlertSeverity.WARNING, AlertState.RESOLVED, Map.of()));

        assertThat(dispatcher.forgetFiring(List.of(moved.fingerprint(), ended.fingerprint(), "unknown"))).isEqualTo(1);
        assertThat(dispatcher.knows(moved.fingerprint())).isFalse();
        assertThat(dispatcher.groupCount()).isEqualTo(2);
        tick(Duration.ofMinutes(5));
        await().until(() -> ops.sent.size() == 4); // the resolved notice of disk/jvb-3, decided here
        assertThat(ops.sent.get(3).resolved()).extracting(Alert::fingerprint).containsExactly(ended.fingerprint());
        tick(Duration.ofHours(4)); // the repeat: stays only, never the alert that moved away
        await().until(() -> ops.sent.size() == 5);
        tick(Duration.ofMinutes(5));
        assertThat(ops.sent.subList(3, ops.sent.size())).flatExtracting(Notification::firing)
                .extracting(Alert::fingerprint).doesNotContain(moved.fingerprint());
    }

    @Test
    void anAlertThatFiresAgainWhileItsResolvedNoticeIsOutIsToldAtTheNextFlush() {
        Alert a = firing("cpu", "jvb-1", AlertSeverity.WARNING);
        dispatcher.put(a);
        tick(Duration.ofSeconds(30));
        await().until(() -> ops.sent.size() == 1 && log.size() == 1);
        ops.held = new java.util.concurrent.CompletableFuture<>();
        dispatcher.put(alert("cpu", "jvb-1", AlertSeverity.WARNING, AlertState.RESOLVED, Map.of()));
        tick(Duration.ofMinutes(5));
        await().until(() -> ops.sent.size() == 2);
        assertThat(ops.sent.get(1).resolved()).extracting(Alert::fingerprint).containsExactly(a.fingerprint());
        dispatcher.put(a); // fires again while the resolved notice is out
        java.util.concurrent.CompletableFuture<DeliveryResult> held = ops.held;
        ops.held = null;
        held.complete(DeliveryResult.ok());
        await().until(() -> log.get("ops/" + ops.sent.get(1).groupKey()).firing().isEmpty());
        tick(Duration.ofMinutes(5));
        await().until(() -> ops.sent.size() == 3);
        assertThat(ops.sent.get(2).firing()).extracting(Alert::fingerprint).containsExactly(a.fingerprint());
        assertThat(dispatcher.knows(a.fingerprint())).isTrue();
    }

    /** The clock starts on a Sunday at 08:00 UTC: inside neither interval's weekdays, before the night ends. */
    final RuleFile timed = new RuleFileParser(Set.of("ops", "pager")).parse("""
            rules: []
            time_intervals:
              - name: maintenance-night
                time_intervals:
                  - times: [{start_time: "08:10", end_time: "09:00"}]
              - name: office-days
                time_intervals:
                  - weekdays: ['monday:friday']
                    location: Europe/Berlin
            route:
              receiver: ops
              group_by: [alertname, target]
              group_wait: 30s
              group_interval: 5m
              repeat_interval: 4h
              routes:
                - matchers: ['page=true']
                  receiver: pager
                  active_time_intervals: [office-days]
                - matchers: ['team=db']
                  receiver: ops
                  mute_time_intervals: [maintenance-night]
            """);

    private static Alert db(String disk, AlertState state) {
        return alert("cpu", "jvb-1", AlertSeverity.WARNING, state, Map.of("team", "db", "disk", disk));
    }

    private void tick(Dispatcher d, Duration by) {
        clock.advance(by);
        d.tick();
    }

    private void tickAt(Dispatcher d, String instant) {
        clock.now = Instant.parse(instant);
        d.tick();
    }

    @Test
    void aRouteInsideItsMuteTimeIntervalTellsNothingAndTellsWhatStillFiresWithinAMinuteOfItsEnd() {
        Dispatcher d = dispatcher(timed);
        clock.now = Instant.parse("2026-11-29T08:10:00Z");
        d.put(db("a", AlertState.FIRING));
        tick(d, Duration.ofSeconds(30));
        tick(d, Duration.ofMinutes(5));
        tick(d, Duration.ofMinutes(5));
        assertThat(ops.sent).isEmpty();
        assertThat(d.heldBack(TimeIntervalStage.Reason.MUTE_TIME_INTERVAL)).isEqualTo(1); // one hold, counted once
        // Alertmanager would wait for the next group_interval after the end (up to 5 minutes here); the group is
        // looked at every minute while held, and the interval ends at 09:00 sharp (its end is exclusive)
        tickAt(d, "2026-11-29T09:00:00Z");
        await().until(() -> ops.sent.size() == 1);
        assertThat(ops.sent.get(0).firing()).extracting(Alert::fingerprint).containsExactly(db("a", AlertState.FIRING).fingerprint());
        assertThat(d.heldBack(TimeIntervalStage.Reason.ACTIVE_TIME_INTERVAL)).isZero();
    }

    @Test
    void anAlertToldBeforeAMuteIntervalThatEndsInsideItIsToldResolvedAtOnceWhileNewFiringWaits() {
        Dispatcher d = dispatcher(timed);
        Alert a = db("a", AlertState.FIRING);
        Alert b = db("b", AlertState.FIRING);
        d.put(a);
        d.put(b);
        tick(d, Duration.ofSeconds(30)); // 08:00:30, before the interval
        await().until(() -> ops.sent.size() == 1 && log.size() == 1);
        String key = "ops/" + ops.sent.get(0).groupKey();
        Instant firstSent = log.get(key).sentAt();

        clock.now = Instant.parse("2026-11-29T08:15:00Z"); // inside it
        d.put(db("a", AlertState.RESOLVED));
        Alert c = db("c", AlertState.FIRING);
        d.put(c);
        d.tick();
        await().until(() -> ops.sent.size() == 2 && log.get(key).resolved().contains(a.fingerprint()));
        Notification closing = ops.sent.get(1);
        assertThat(closing.firing()).isEmpty(); // c, new, is held back
        assertThat(closing.resolved()).extracting(Alert::fingerprint).containsExactly(a.fingerprint());
        // the log still says b was told firing, since when it was: the closing notice is no repeat of b
        assertThat(log.get(key).firing()).containsExactly(b.fingerprint());
        assertThat(log.get(key).sentAt()).isEqualTo(firstSent);
        assertThat(d.heldBack(TimeIntervalStage.Reason.MUTE_TIME_INTERVAL)).isEqualTo(1);
        tick(d, Duration.ofMinutes(1));
        assertThat(ops.sent).hasSize(2); // a's end was told once

        tickAt(d, "2026-11-29T09:00:30Z");
        await().until(() -> ops.sent.size() == 3);
        assertThat(ops.sent.get(2).firing()).extracting(Alert::fingerprint).containsExactlyInAnyOrder(b.fingerprint(), c.fingerprint());
        assertThat(ops.sent.get(2).resolved()).isEmpty();
    }

    @Test
    void anAlertThatFiresAndEndsInsideAMuteIntervalIsNeverTold() {
        Dispatcher d = dispatcher(timed);
        clock.now = Instant.parse("2026-11-29T08:15:00Z");
        Alert a = db("a", AlertState.FIRING);
        d.put(a);
        tick(d, Duration.ofSeconds(30));
        d.put(db("a", AlertState.RESOLVED));
        tick(d, Duration.ofMinutes(1));
        assertThat(d.knows(a.fingerprint())).isFalse();
        tickAt(d, "2026-11-29T09:00:30Z");
        tick(d, Duration.ofMinutes(5));
        assertThat(ops.sent).isEmpty();
        assertThat(d.groupCount()).isZero();
    }

    @Test
    void aRouteOutsideEveryActiveTimeIntervalHoldsBackUntilOneBeginsInItsLocation() {
        Dispatcher d = dispatcher(timed);
        Alert page = alert("down", "jvb-1", AlertSeverity.CRITICAL, AlertState.FIRING, Map.of("page", "true"));
        d.put(page);
        tick(d, Duration.ofSeconds(30));
        tick(d, Duration.ofHours(10)); // Sunday 18:00:30 UTC
        assertThat(pager.sent).isEmpty();
        assertThat(d.heldBack(TimeIntervalStage.Reason.ACTIVE_TIME_INTERVAL)).isEqualTo(1);
        tickAt(d, "2026-11-29T22:59:30Z"); // Sunday 23:59:30 in Berlin
        assertThat(pager.sent).isEmpty();
        tickAt(d, "2026-11-29T23:00:00Z"); // Monday 00:00 in Berlin, still Sunday in UTC
        await().until(() -> pager.sent.size() == 1);
        assertThat(ops.sent).isEmpty(); // the route without continue took it: held back, never handed to another
    }
}
