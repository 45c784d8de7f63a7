package io.jitsiops.alert.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.jitsiops.alert.config.AlertConfig;
import io.jitsiops.alert.notify.AckLinkSigner;
import io.jitsiops.alert.notify.Alert;
import io.jitsiops.alert.notify.AlertStatus;
import io.jitsiops.alert.notify.Dispatcher;
import io.jitsiops.alert.notify.NotificationLogEntry;
import io.jitsiops.alert.notify.ReceiverQueue;
import io.jitsiops.alert.notify.Silence;
import io.jitsiops.alert.notify.TimeIntervalStage;
import io.jitsiops.alert.repository.AlertRepository;
import io.jitsiops.alert.repository.NotificationRepository;
import io.jitsiops.alert.repository.SilenceRepository;
import io.jitsiops.alert.repository.WriteBehind;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;

/**
 * Wires the notification pipeline to PostgreSQL: the notification log and silences are loaded at start-up and
 * written through; the alerts that were firing (or resolved but not yet told) go back into their groups before
 * the first flush, so a restart neither forgets nor resends nor lets an inhibited alert through. Delivery
 * outcomes are recorded (API) and counted (metrics created up front per receiver, as Alertmanager does).
 */
@ApplicationScoped
public class NotificationService {
    private static final Logger LOG = Logger.getLogger(NotificationService.class);

    private final AlertConfig config;
    private final RuleRegistry rules;
    private final ReceiverRegistry receivers;
    private final NotificationRepository notifications;
    private final SilenceRepository silenceRepository;
    private final AlertRepository alerts;
    private final MeterRegistry meters;
    private final Map<String, NotificationLogEntry> log = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> delivered = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> failed = new ConcurrentHashMap<>();
    private final AckLinkSigner signer;
    private volatile List<Silence> silences = List.of();
    private volatile boolean started;
    private final Dispatcher dispatcher;
    /**
     * The notification log and delivery records are written in batches (group commit). A receiver's slot waits for
     * its log entry (ReceiverQueue#submitAwaiting), so a crash can repeat at most max-in-flight notifications per
     * receiver, never lose one; delivery records (the API's history) are not waited for.
     */
    private final WriteBehind<NotificationLogEntry> logWriter;
    private final WriteBehind<NotificationRepository.DeliveryRecord> deliveryWriter;
    private final io.vertx.core.Vertx vertx;

    public NotificationService(AlertConfig config, RuleRegistry rules, ReceiverRegistry receivers,
                               NotificationRepository notifications, SilenceRepository silenceRepository,
                               AlertRepository alerts, MeterRegistry meters, io.vertx.core.Vertx vertx) {
        this.config = config;
        this.vertx = vertx;
        this.rules = rules;
        this.receivers = receivers;
        this.notifications = notifications;
        this.silenceRepository = silenceRepository;
        this.alerts = alerts;
        this.meters = meters;
        // two log writes in flight: a receiver's slot waits for its entry's commit, so the wait bounds every slot;
        // the upsert keeps the newer entry whatever order two batches commit in
        this.logWriter = new WriteBehind<>("notification-log entries", 1000, 100_000, 2, notifications::record);
        this.deliveryWriter = new WriteBehind<>("delivery records", 1000, 100_000, notifications::recordDeliveries);
        this.signer = config.ack().signingKey().filter(k -> !k.isEmpty()).map(AckLinkSigner::new).orElse(null);
        this.dispatcher = new Dispatcher(rules::current, () -> silences, new Dispatcher.NotificationLog() {
            @Override
            public NotificationLogEntry get(String receiver, String groupKey) {
                return log.get(receiver + "\u0000" + groupKey);
            }

            @Override
            public Uni<Void> record(NotificationLogEntry entry) {
                log.put(entry.receiver() + "\u0000" + entry.groupKey(), entry);
                return logWriter.addAndAwait(entry);
            }
        }, this::record, receivers.queues(), receivers.sendResolved(), this::ackLink, config.externalUrl(), Clock.systemUTC());
        for (TimeIntervalStage.Reason reason : TimeIntervalStage.Reason.values()) {
            meters.more().counter("jitsiops_alert_notifications_held_back_total",
                    List.of(io.micrometer.core.instrument.Tag.of("reason", reason.label)), dispatcher, d -> d.heldBack(reason));
        }
        receivers.queues().forEach((name, q) -> {
            String type = q.receiver().type();
            AtomicLong ok = new AtomicLong();
            AtomicLong bad = new AtomicLong();
            delivered.put(name, ok);
            failed.put(name, bad);
            meters.more().counter("jitsiops_alert_notifications_total",
                    List.of(io.micrometer.core.instrument.Tag.of("receiver", name), io.micrometer.core.instrument.Tag.of("type", type),
                            io.micrometer.core.instrument.Tag.of("outcome", "delivered")), ok);
            meters.more().counter("jitsiops_alert_notifications_total",
                    List.of(io.micrometer.core.instrument.Tag.of("receiver", name), io.micrometer.core.instrument.Tag.of("type", type),
                            io.micrometer.core.instrument.Tag.of("outcome", "undeliverable")), bad);
            meters.gauge("jitsiops_alert_receiver_backlog", List.of(io.micrometer.core.instrument.Tag.of("receiver", name)), q,
                    ReceiverQueue::backlog);
        });
    }

    /** Loads the notification log, silences and alerts, then lets the groups flush. */
    void onStart(@Observes StartupEvent event) {
        Duration timeout = Duration.ofSeconds(30);
        notifications.logEntries().await().atMost(timeout)
                .forEach(e -> log.put(e.receiver() + "\u0000" + e.groupKey(), e));
        silences = silenceRepository.all().await().atMost(timeout);
        // the alerts of our rules that belong to a partition come with it (adoptPartitions)
        enter(alerts.forPipelineWithoutPartition(Instant.now().minus(Duration.ofDays(1))).await().atMost(timeout), false);
        started = true;
        // a Vert.x timer rather than @Scheduled: group_wait wants a precision finer than the scheduler's second
        vertx.setPeriodic(config.flushInterval().toMillis(), id -> vertx.executeBlocking(() -> {
            tick();
            return null;
        }, false));
        vertx.setPeriodic(config.sharedStateRefresh().toMillis(), id -> refreshSharedState().subscribe().with(x -> { },
                e -> LOG.debugf("Silences and acknowledgements not re-read yet: %s", e.getMessage())));
        LOG.infof("Notification pipeline: %d receivers, %d groups restored, %d log entries, %d silences",
                receivers.queues().size(), dispatcher.groupCount(), log.size(), silences.size());
    }

    private void tick() {
        try {
            dispatcher.tick();
        } catch (RuntimeException e) {
            LOG.error("A flush of the notification groups failed", e);
        }
    }

    /**
     * Forgets the in-memory notification-log entries sent before {@code cutoff} whose group is no longer held: what
     * retention deletes from PostgreSQL (AlertRetention), so what a restart would not load either. Alertmanager's
     * notification log expires its entries the same way ({@code --data.retention}). Before this the map only grew: a
     * group per pod, room or participant left an entry for as long as the replica ran. A group still held keeps its
     * entry whatever its age (an acknowledged alert is not repeated, so its entry can be older than retention).
     * Returns how many were forgotten.
     */
    public int forgetLogBefore(Instant cutoff) {
        Set<String> held = dispatcher.groupKeys();
        int before = log.size();
        log.values().removeIf(e -> e.sentAt().isBefore(cutoff) && !held.contains(e.groupKey()));
        return before - log.size();
    }

    /** The keys (receiver, NUL, group key) of the notification-log entries held in memory (tests). */
    Set<String> logKeys() {
        return Set.copyOf(log.keySet());
    }

    /** The keys of the groups the dispatcher holds (tests). */
    Set<String> groupKeys() {
        return dispatcher.groupKeys();
    }

    /**
     * Kafka assigned these partitions ({@code topic-partition}) here: the notification log entries other replicas
     * wrote and the alerts of these partitions are adopted, so that this replica neither resends what was told nor
     * forgets what was not; {@code posted}: the posted alerts persisted without a partition that the intake adopted
     * with them. Returns how many alerts entered the pipeline.
     */
    public Uni<Integer> adoptPartitions(Collection<String> partitions, Collection<String> posted) {
        return notifications.logEntries().invoke(entries -> entries.forEach(e -> log.merge(e.receiver() + "\u0000" + e.groupKey(),
                        e, (mine, theirs) -> mine.sentAt().isAfter(theirs.sentAt()) ? mine : theirs)))
                .chain(() -> alerts.forPipeline(Instant.now().minus(Duration.ofDays(1)), partitions, posted))
                .map(list -> enter(list, true));
    }

    /**
     * Persisted alerts entering the pipeline: the firing ones, and the resolved ones whose firing was told but whose
     * end was not (they enter as firing, then resolved, so the resolved notice goes out). With {@code onlyUnknown},
     * an alert the pipeline already holds keeps its state (it is newer than the row). Returns how many entered.
     */
    private int enter(List<Alert> persisted, boolean onlyUnknown) {
        Set<String> told = new HashSet<>();
        log.values().forEach(e -> told.addAll(e.firing()));
        int entered = 0;
        for (Alert a : persisted) {
            if ((a.firing() || told.contains(a.fingerprint())) && !(onlyUnknown && dispatcher.knows(a.fingerprint()))) {
                if (!a.firing()) {
                    // resolved while nobody held it and not told yet: enter as firing (known), then resolved
                    dispatcher.put(new Alert(a.fingerprint(), a.rule(), a.labels(), a.severity(), a.page(),
                            io.jitsiops.events.payload.AlertState.FIRING, a.value(), a.threshold(), a.summary(),
                            a.description(), a.dashboardUrl(), a.generatorUrl(), a.startsAt(), null, a.ackedUntil(), a.source()));
                }
                dispatcher.put(a);
                entered++;
            }
        }
        return entered;
    }

    /**
     * Kafka took partitions away: their firing alerts leave the pipeline without a notice (the new owner holds them
     * now). A resolved notice already decided here still goes out from here.
     */
    public int forget(Collection<String> fingerprints) {
        return dispatcher.forgetFiring(fingerprints);
    }

    public void put(Alert alert) {
        dispatcher.put(alert);
    }

    public void acknowledge(String fingerprint, Instant until) {
        dispatcher.acknowledge(fingerprint, until);
    }

    /** The silence and inhibition status of the firing alerts of a list ({@link Dispatcher#statusAmong}). */
    public Map<String, AlertStatus> statusAmong(List<Alert> list) {
        return dispatcher.statusAmong(list);
    }

    public Dispatcher dispatcher() {
        return dispatcher;
    }

    public AckLinkSigner signer() {
        return signer;
    }

    /** Re-reads the silences after a change through the API. */
    public Uni<Void> reloadSilences() {
        return silenceRepository.all().invoke(s -> silences = s).replaceWithVoid();
    }

    /**
     * What operators changed through another replica: an API call reaches one replica, and the alerts it concerns
     * may be held by another. The silences are read again, and the acknowledgement of every firing alert held here
     * is taken from PostgreSQL (a later one replaces an earlier; an ended one ends by itself).
     */
    Uni<Void> refreshSharedState() {
        return reloadSilences().chain(alerts::acknowledgedFiring).invoke(acked -> acked.forEach(dispatcher::acknowledgeUntil))
                .replaceWithVoid();
    }

    public List<Silence> silences() {
        return silences;
    }

    public Map<String, ReceiverQueue> queues() {
        return receivers.queues();
    }

    public long delivered(String receiver) {
        AtomicLong n = delivered.get(receiver);
        return n == null ? 0 : n.get();
    }

    public long undeliverable(String receiver) {
        AtomicLong n = failed.get(receiver);
        return n == null ? 0 : n.get();
    }

    private String ackLink(Alert a) {
        if (signer == null) {
            return null;
        }
        return signer.link(config.externalUrl(), a.fingerprint(), Instant.now().plus(config.ack().linkValidity()));
    }

    private void record(String receiver, String groupKey, ReceiverQueue.Outcome outcome) {
        boolean ok = outcome.result().delivered();
        (ok ? delivered : failed).computeIfAbsent(receiver, k -> new AtomicLong()).incrementAndGet();
        if (!ok) {
            LOG.warnf("Notification of group %s to %s undeliverable after %d attempts: %s", groupKey, receiver,
                    outcome.attempts(), outcome.result().error());
        }
        List<String> fps = outcome.notification().alerts().stream().map(Alert::fingerprint).toList();
        deliveryWriter.add(new NotificationRepository.DeliveryRecord(receiver, groupKey, fps, ok, outcome.attempts(),
                outcome.digest(), outcome.result().error(), Instant.now()));
    }
}
