package io.jitsiops.alert.notify;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

import io.jitsiops.alert.rule.Route;
import io.jitsiops.alert.rule.RuleFile;
import io.jitsiops.events.payload.AlertState;
import io.smallrye.mutiny.Uni;

/**
 * Alertmanager's dispatcher and notification pipeline in one place: each alert goes down the routing tree to the
 * aggregation groups of its routes ({@code group_by}); a group is flushed {@code group_wait} after it appeared and
 * then every {@code group_interval}. A flush runs the stages in Alertmanager's order: time intervals ({@link
 * TimeIntervalStage}) → inhibit → silence → dedup
 * against the notification log (new firing, newly resolved, or {@code repeat_interval} elapsed, repeats stopped by
 * an acknowledgement) → the receiver's queue (rate limit, digest, retry). A successful notification is written to
 * the notification log; one that failed is recorded and tried again at the next group interval, so it is not lost.
 */
public final class Dispatcher {

    /** The persistent notification log (Alertmanager's nflog). */
    public interface NotificationLog {
        NotificationLogEntry get(String receiver, String groupKey);

        /** Records what was sent; completes when the entry is durable. */
        Uni<Void> record(NotificationLogEntry entry);
    }

    /** Where the outcome of every notification is recorded (API + metrics). */
    public interface DeliveryRecorder {
        void record(String receiver, String groupKey, ReceiverQueue.Outcome outcome);
    }

    private static final class Group {
        final String key;
        final Route route;
        final Map<String, String> labels;
        final Set<String> fingerprints = new LinkedHashSet<>();
        /** Creation order: groups due at the same instant flush in the order they appeared. */
        final long sequence;
        /** Changed only while the group is out of {@link #due} (its ordering key). */
        Instant nextFlush;
        boolean inFlight;
        /** A notification is held back by a time interval (counted once per hold, not at every look). */
        boolean heldBack;

        Group(String key, Route route, Map<String, String> labels, Instant nextFlush, long sequence) {
            this.key = key;
            this.route = route;
            this.labels = labels;
            this.nextFlush = nextFlush;
            this.sequence = sequence;
        }
    }

    private final Supplier<RuleFile> rules;
    private final Supplier<Collection<Silence>> silences;
    private final NotificationLog log;
    private final DeliveryRecorder recorder;
    private final Map<String, ReceiverQueue> queues;
    private final Map<String, Boolean> sendResolved;
    private final Function<Alert, String> ackLink;
    private final String externalUrl;
    private final Clock clock;
    private final Map<String, Alert> alerts = new HashMap<>();
    private final Map<String, Group> groups = new LinkedHashMap<>();
    /**
     * Every group by its next flush, so that a tick (every flush-interval, 100 ms) looks only at the groups that are
     * due instead of copying and scanning all of them under the lock (Alertmanager gives each aggregation group its
     * own timer). With 5,000 firing groups and more the scan was the largest CPU share of a fan-out (JFR, session 20)
     * and held the lock that every notification's completion needs.
     */
    private final java.util.TreeSet<Group> due = new java.util.TreeSet<>(
            java.util.Comparator.comparing((Group g) -> g.nextFlush).thenComparingLong(g -> g.sequence));
    private long groupSequence;
    private final Map<TimeIntervalStage.Reason, java.util.concurrent.atomic.AtomicLong> heldBack = new java.util.EnumMap<>(
            Map.of(TimeIntervalStage.Reason.ACTIVE_TIME_INTERVAL, new java.util.concurrent.atomic.AtomicLong(),
                    TimeIntervalStage.Reason.MUTE_TIME_INTERVAL, new java.util.concurrent.atomic.AtomicLong()));
    /**
     * How many groups beyond the first each alert is in, for the few in more than one ({@code continue}); forgetting
     * an alert needs no scan of every group. An alert in {@link #alerts} is always in at least one group (a firing
     * one is never taken out of its groups, a resolved one leaves {@code alerts} with its last group), so the common
     * alert, in exactly one group, has no entry here: one hash-table entry per alert fewer than a count for every
     * alert (the intake keeps hundreds of thousands live; bench/alerts was GC-bound on that live set).
     */
    private final Map<String, Integer> extraGroups = new HashMap<>();

    public Dispatcher(Supplier<RuleFile> rules, Supplier<Collection<Silence>> silences, NotificationLog log,
                      DeliveryRecorder recorder, Map<String, ReceiverQueue> queues, Map<String, Boolean> sendResolved,
                      Function<Alert, String> ackLink, String externalUrl, Clock clock) {
        this.rules = rules;
        this.silences = silences;
        this.log = log;
        this.recorder = recorder;
        this.queues = queues;
        this.sendResolved = sendResolved;
        this.ackLink = ackLink;
        this.externalUrl = externalUrl;
        this.clock = clock;
    }

    /** A new or changed alert (firing, or resolved after firing). Pending alerts are not for people yet. */
    public synchronized void put(Alert alert) {
        if (alert.state() == AlertState.PENDING) {
            return;
        }
        Alert known = alerts.get(alert.fingerprint());
        if (alert.state() == AlertState.RESOLVED && known == null) {
            return; // never notified as firing here: nobody needs to hear it ended
        }
        alerts.put(alert.fingerprint(), alert);
        boolean inAGroup = known != null; // see extraGroups
        Instant now = clock.instant();
        for (Route route : rules.get().route().match(alert.labels())) {
            String key = groupKey(route, alert.labels());
            Group group = groups.get(key);
            if (group == null) {
                group = new Group(key, route, route.groupLabels(alert.labels()), now.plus(route.groupWait()), groupSequence++);
                groups.put(key, group);
                due.add(group);
            }
            if (group.fingerprints.add(alert.fingerprint())) {
                if (inAGroup) {
                    extraGroups.merge(alert.fingerprint(), 1, Integer::sum);
                }
                inAGroup = true;
            }
        }
    }

    /**
     * The key of the group an alert joins on a route: the route's path and the alert's {@code group_by} labels in
     * name order, exactly the text of {@code route.id() + ":" + new java.util.TreeMap<>(groupLabels)} — the notification log
     * is keyed by it, so another text would re-key every logged group (a resend after an upgrade). Built without the
     * TreeMap, its entries and iterator for every posted alert: {@code put} was the largest allocation site of ours
     * in the intake (JFR, session 21: 14.8% of the bytes with batches of 1000); the map is made only for a new group.
     */
    static String groupKey(Route route, Map<String, String> labels) {
        List<String> names = route.groupBy();
        boolean sorted = true;
        for (int i = 1; i < names.size() && sorted; i++) {
            sorted = names.get(i - 1).compareTo(names.get(i)) < 0; // strictly: no duplicate either
        }
        List<String> inOrder = sorted ? names : new ArrayList<>(new java.util.TreeSet<>(names));
        StringBuilder b = new StringBuilder(64).append(route.id()).append(":{");
        boolean first = true;
        for (int i = 0; i < inOrder.size(); i++) {
            String name = inOrder.get(i);
            String value = labels.get(name);
            if (value == null) {
                continue; // label values are never null: absent
            }
            if (!first) {
                b.append(", ");
            }
            b.append(name).append('=').append(value);
            first = false;
        }
        return b.append('}').toString();
    }

    /** Whether the pipeline already knows this alert (a rebalance adds only the ones it does not). */
    public synchronized boolean knows(String fingerprint) {
        return alerts.containsKey(fingerprint);
    }

    /**
     * Firing alerts this replica no longer owns (their Kafka partition moved to another replica) leave every group
     * without a notice: their new owner holds them, and a copy here would never see their later changes. A resolved
     * alert whose notice is still to go out stays (that notice was decided here). Every group is visited rather than
     * the alert's routes, which may have changed since it joined. Returns how many left.
     */
    public synchronized int forgetFiring(Collection<String> fingerprints) {
        Set<String> leaving = new java.util.HashSet<>();
        for (String fp : fingerprints) {
            Alert a = alerts.get(fp);
            if (a != null && a.firing()) {
                leaving.add(fp);
            }
        }
        if (leaving.isEmpty()) {
            return 0;
        }
        for (java.util.Iterator<Group> it = groups.values().iterator(); it.hasNext(); ) {
            Group g = it.next();
            if (g.fingerprints.removeAll(leaving) && g.fingerprints.isEmpty() && !g.inFlight) {
                it.remove();
                due.remove(g);
            }
        }
        leaving.forEach(fp -> {
            alerts.remove(fp);
            extraGroups.remove(fp);
        });
        return leaving.size();
    }

    /** An acknowledgement (or its removal) changes what repeats. */
    public synchronized void acknowledge(String fingerprint, Instant until) {
        Alert a = alerts.get(fingerprint);
        if (a != null) {
            alerts.put(fingerprint, a.withAck(until));
        }
    }

    /**
     * An acknowledgement read from PostgreSQL (recorded through any replica): taken when the alert is held here and
     * the acknowledgement is not the one it already has.
     */
    public synchronized void acknowledgeUntil(String fingerprint, Instant until) {
        Alert a = alerts.get(fingerprint);
        if (a != null && a.firing() && !until.equals(a.ackedUntil())) {
            alerts.put(fingerprint, a.withAck(until));
        }
    }

    /** The alerts the pipeline knows: firing ones and resolved ones whose notice is not out yet. */
    public synchronized List<Alert> alerts() {
        return List.copyOf(alerts.values());
    }

    /**
     * The fingerprints of those firing alerts of a list that a silence or an inhibition mutes now: those whose
     * {@link #statusAmong status} is suppressed.
     */
    public synchronized Set<String> mutedAmong(Collection<Alert> list) {
        Set<String> muted = new java.util.HashSet<>();
        statusAmong(list).forEach((fingerprint, status) -> {
            if (status.suppressed()) {
                muted.add(fingerprint);
            }
        });
        return muted;
    }

    /**
     * The status of each firing alert of a list (Alertmanager's {@code setAlertStatus}, which asks both the silencer
     * and the inhibitor, so an alert can be silenced and inhibited at once): every active silence that matches it
     * and the firing alert that inhibits it. The set of firing alerts is taken once for the whole list. Alerts that
     * are not firing are left out.
     */
    public synchronized Map<String, AlertStatus> statusAmong(Collection<Alert> list) {
        Instant now = clock.instant();
        List<Alert> firing = null;
        Collection<Silence> active = silences.get();
        Map<String, AlertStatus> status = new HashMap<>();
        for (Alert a : list) {
            if (!a.firing()) {
                continue;
            }
            if (firing == null) {
                firing = firingAlerts();
            }
            List<String> silencedBy = List.of();
            for (Silence s : active) {
                if (s.mutes(a.labels(), now)) {
                    if (silencedBy.isEmpty()) {
                        silencedBy = new ArrayList<>(2);
                    }
                    silencedBy.add(s.id().toString());
                }
            }
            String inhibitor = Inhibitor.inhibitedBy(rules.get().inhibitRules(), a, firing);
            status.put(a.fingerprint(), silencedBy.isEmpty() && inhibitor == null ? AlertStatus.ACTIVE
                    : new AlertStatus(List.copyOf(silencedBy), inhibitor == null ? List.of() : List.of(inhibitor)));
        }
        return status;
    }

    /** Group notifications a time interval held back (each hold once, however long it lasts). */
    public long heldBack(TimeIntervalStage.Reason reason) {
        return heldBack.get(reason).get();
    }

    /** The keys of the groups held now (a copy). */
    public synchronized Set<String> groupKeys() {
        return new HashSet<>(groups.keySet());
    }

    public synchronized int groupCount() {
        return groups.size();
    }

    /** Flushes every group that is due. */
    public void tick() {
        List<Runnable> flushes = new ArrayList<>();
        synchronized (this) {
            Instant now = clock.instant();
            List<Group> ready = new ArrayList<>();
            for (Group g : due) {
                if (g.nextFlush.isAfter(now)) {
                    break; // the rest are later
                }
                if (!g.inFlight) {
                    ready.add(g);
                }
            }
            List<Alert> firing = ready.isEmpty() ? null : firingAlerts();
            for (Group g : ready) {
                Runnable r = flush(g, now, firing);
                if (r != null) {
                    flushes.add(r);
                }
            }
        }
        flushes.forEach(Runnable::run);
    }

    private Runnable flush(Group g, Instant now, List<Alert> allFiring) {
        due.remove(g);
        g.nextFlush = now.plus(g.route.groupInterval());
        TimeIntervalStage.Reason held = TimeIntervalStage.holdsBack(g.route, rules.get().timeIntervals(), now);
        if (held != null) {
            // time intervals change only at a minute: looked at again then, so what was held back goes out within a
            // tick of the interval's end, not up to a group_interval later (Alertmanager's issue #2496: a muted flush
            // counts as one, and with a long group_interval the group may never notify)
            Instant nextMinute = now.truncatedTo(java.time.temporal.ChronoUnit.MINUTES).plusSeconds(60);
            if (nextMinute.isBefore(g.nextFlush)) {
                g.nextFlush = nextMinute;
            }
        } else {
            g.heldBack = false;
        }
        due.add(g);
        String receiver = g.route.receiver();
        boolean resolvedWanted = sendResolved.getOrDefault(receiver, true);
        List<Alert> firing = new ArrayList<>();
        List<Alert> resolved = new ArrayList<>();
        List<Alert> mutedResolved = new ArrayList<>();
        for (String fp : g.fingerprints) {
            Alert a = alerts.get(fp);
            if (a == null) {
                continue;
            }
            // Muting applies to resolved alerts too, as in Alertmanager's MuteStage: a silenced alert that ends
            // tells nobody (the stack test saw a silenced alert's resolved notice go out)
            boolean muted = muted(a, now, allFiring);
            if (a.firing()) {
                if (!muted) {
                    firing.add(a);
                }
            } else if (muted) {
                mutedResolved.add(a);
            } else {
                resolved.add(a);
            }
        }
        if (firing.isEmpty() && resolved.isEmpty()) {
            // nothing left after muting: Alertmanager's pipeline stops here too, so no empty notice goes out
            forgetResolved(g, fingerprints(mutedResolved));
            return null;
        }
        if (!mutedResolved.isEmpty()) {
            forgetResolved(g, fingerprints(mutedResolved));
        }
        Set<String> firingFps = fingerprints(firing);
        Set<String> resolvedFps = fingerprints(resolved);
        boolean allAcked = !firing.isEmpty() && firing.stream().allMatch(a -> a.acknowledged(now));
        NotificationLogEntry last = log.get(receiver, g.key);
        // what the log will say the receiver was told, and since when repeats count
        Set<String> loggedFiring = firingFps;
        Instant repeatFrom = null;
        if (held != null) {
            // Inside a mute interval (or outside every active one) nothing firing is told. The end of an alert this
            // receiver was told is: a pager's incident or a ticket opened by the firing notice would otherwise stay
            // open through the interval, or for good — Alertmanager drops those resolved notices, its issue #3664,
            // PR #4634. The other resolved alerts never reached this receiver: nobody waits for their end.
            List<Alert> closing = new ArrayList<>();
            if (resolvedWanted && last != null) {
                resolved.forEach(a -> {
                    if (last.firing().contains(a.fingerprint())) {
                        closing.add(a);
                    }
                });
            }
            Set<String> closingFps = fingerprints(closing);
            Set<String> untold = new LinkedHashSet<>(resolvedFps);
            untold.removeAll(closingFps);
            forgetResolved(g, untold);
            // what the firing alerts alone would have notified is held back; counted once per hold
            boolean firingHeld = !firing.isEmpty() && DedupStage.needsUpdate(last, firingFps, Set.of(), false, allAcked,
                    g.route.repeatInterval(), now);
            if (firingHeld && !g.heldBack) {
                heldBack.get(held).incrementAndGet();
            }
            g.heldBack = firingHeld;
            if (closing.isEmpty()) {
                return null;
            }
            firing = List.of();
            resolved = closing;
            resolvedFps = closingFps;
            loggedFiring = new LinkedHashSet<>(last.firing());
            loggedFiring.removeAll(closingFps);
            repeatFrom = last.sentAt(); // a closing notice is no repeat of what still fires
        } else if (!DedupStage.needsUpdate(last, firingFps, resolvedFps, resolvedWanted, allAcked, g.route.repeatInterval(), now)) {
            forgetResolved(g, resolvedFps);
            return null;
        }
        ReceiverQueue queue = queues.get(receiver);
        if (queue == null) {
            return null; // validated at start-up and reload: a route names a configured receiver
        }
        Map<String, String> links = new HashMap<>();
        firing.forEach(a -> {
            String link = ackLink.apply(a);
            if (link != null) {
                links.put(a.fingerprint(), link);
            }
        });
        Notification n = new Notification(receiver, g.key, g.labels, List.copyOf(firing),
                resolvedWanted ? List.copyOf(resolved) : List.of(), links, externalUrl, List.of());
        g.inFlight = true;
        Set<String> toldFiring = loggedFiring;
        Set<String> toldResolved = resolvedFps;
        Instant since = repeatFrom;
        return () -> queue.submitAwaiting(n, (sent, outcome) -> done(g, sent, outcome, toldFiring, toldResolved, since));
    }

    /**
     * Completes when what a delivered notification told is durable in the log (the receiver's slot waits for it).
     * {@code repeatFrom}: when the log says it was sent (null: now), which the repeat interval counts from.
     */
    private Uni<Void> done(Group g, Notification sent, ReceiverQueue.Outcome outcome, Set<String> firingFps,
                           Set<String> resolvedFps, Instant repeatFrom) {
        recorder.record(sent.receiver(), g.key, outcome);
        Uni<Void> logged = Uni.createFrom().voidItem();
        synchronized (this) {
            g.inFlight = false;
            if (outcome.result().delivered()) {
                logged = log.record(new NotificationLogEntry(sent.receiver(), g.key, firingFps, resolvedFps,
                        repeatFrom != null ? repeatFrom : clock.instant()));
                forgetResolved(g, resolvedFps);
            }
        }
        return logged;
    }

    private void forgetResolved(Group g, Set<String> resolvedFps) {
        for (String fp : resolvedFps) {
            Alert a = alerts.get(fp);
            if (a != null && a.firing()) {
                // fired again while its resolved notice was out: it stays in the group, so the next flush tells it
                // (taken out, it would wait in no group until its next change)
                continue;
            }
            if (g.fingerprints.remove(fp)) {
                Integer extra = extraGroups.get(fp);
                if (extra != null) {
                    if (extra > 1) {
                        extraGroups.put(fp, extra - 1);
                    } else {
                        extraGroups.remove(fp);
                    }
                } else {
                    alerts.remove(fp); // that was its last group
                }
            }
        }
        if (g.fingerprints.isEmpty() && !g.inFlight) {
            groups.remove(g.key);
            due.remove(g);
        }
    }

    private boolean muted(Alert a, Instant now, List<Alert> allFiring) {
        for (Silence s : silences.get()) {
            if (s.mutes(a.labels(), now)) {
                return true;
            }
        }
        return Inhibitor.mutes(rules.get().inhibitRules(), a, allFiring);
    }

    /** The firing alerts inhibition looks at: none to collect when there are no inhibit rules (a pass over every alert). */
    private List<Alert> firingAlerts() {
        if (rules.get().inhibitRules().isEmpty()) {
            return List.of();
        }
        return alerts.values().stream().filter(Alert::firing).toList();
    }

    private static Set<String> fingerprints(List<Alert> list) {
        Set<String> s = new LinkedHashSet<>();
        list.forEach(a -> s.add(a.fingerprint()));
        return s;
    }
}
