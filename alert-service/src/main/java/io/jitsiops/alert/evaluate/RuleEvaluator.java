package io.jitsiops.alert.evaluate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.jitsiops.alert.rule.Matcher;
import io.jitsiops.alert.rule.Rule;
import io.jitsiops.alert.rule.RuleFile;
import io.jitsiops.alert.rule.RuleInput;
import io.jitsiops.events.payload.AlertState;

/**
 * The alert state machine of every rule, in memory: inactive → pending → firing → resolved. Thresholds use the
 * rule's direction, {@code for} and clear level (hysteresis); absence rules fire when a series stops reporting
 * for {@code missed × expected_interval}, or when nothing matching was seen at all for that long since start.
 * Pure logic: the caller passes the clock, persists the transitions and restores active alerts after a restart.
 * Not thread-safe by itself; {@code AlertEngine} serialises calls.
 */
public final class RuleEvaluator {

    /**
     * An active (pending or firing) alert as the evaluator tracks it, with the partition ({@code topic-partition})
     * whose records it is about (null: none known, e.g. persisted before partitions were recorded).
     */
    public record Active(String fingerprint, String rule, Map<String, String> labels, AlertState state,
                         Instant activeSince, Double value, Instant lastBreach, String partition) {
    }

    /**
     * When a series of an absence rule last reported, and the partition its records arrive on (null: not from
     * Kafka), so that with replicas only the partition's owner decides that it went silent.
     */
    public record Seen(Instant at, String partition) {
    }

    /** One absence window as persisted: the rule, the series (its {@code by} labels) and when it last reported. */
    public record SeenEntry(String rule, Map<String, String> series, Instant at, String partition) {
    }

    private RuleFile rules;
    /** Derived from {@code rules}: both are set by {@link #use}. */
    private Candidates candidates;
    private final Map<String, Active> active = new LinkedHashMap<>();
    /** Absence rules: the last time each series (by the rule's {@code by} labels) reported. */
    private final Map<String, Map<Map<String, String>, Seen>> lastSeen = new HashMap<>();
    /** Absence rules: since when each rule has been watched (its "nothing ever seen" window starts there). */
    private final Map<String, Instant> watchedSince = new HashMap<>();
    /** Absence rules: the event each last marked seen, and when (see {@link #seen}). */
    private final Map<String, SeenEvent> lastSeenEvent = new HashMap<>();
    /** The labels map whose shard was derived last, and the result (see {@link #observe}). */
    private Map<String, String> shardDerivedFrom;
    private Map<String, String> shardDerived;
    /** Absence state changed since the last {@link #drainAbsenceChanges()}: written behind to PostgreSQL. */
    private final Map<String, SeenEntry> changedSeen = new LinkedHashMap<>();
    private final Map<String, Instant> changedWatch = new LinkedHashMap<>();
    /** Rules with {@code avg_over}: each series' recent values (by alert fingerprint), oldest first. */
    private final Map<String, java.util.ArrayDeque<Sample>> windows = new HashMap<>();
    /** Values every template may use besides the alert's own, e.g. {@code grafana} (the dashboards' base URL). */
    private final Map<String, Object> templateVars;
    /** Adds the derived {@code shard} label (from the deployment description) to what alerts are about. */
    private final ShardLabels shards;
    /**
     * The Jitsi targets the description names: the absence of one it no longer names does not fire, and its alerts
     * from before this replica started resolve.
     */
    private final DeploymentTargets targets;
    private Instant startedAt;
    private long unmatched;
    /**
     * Rules with {@code stale_after}: when each active alert's series last sent a value (by fingerprint). An alert
     * restored or adopted from PostgreSQL has no entry until the first tick after it, which starts its clock.
     */
    private final Map<String, Instant> lastObserved = new HashMap<>();

    private record Sample(Instant at, double value) {
    }

    /** An event's series as an absence rule last marked it: the labels are the event's one shared map. */
    private record SeenEvent(String eventId, Map<String, String> labels, Seen seen) {
    }

    /**
     * The rules an observation can concern, by its input and metric name, each list in the rules file's order: the
     * rules naming that metric and the absence rules naming none. A bridge sample has ~70 values and the shipped file
     * 67 rules; comparing every value with every rule was a quarter of the evaluation's CPU (bench/alerts/events.sh).
     */
    private record Candidates(Map<RuleInput, Map<String, List<Rule>>> byMetric, Map<RuleInput, List<Rule>> anyMetric) {
        static Candidates of(RuleFile rules) {
            Map<RuleInput, Map<String, List<Rule>>> byMetric = new java.util.EnumMap<>(RuleInput.class);
            Map<RuleInput, List<Rule>> anyMetric = new java.util.EnumMap<>(RuleInput.class);
            for (Rule rule : rules.rules()) {
                if (rule.metric() != null) {
                    byMetric.computeIfAbsent(rule.input(), k -> new HashMap<>()).putIfAbsent(rule.metric(), new ArrayList<>());
                } else if (rule.isAbsence()) {
                    anyMetric.computeIfAbsent(rule.input(), k -> new ArrayList<>()).add(rule);
                }
            }
            byMetric.forEach((input, lists) -> lists.forEach((metric, list) -> {
                for (Rule rule : rules.rules()) {
                    if (rule.input() == input && (metric.equals(rule.metric()) || rule.metric() == null && rule.isAbsence())) {
                        list.add(rule);
                    }
                }
            }));
            return new Candidates(byMetric, anyMetric);
        }

        List<Rule> of(RuleInput input, String metric) {
            Map<String, List<Rule>> named = byMetric.get(input);
            List<Rule> rules = named == null ? null : named.get(metric);
            return rules != null ? rules : anyMetric.getOrDefault(input, List.of());
        }
    }

    private void use(RuleFile rules) {
        this.rules = rules;
        this.candidates = Candidates.of(rules);
    }

    public RuleEvaluator(RuleFile rules, Instant startedAt) {
        this(rules, startedAt, Map.of());
    }

    /** @param templateVars values every summary, description and dashboard template may name (e.g. {@code {grafana}}) */
    public RuleEvaluator(RuleFile rules, Instant startedAt, Map<String, ?> templateVars) {
        this(rules, startedAt, templateVars, ShardLabels.NONE);
    }

    /**
     * @param shards the shard of each target (deployment description): observations, restored alerts and absence
     *               alerts about a target get its {@code shard} label, which rule matchers can then select
     */
    public RuleEvaluator(RuleFile rules, Instant startedAt, Map<String, ?> templateVars, ShardLabels shards) {
        this(rules, startedAt, templateVars, shards, DeploymentTargets.NONE);
    }

    /**
     * @param targets the Jitsi targets the deployment description names: a silent series of a Jitsi target it does
     *                not name (a bridge scaled down or decommissioned) fires no absence alert, and the target's alerts
     *                active before {@code startedAt} (restored or adopted) resolve
     */
    public RuleEvaluator(RuleFile rules, Instant startedAt, Map<String, ?> templateVars, ShardLabels shards,
                         DeploymentTargets targets) {
        use(rules);
        this.startedAt = startedAt;
        this.templateVars = Map.copyOf(templateVars);
        this.shards = shards;
        this.targets = targets;
        watchNewRules(startedAt);
    }

    /**
     * Absence state persisted before a restart (or by a replica whose partitions are now ours): the series each
     * rule knows with their last report, and since when each rule is watched. {@code downtime} is how long no
     * replica was evaluating (restart time minus the last persisted heartbeat): it is added to every window, since
     * what we could not see does not count as silence, and records of that time are still waiting in Kafka. A
     * window is not reset: a series silent for most of its window before a restart fires after the rest of it.
     * What is tracked here already and is newer wins.
     */
    public void restoreAbsence(List<SeenEntry> seen, Map<String, Instant> watched, Duration downtime) {
        for (SeenEntry e : seen) {
            if (rules.rule(e.rule()).filter(Rule::isAbsence).isEmpty()) {
                continue;
            }
            Seen restored = new Seen(e.at().plus(downtime), e.partition());
            Map<Map<String, String>, Seen> series = lastSeen.computeIfAbsent(e.rule(), k -> new HashMap<>());
            Seen mine = series.get(e.series());
            if (mine == null || mine.at().isBefore(restored.at())) {
                series.put(Map.copyOf(e.series()), restored);
                if (!downtime.isZero()) {
                    changed(e.rule(), e.series(), restored);
                }
            }
        }
        watched.forEach((rule, since) -> {
            if (rules.rule(rule).filter(Rule::isAbsence).isPresent()) {
                Instant shifted = since.plus(downtime);
                Instant mine = watchedSince.get(rule);
                if (mine == null || shifted.isBefore(mine)) {
                    watchedSince.put(rule, shifted);
                    changedWatch.put(rule, shifted);
                }
            }
        });
    }

    /** The absence state that changed since the last call, for the caller to persist. */
    public AbsenceChanges drainAbsenceChanges() {
        AbsenceChanges c = new AbsenceChanges(List.copyOf(changedSeen.values()), Map.copyOf(changedWatch));
        changedSeen.clear();
        changedWatch.clear();
        return c;
    }

    /** Changes that could not be written go back, unless something newer arrived meanwhile. */
    public void requeueAbsenceChanges(AbsenceChanges c) {
        c.seen().forEach(e -> changedSeen.putIfAbsent(e.rule() + '\u0000' + e.series(), e));
        c.watched().forEach(changedWatch::putIfAbsent);
    }

    /** A batch of absence-state changes to persist. */
    public record AbsenceChanges(List<SeenEntry> seen, Map<String, Instant> watched) {
        public boolean isEmpty() {
            return seen.isEmpty() && watched.isEmpty();
        }
    }

    private void changed(String rule, Map<String, String> series, Seen seen) {
        changedSeen.put(rule + '\u0000' + series, new SeenEntry(rule, series, seen.at(), seen.partition()));
    }

    private void watchNewRules(Instant now) {
        for (Rule rule : rules.rules()) {
            if (rule.isAbsence() && !watchedSince.containsKey(rule.name())) {
                watchedSince.put(rule.name(), now);
                changedWatch.put(rule.name(), now);
            }
        }
    }

    /** Active alerts persisted before a restart: they continue instead of starting over (and are not re-notified). */
    public void restore(List<Active> alerts) {
        alerts.forEach(a -> active.put(a.fingerprint(), withShard(a)));
    }

    /**
     * A persisted alert gets the shard of its target when it is loaded: rows written before the shard label existed
     * have none. Its fingerprint does not change ({@link Fingerprints#ofRuleAlert}), so it is the same alert: nothing
     * is resent because of it.
     */
    private Active withShard(Active a) {
        Map<String, String> labels = shards.derive(a.labels());
        return labels == a.labels() ? a : new Active(a.fingerprint(), a.rule(), labels, a.state(), a.activeSince(), a.value(),
                a.lastBreach(), a.partition());
    }

    /**
     * After a rebalance: the active alerts persisted for the partitions now ours. They replace what this replica may
     * still hold of them: the persisted state is the owner's, and whatever was held here from an earlier ownership
     * saw none of the changes since ({@link #forget} drops it at revocation; this makes sure). Returns how many.
     */
    public int adopt(List<Active> alerts) {
        alerts.forEach(a -> active.put(a.fingerprint(), withShard(a)));
        return alerts.size();
    }

    /**
     * After a revocation: the active alerts about the partitions this replica no longer consumes are dropped, without
     * any change of state (their new owner adopts them from PostgreSQL and goes on). Alerts with no partition stay.
     * Returns the fingerprints dropped, for the notification pipeline to drop as well.
     */
    public List<String> forget(java.util.function.Predicate<String> revoked) {
        List<String> dropped = new ArrayList<>();
        active.values().removeIf(a -> {
            if (a.partition() != null && revoked.test(a.partition())) {
                dropped.add(a.fingerprint());
                return true;
            }
            return false;
        });
        dropped.forEach(windows::remove);
        return dropped;
    }

    /**
     * New rules (hot reload). Alerts whose rule is gone, or which their rule would no longer produce (see
     * {@link #resolveChanged}), resolve; the others continue; absence windows of new rules start now.
     */
    public List<Transition> replaceRules(RuleFile newRules, Instant now) {
        use(newRules);
        List<Transition> out = resolveChanged(now);
        lastSeen.keySet().removeIf(name -> newRules.rule(name).isEmpty());
        lastSeenEvent.clear();
        windows.clear(); // windows are keyed by fingerprint; averages start over with the new rules
        watchedSince.keySet().removeIf(name -> newRules.rule(name).isEmpty());
        // absence rules that remain keep their windows; new ones start now
        watchNewRules(now);
        return out;
    }

    /**
     * Resolves (reason "rule changed") every active alert that the current rules would not produce: its rule is
     * gone, or its labels are not what the rule now gives (an upgrade whose pack rules gained labels, a changed
     * severity or label), or the rule's matchers no longer take its series. Such an alert keeps a fingerprint that
     * no observation reaches any more, so nothing would ever clear it. Called at start-up (after the persisted
     * alerts are restored) and on every rules reload.
     */
    public List<Transition> resolveChanged(Instant now) {
        List<Transition> out = new ArrayList<>();
        for (Active a : List.copyOf(active.values())) {
            String why = changedReason(rules, a);
            if (why == null) {
                continue;
            }
            active.remove(a.fingerprint());
            io.jitsiops.events.payload.AlertSeverity severity = severityOf(a.labels());
            out.add(new Transition(a.fingerprint(), a.rule(), a.labels(), a.state(), AlertState.RESOLVED, severity, false,
                    a.value(), null, a.activeSince(), now, "rule changed: " + why, "", null, null, a.partition()));
        }
        return out;
    }

    /** Why the rules would no longer produce this alert; null when they still do. */
    static String changedReason(RuleFile rules, Active a) {
        java.util.Optional<Rule> found = rules.rule(a.rule());
        if (found.isEmpty()) {
            return "rule " + a.rule() + " was removed";
        }
        Rule rule = found.get();
        java.util.Set<String> observedNames = ObservationExtractor.labelNames(rule.input());
        if (observedNames == null) {
            return null; // labels not ours to judge
        }
        Map<String, String> observed = new LinkedHashMap<>();
        a.labels().forEach((k, v) -> {
            // the derived shard (restore adds it) is part of what the alert is about, as in observe
            if (observedNames.contains(k) || k.equals(ShardLabels.SHARD)) {
                observed.put(k, v);
            }
        });
        Map<String, String> now = alertLabels(rule, observed);
        if (!now.equals(a.labels())) {
            return "rule " + rule.name() + " now gives the labels " + new java.util.TreeMap<>(now) + " instead of "
                    + new java.util.TreeMap<>(a.labels());
        }
        // an absence alert about nothing ever seen has no series labels for the matchers to take
        if (!rule.isAbsence() && !Matcher.all(rule.matchers(), observed)) {
            return "rule " + rule.name() + " no longer matches " + new java.util.TreeMap<>(observed);
        }
        return null;
    }

    private static io.jitsiops.events.payload.AlertSeverity severityOf(Map<String, String> labels) {
        try {
            return io.jitsiops.events.payload.AlertSeverity.valueOf(labels.getOrDefault("severity", "").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    public List<Transition> observe(Observation o, Instant now) {
        return observe(o, now, null);
    }

    /** @param partition the Kafka partition the observation's record came from (null: not from Kafka) */
    public List<Transition> observe(Observation o, Instant now, String partition) {
        List<Transition> out = new ArrayList<>();
        // the observations of one event share one labels map (a bridge's sample holds ~70 values): its shard is
        // derived once for all of them
        if (o.labels() != shardDerivedFrom) {
            shardDerivedFrom = o.labels();
            shardDerived = shards.derive(o.labels());
        }
        if (shardDerived != o.labels()) {
            o = new Observation(o.input(), o.metric(), o.value(), shardDerived, o.eventId());
        }
        boolean used = false;
        for (Rule rule : candidates.of(o.input(), o.metric())) {
            if (!Matcher.all(rule.matchers(), o.labels())) {
                continue;
            }
            used = true;
            if (rule.isAbsence()) {
                seen(rule, o, now, partition, out);
            } else {
                threshold(rule, o, now, partition, out);
            }
        }
        if (!used) {
            unmatched++;
        }
        return out;
    }

    /** Time-driven changes, as the only replica (single instance). */
    public List<Transition> tick(Instant now) {
        return tick(now, input -> true);
    }

    /**
     * Time-driven changes: {@code for} elapsed, {@code resolve_after} elapsed, series gone silent; "nothing of an
     * input ever seen" only where {@code speaksFor} the input (with replicas: the owner of its topic's partition 0).
     */
    public List<Transition> tick(Instant now, java.util.function.Predicate<io.jitsiops.alert.rule.RuleInput> speaksFor) {
        return tick(now, speaksFor, partition -> true);
    }

    /**
     * Time-driven changes, with replicas: a series goes silent only where this replica {@code owns} the partition
     * its records arrive on; "nothing ever seen" only where it {@code speaksFor} the input.
     */
    public List<Transition> tick(Instant now, java.util.function.Predicate<io.jitsiops.alert.rule.RuleInput> speaksFor,
                                 java.util.function.Predicate<String> owns) {
        List<Transition> out = new ArrayList<>();
        lastObserved.keySet().retainAll(active.keySet());
        for (Active a : List.copyOf(active.values())) {
            Rule rule = rules.rule(a.rule()).orElse(null);
            if (rule != null && retired(rule, a.labels()) && (rule.isAbsence() || a.activeSince().isBefore(startedAt))) {
                // about a target taken out of the deployment description: an absence alert whenever (its silence is its
                // retirement, not blindness); any other alert if it was active before this replica read the description
                // (restored or adopted: the target was taken out while it fired, and nothing about it will come to end
                // it). One active since then is left: its target may be one added to the description after this
                // replica read it, and it ends as any other does.
                active.remove(a.fingerprint());
                lastObserved.remove(a.fingerprint());
                windows.remove(a.fingerprint());
                out.add(transition(rule, a, AlertState.RESOLVED, null, now, null));
                continue;
            }
            if (rule == null || rule.isAbsence()) {
                continue;
            }
            if (rule.staleAfter().isPresent() && (a.partition() == null || owns.test(a.partition()))
                    && !lastObserved.computeIfAbsent(a.fingerprint(), fp -> now).plus(rule.staleAfter().get()).isAfter(now)) {
                // its series sent nothing for stale_after (a conference that ended): nothing is wrong with it any more
                active.remove(a.fingerprint());
                lastObserved.remove(a.fingerprint());
                windows.remove(a.fingerprint());
                out.add(transition(rule, a, AlertState.RESOLVED, null, now, null));
            } else if (rule.resolveAfter().isPresent() && a.lastBreach() != null
                    && !a.lastBreach().plus(rule.resolveAfter().get()).isAfter(now)) {
                active.remove(a.fingerprint());
                out.add(transition(rule, a, AlertState.RESOLVED, a.value(), now, null));
            } else if (a.state() == AlertState.PENDING && !a.activeSince().plus(rule.forDuration()).isAfter(now)) {
                Active firing = new Active(a.fingerprint(), a.rule(), a.labels(), AlertState.FIRING, a.activeSince(),
                        a.value(), a.lastBreach(), a.partition());
                active.put(a.fingerprint(), firing);
                out.add(transition(rule, a, AlertState.FIRING, a.value(), now, null));
            }
        }
        for (Rule rule : rules.rules()) {
            rule.absence().ifPresent(absence -> silent(rule, absence, now, speaksFor.test(rule.input()), owns, out));
        }
        // a series that stopped reporting leaves no window behind once all its samples aged out of the longest window
        if (!windows.isEmpty()) {
            Duration longest = rules.rules().stream().flatMap(r -> r.avgOver().stream()).max(Duration::compareTo)
                    .orElse(Duration.ZERO);
            windows.values().removeIf(w -> w.isEmpty() || w.peekLast().at().isBefore(now.minus(longest)));
        }
        return out;
    }

    /**
     * Whether the labels are about a target taken out of the deployment description, for a rule of an input whose
     * targets are the description's: health results and status, component metrics. Not conference samples, whose
     * {@code target} is the bridge or {@code client} (metrics-service's browser statistics), and whose alerts end by
     * themselves ({@code stale_after}).
     */
    private boolean retired(Rule rule, Map<String, String> labels) {
        RuleInput input = rule.input();
        return (input == RuleInput.HEALTH_RESULT || input == RuleInput.HEALTH_STATUS || input == RuleInput.COMPONENT_METRIC)
                && targets.retires(labels);
    }

    /** Observations that no rule reads (unknown metric names are counted, never errors). */
    public long unmatched() {
        return unmatched;
    }

    public List<Active> active() {
        return List.copyOf(active.values());
    }

    private void threshold(Rule rule, Observation o, Instant now, String partition, List<Transition> out) {
        Map<String, String> labels = alertLabels(rule, o.labels());
        String fp = Fingerprints.ofRuleAlert(rule.name(), labels);
        Active a = active.get(fp);
        if (Double.isNaN(o.value())) {
            // the series has no figure now (a conference in which nobody sends video has no bitrate): no alert about it
            if (a != null && (partition == null || partition.equals(a.partition()))) {
                active.remove(fp);
                lastObserved.remove(fp);
                windows.remove(fp);
                out.add(transition(rule, a, AlertState.RESOLVED, null, now, o.eventId()));
            }
            return;
        }
        if (rule.staleAfter().isPresent() && (a != null || rule.direction().breaches(o.value(), rule.threshold()))) {
            lastObserved.put(fp, now);
        }
        double value = rule.avgOver().isPresent() ? average(fp, rule.avgOver().get(), o.value(), now) : o.value();
        o = new Observation(o.input(), o.metric(), value, o.labels(), o.eventId());
        boolean breach = rule.direction().breaches(o.value(), rule.threshold());
        if (a == null) {
            if (!breach) {
                return;
            }
            boolean fireNow = rule.forDuration().isZero();
            Active created = new Active(fp, rule.name(), labels, fireNow ? AlertState.FIRING : AlertState.PENDING, now,
                    o.value(), now, partition);
            active.put(fp, created);
            out.add(transition(rule, new Active(fp, rule.name(), labels, null, now, o.value(), now, partition),
                    created.state(), o.value(), now, o.eventId()));
            return;
        }
        if (partition != null && !partition.equals(a.partition())) {
            if (a.partition() != null) {
                // subjects whose alerts share a fingerprint (a rule whose labels leave out what tells them apart) can
                // arrive on several partitions: the alert is judged by the records of the partition it started on, so
                // that one replica only ever holds it
                return;
            }
            // persisted before alerts recorded their partition (alerts.alert.source_partition): it takes the one its
            // records arrive on, and is judged by them (before, such an alert ignored every record and never resolved)
            a = new Active(fp, a.rule(), a.labels(), a.state(), a.activeSince(), a.value(), a.lastBreach(), partition);
            active.put(fp, a);
        }
        if (breach) {
            AlertState next = a.state() == AlertState.PENDING && !a.activeSince().plus(rule.forDuration()).isAfter(now)
                    ? AlertState.FIRING : a.state();
            active.put(fp, new Active(fp, a.rule(), labels, next, a.activeSince(), o.value(), now, a.partition()));
            if (next != a.state()) {
                out.add(transition(rule, a, next, o.value(), now, o.eventId()));
            }
        } else if (rule.direction().clears(o.value(), rule.clearLevel())) {
            active.remove(fp);
            out.add(transition(rule, a, AlertState.RESOLVED, o.value(), now, o.eventId()));
        } else {
            // between the clear level and the threshold: hysteresis keeps the alert as it is
            active.put(fp, new Active(fp, a.rule(), labels, a.state(), a.activeSince(), o.value(), a.lastBreach(),
                    a.partition()));
        }
    }

    /**
     * The mean of the series' values inside the last {@code window} (this one included), as Prometheus'
     * {@code avg_over_time}: one slow answer among fast ones does not cross a latency threshold, a slow period does.
     * Kept in memory only: after a restart the mean starts over from the next values (an active alert stays).
     */
    private double average(String fingerprint, Duration window, double value, Instant now) {
        java.util.ArrayDeque<Sample> w = windows.computeIfAbsent(fingerprint, k -> new java.util.ArrayDeque<>());
        w.addLast(new Sample(now, value));
        Instant from = now.minus(window);
        while (!w.isEmpty() && w.peekFirst().at().isBefore(from)) {
            w.removeFirst();
        }
        double sum = 0;
        for (Sample s : w) {
            sum += s.value();
        }
        return sum / w.size();
    }

    private void seen(Rule rule, Observation o, Instant now, String partition, List<Transition> out) {
        // an absence rule without a metric is seen by every value of an event, which all say the same: that the
        // series reported now. The first does the work (the bench's bridge samples spent ~40% of the service's CPU
        // here, bench/alerts/events.sh); a later evaluation of the same event (a replay) is done again.
        Seen seen = new Seen(now, partition);
        if (o.eventId() != null) {
            SeenEvent event = new SeenEvent(o.eventId(), o.labels(), seen);
            if (event.equals(lastSeenEvent.put(rule.name(), event))) {
                return;
            }
        }
        Rule.Absence absence = rule.absence().orElseThrow();
        Map<String, String> series = new LinkedHashMap<>();
        absence.by().forEach(l -> {
            if (o.labels().containsKey(l)) {
                series.put(l, o.labels().get(l));
            }
        });
        Map<String, String> key = Map.copyOf(series);
        lastSeen.computeIfAbsent(rule.name(), k -> new HashMap<>()).put(key, seen);
        changed(rule.name(), key, seen);
        for (Map<String, String> labels : List.of(alertLabels(rule, series), alertLabels(rule, Map.of()))) {
            Active a = active.remove(Fingerprints.ofRuleAlert(rule.name(), labels));
            if (a != null) {
                out.add(transition(rule, a, AlertState.RESOLVED, null, now, o.eventId()));
            }
        }
    }

    private void silent(Rule rule, Rule.Absence absence, Instant now, boolean speaksForInput,
                        java.util.function.Predicate<String> owns, List<Transition> out) {
        Map<Map<String, String>, Seen> series = lastSeen.getOrDefault(rule.name(), Map.of());
        Instant watched = watchedSince.getOrDefault(rule.name(), startedAt);
        Map<Map<String, String>, Instant> silentSeries = new HashMap<>();
        if (series.isEmpty() && speaksForInput) {
            if (!watched.plus(absence.window()).isAfter(now)) {
                silentSeries.put(Map.of(), watched); // nothing matching was ever seen: that is not "all is well"
            }
        } else {
            series.forEach((labels, seen) -> {
                if (!seen.at().plus(absence.window()).isAfter(now) && (seen.partition() == null || owns.test(seen.partition()))
                        && !retired(rule, labels)) {
                    silentSeries.put(labels, seen.at());
                }
            });
        }
        for (Map.Entry<Map<String, String>, Instant> s : silentSeries.entrySet()) {
            Map<String, String> labels = alertLabels(rule, shards.derive(s.getKey()));
            String fp = Fingerprints.ofRuleAlert(rule.name(), labels);
            if (!active.containsKey(fp)) {
                Instant since = s.getValue();
                // a silent series belongs to the partition its records arrived on; "nothing ever seen" to the one
                // deciding it, the owner of partition 0 of the input's topic
                Seen last = series.get(s.getKey());
                String partition = last != null ? last.partition()
                        : rule.input().topic().map(topic -> topic + "-0").orElse(null);
                Active a = new Active(fp, rule.name(), labels, AlertState.FIRING, since, null, now, partition);
                active.put(fp, a);
                out.add(transition(rule, new Active(fp, rule.name(), labels, null, since, null, now, partition),
                        AlertState.FIRING, null, now, null));
            }
        }
    }

    /** The labels of an alert: what it is about, plus the rule's own labels, alertname and severity. */
    static Map<String, String> alertLabels(Rule rule, Map<String, String> observed) {
        Map<String, String> labels = new LinkedHashMap<>(observed);
        // equality matchers name what an absence alert is about even when no series ever reported
        rule.matchers().stream().filter(m -> m.op() == Matcher.Op.EQ).forEach(m -> labels.putIfAbsent(m.name(), m.value()));
        labels.putAll(rule.labels());
        labels.put("alertname", rule.name());
        labels.put("severity", rule.severity().name().toLowerCase(Locale.ROOT));
        return Map.copyOf(labels);
    }

    private Transition transition(Rule rule, Active a, AlertState to, Double value, Instant now, String eventId) {
        Map<String, Object> data = new HashMap<>(templateVars);
        data.put("labels", a.labels());
        data.put("value", value == null ? "" : format(value));
        data.put("threshold", rule.threshold() == null ? "" : format(rule.threshold()));
        data.put("rule", rule.name());
        data.put("severity", rule.severity().name().toLowerCase(Locale.ROOT));
        data.put("for", rule.absence().map(Rule.Absence::window).orElse(rule.forDuration()).toString());
        return new Transition(a.fingerprint(), rule.name(), a.labels(), a.state(), to, rule.severity(), rule.page(), value,
                rule.threshold(), a.activeSince(), now, rule.summary().render(data), rule.description().render(data),
                rule.dashboard().map(t -> t.render(data)).orElse(null), eventId, a.partition());
    }

    static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.2f", v);
    }

    /** How long an absence rule waits (for documentation and the rules API). */
    public static Duration window(Rule rule) {
        return rule.absence().map(Rule.Absence::window).orElse(rule.forDuration());
    }
}
