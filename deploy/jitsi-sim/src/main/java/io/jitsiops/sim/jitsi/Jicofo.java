package io.jitsiops.sim.jitsi;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.prometheus.client.CollectorRegistry;

import org.jitsi.health.HealthChecker;
import org.jitsi.health.Result;
import org.jitsi.metrics.BooleanMetric;
import org.jitsi.metrics.CounterMetric;
import org.jitsi.metrics.DoubleGaugeMetric;
import org.jitsi.metrics.LongGaugeMetric;
import org.jitsi.metrics.MetricsContainer;
import org.jitsi.utils.stats.ConferenceSizeBuckets;

import io.jitsiops.sim.jitsi.upstream.JitsiMeetConferenceImpl;
import io.jitsiops.sim.service.ConferenceSimulator;
import io.jitsiops.sim.service.ConferenceSimulator.ConferenceEvent;
import io.jitsiops.sim.service.Fault;
import io.jitsiops.sim.service.FaultRegistry;
import io.jitsiops.sim.service.SimConference;
import io.jitsiops.sim.service.SimConfig;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;

/**
 * The simulated jicofo (jitsi/jicofo 7ebb13d): metrics in jicoco's {@link MetricsContainer} (namespace
 * {@code jitsi_jicofo}; names from {@code conference/ConferenceMetrics.kt}, {@code bridge/BridgeSelector.kt},
 * {@code health/JicofoHealthChecker.kt}, {@code metrics/GlobalMetrics.kt}), {@code /stats} as
 * {@code JicofoServices.getStats()} builds it, and health through jicoco's {@link HealthChecker} with
 * {@code JicofoHealthChecker.check()}'s results: "No operational bridges available (total bridge count: N)" (hard,
 * 500) when no bridge is operational, "Test conference failed to start." (hard) for a DOWN fault,
 * "Test conference failed to start due to timeout." (soft, 503) for a SOFT fault.
 */
@Startup
@ApplicationScoped
public class Jicofo {
    public static final String TARGET = "jicofo";
    final MetricsContainer metrics = new MetricsContainer(new CollectorRegistry(), "jitsi_jicofo");
    // ConferenceMetrics.kt
    private final CounterMetric conferencesCreated = metrics.registerCounter("conferences_created",
            "The number of conferences created on this Jicofo since it was started");
    private final DoubleGaugeMetric conferenceSeconds = metrics.registerDoubleGauge("conferences_seconds",
            "The duration of completed conferences in seconds.");
    private final DoubleGaugeMetric endpointSeconds = metrics.registerDoubleGauge("endpoint_seconds",
            "The duration of endpoints in a conferences in seconds.");
    private final CounterMetric participants = metrics.registerCounter("participants",
            "The total number of participants that have connected to this Jicofo since it was started.");
    private final CounterMetric participantsMoved = metrics.registerCounter("participants_moved",
            "Number of participants moved away from a failed bridge");
    private final CounterMetric bridgesRemoved = metrics.registerCounter("bridges_removed",
            "Number of times a bridge was removed from a conference due to a failure");
    private final CounterMetric participantsIceFailed = metrics.registerCounter("participants_ice_failed",
            "Number of participants that reported an ICE failure");
    private final CounterMetric participantsRequestedRestart = metrics.registerCounter("participants_restart_requested",
            "Number of times a participant requested a restart via session-terminate");
    private final LongGaugeMetric largestConference = metrics.registerLongGauge("largest_conference",
            "The current largest conference.");
    private final LongGaugeMetric currentParticipants = metrics.registerLongGauge("participants_current",
            "The current number of participants. This includes visitors.");
    private final LongGaugeMetric currentVisitors = metrics.registerLongGauge("visitors_current",
            "The current number of visitors.");
    private final LongGaugeMetric conferenceCount = metrics.registerLongGauge("conferences",
            "Running count of conferences (excluding internal conferences created for health checks).");
    private final LongGaugeMetric conferencesWithVisitors = metrics.registerLongGauge("conferences_with_visitors",
            "Running count of conferences which have at least 1 visitor.");
    private final LongGaugeMetric participantPairs = metrics.registerLongGauge("participants_pairs",
            "The number of pairs of participants (the sum of n*(n-1) for each conference)");
    // BridgeSelector.kt
    private final CounterMetric lostBridges = metrics.registerCounter("bridge_selector_lost_bridges",
            "Number of bridges which disconnected unexpectedly.");
    private final LongGaugeMetric bridgeCount = metrics.registerLongGauge("bridge_selector_bridge_count",
            "The current number of bridges");
    private final LongGaugeMetric operationalBridgeCount = metrics.registerLongGauge(
            "bridge_selector_bridge_count_operational", "The current number of operational bridges");
    private final LongGaugeMetric inShutdownBridgeCount = metrics.registerLongGauge(
            "bridge_selector_bridge_count_in_shutdown", "The current number of bridges in graceful shutdown");
    private final LongGaugeMetric bridgeVersionCount = metrics.registerLongGauge("bridge_selector_bridge_version_count",
            "The current number of different bridge versions");
    // GlobalMetrics.kt, JicofoHealthChecker.kt
    private final LongGaugeMetric threads = metrics.registerLongGauge("threads", "The current number of JVM threads");
    private final CounterMetric xmppDisconnects = metrics.registerCounter("xmpp_disconnects",
            "The number of times one of the XMPP connections has disconnected.");
    private final BooleanMetric healthy = metrics.registerBooleanMetric("healthy", "Whether jicofo is healthy or not.", true);

    private final ConferenceSimulator conferences;
    private final Bridges bridges;
    private final FaultRegistry faults;
    private final SimConfig config;
    private final HealthChecker healthChecker;
    private final Map<String, JitsiMeetConferenceImpl> conferenceLoggers = new ConcurrentHashMap<>();
    private final Set<String> presentBridges = ConcurrentHashMap.newKeySet();
    /** Created through JitsiLogs so that its logger is made after JitsiLogs has hooked jitsi-utils' logger factory. */
    private final io.jitsiops.sim.jitsi.upstream.BridgeSelector bridgeSelector =
            JitsiLogs.as(JitsiLogs.JICOFO, io.jitsiops.sim.jitsi.upstream.BridgeSelector::new);
    private volatile Fault fault;

    public Jicofo(ConferenceSimulator conferences, Bridges bridges, FaultRegistry faults, SimConfig config) {
        this.conferences = conferences;
        this.bridges = bridges;
        this.faults = faults;
        this.config = config;
        Duration interval = config.jicofoHealthInterval();
        // jicofo reference.conf health: interval 10 s, timeout 30 s, max-check-duration 20 s.
        this.healthChecker = new HealthChecker(interval, interval.multipliedBy(3), Duration.ofSeconds(20), false,
                Duration.ofMinutes(5), this::check, Clock.systemUTC());
        bridges.all().forEach(b -> presentBridges.add(b.name()));
        conferences.allConferences().forEach(this::conferenceCreated);
        refresh();
        faults.onChange(targets -> refresh());
        bridges.onJicofoError(() -> JitsiErrors.jicofo(List.copyOf(conferenceLoggers.values())));
    }

    /** JicofoHealthChecker.check(). */
    private Result check() {
        if (operationalBridges() <= 0) {
            return new Result(false, true, null, false,
                    "No operational bridges available (total bridge count: " + bridgeCount.get() + ")");
        }
        Fault f = fault;
        if (f != null && f.kind() == Fault.Kind.DOWN) {
            return new Result(false, true, null, false, f.messageOr("Test conference failed to start."));
        }
        if (f != null && f.kind() == Fault.Kind.SOFT) {
            return new Result(false, false, null, false, f.messageOr("Test conference failed to start due to timeout."));
        }
        return new Result(true, true, null, false, null);
    }

    /**
     * The bridge a new participant's colibri endpoint goes to, as BridgeSelector.selectBridge picks among the
     * operational bridges not in graceful shutdown (here: the least loaded); empty when there is none, which jicofo
     * reports as BridgeSelectionFailedException.
     */
    public java.util.Optional<Bridge> selectBridge() {
        return bridges.all().stream().filter(b -> presentBridges.contains(b.name()))
                .filter(b -> bridges.operational(b) && !b.metrics.gracefulShutdown.get())
                .min(java.util.Comparator.comparingLong(b -> conferences.conferences(b.name()).size()));
    }

    /** BridgeSelector.operationalBridgeCount: operational and not in graceful shutdown. */
    private long operationalBridges() {
        return bridges.all().stream().filter(b -> presentBridges.contains(b.name()))
                .filter(b -> bridges.operational(b) && !b.metrics.gracefulShutdown.get()).count();
    }

    /** Re-reads the bridges' state (brewery presence, health) and re-runs the health check, as after a change. */
    final synchronized void refresh() {
        fault = faults.of(TARGET).orElse(null);
        for (Bridge b : bridges.all()) {
            boolean running = bridges.running(b);
            if (running) {
                presentBridges.add(b.name());
            } else if (presentBridges.remove(b.name())) {
                // BridgeSelector.removeJvbAddress: a bridge that left the MUC without shutting down was lost.
                boolean lost = !b.metrics.gracefulShutdown.get();
                if (lost) {
                    lostBridges.inc();
                }
                String jid = "jvbbrewery@internal-muc." + config.xmppDomain() + "/" + b.name();
                JitsiLogs.as(JitsiLogs.JICOFO, () -> bridgeSelector.removeJvbAddress(jid, lost));
            }
        }
        updateMetrics();
        JitsiLogs.as(JitsiLogs.JICOFO, healthChecker::run);
        healthy.set(healthChecker.getResult().getSuccess());
    }

    @Scheduled(every = "${jitsisim.jicofo-health-interval:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void periodicCheck() {
        refresh();
    }

    void onConference(@Observes ConferenceEvent e) {
        switch (e.kind()) {
            case CONFERENCE_CREATED -> conferenceCreated(e.conference());
            case ENDPOINT_CREATED -> participants.inc();
            case QUALITY_CHANGED -> { }
            case ENDPOINT_EXPIRED -> {
                JitsiMeetConferenceImpl logger = conferenceLoggers.get(e.conference().id());
                if (logger != null) {
                    JitsiLogs.as(JitsiLogs.JICOFO, () -> logger.onMemberLeft(e.endpoint().id()));
                }
            }
            case CONFERENCE_EXPIRED -> {
                conferenceSeconds.addAndGet((System.currentTimeMillis() - e.conference().createdAtMillis()) / 1000.0);
                JitsiMeetConferenceImpl logger = conferenceLoggers.remove(e.conference().id());
                if (logger != null) {
                    JitsiLogs.as(JitsiLogs.JICOFO, () -> {
                        e.conference().endpoints().forEach(ep -> logger.onMemberLeft(ep.id()));
                        logger.stop();
                    });
                }
            }
        }
        updateMetrics();
    }

    private void conferenceCreated(SimConference c) {
        conferencesCreated.inc();
        participants.add(c.participants());
        conferenceLoggers.put(c.id(), JitsiLogs.as(JitsiLogs.JICOFO, () -> {
            JitsiMeetConferenceImpl conference = new JitsiMeetConferenceImpl(c.room());
            conference.joinTheRoom(c.meetingId());
            return conference;
        }));
    }

    /** FocusManager/BridgeSelector.updateMetrics(). */
    private void updateMetrics() {
        List<SimConference> all = conferences.allConferences();
        conferenceCount.set(all.size());
        currentParticipants.set(all.stream().mapToLong(SimConference::participants).sum());
        largestConference.set(all.stream().mapToLong(SimConference::participants).max().orElse(0));
        participantPairs.set(all.stream().mapToLong(c -> (long) c.participants() * (c.participants() - 1)).sum());
        bridgeCount.set(presentBridges.size());
        operationalBridgeCount.set(bridges.all().stream().filter(b -> presentBridges.contains(b.name()))
                .filter(bridges::operational).count());
        inShutdownBridgeCount.set(bridges.all().stream().filter(b -> presentBridges.contains(b.name()))
                .filter(b -> b.metrics.gracefulShutdown.get()).count());
        bridgeVersionCount.set(bridges.all().stream().filter(b -> presentBridges.contains(b.name()))
                .map(b -> b.version).distinct().count());
        threads.set(Thread.activeCount() + 40L + all.size() * 3L);
    }

    public Result health() {
        return healthChecker.getResult();
    }

    /** JicofoServices.getStats(): FocusManager.stats merged at the root, then the selector, detectors, jingle... */
    public ObjectNode stats() {
        updateMetrics();
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode o = json.objectNode();
        o.put("total_participants", participants.get());
        o.put("total_conferences_created", conferencesCreated.get());
        o.put("conferences", conferenceCount.get());
        o.put("conferences_with_visitors", conferencesWithVisitors.get());
        ObjectNode bridgeFailures = o.putObject("bridge_failures");
        bridgeFailures.put("participants_moved", participantsMoved.get());
        bridgeFailures.put("bridges_removed", bridgesRemoved.get());
        ObjectNode notifications = o.putObject("participant_notifications");
        notifications.put("ice_failed", participantsIceFailed.get());
        notifications.put("request_restart", participantsRequestedRestart.get());
        o.put("largest_conference", largestConference.get());
        o.put("participants", currentParticipants.get());
        o.put("visitors", currentVisitors.get());
        ConferenceSizeBuckets sizes = new ConferenceSizeBuckets();
        conferences.allConferences().forEach(c -> sizes.addValue(c.participants()));
        o.set("conference_sizes", sizes.toJson());
        o.put("endpoint_pairs", participantPairs.get());
        ObjectNode jibri = o.putObject("jibri");
        jibri.put("total_sip_call_failures", 0);
        jibri.put("total_live_streaming_failures", 0);
        jibri.put("total_recording_failures", 0);
        jibri.put("live_streaming_active", 0);
        jibri.put("recording_active", 0);
        jibri.put("sip_call_active", 0);
        // JibriStats.getStats (jicofo 7ebb13d) adds the pending sessions after the active ones, as 2022's did (stable-7439)
        jibri.put("live_streaming_pending", 0);
        jibri.put("recording_pending", 0);
        jibri.put("sip_call_pending", 0);
        o.putObject("queues");
        ObjectNode selector = o.putObject("bridge_selector");
        selector.put("bridge_count", bridgeCount.get());
        selector.put("operational_bridge_count", operationalBridgeCount.get());
        selector.put("in_shutdown_bridge_count", inShutdownBridgeCount.get());
        selector.put("lost_bridges", lostBridges.get());
        selector.put("bridge_version_count", bridgeVersionCount.get());
        ObjectNode jibriDetector = o.putObject("jibri_detector");
        jibriDetector.put("count", 0);
        jibriDetector.put("available", 0);
        ObjectNode sipJibriDetector = o.putObject("sip_jibri_detector");
        sipJibriDetector.put("count", 0);
        sipJibriDetector.put("available", 0);
        o.putObject("jigasi");
        o.put("threads", threads.get());
        ObjectNode jingle = o.putObject("jingle");
        jingle.putObject("sent");
        jingle.putObject("received");
        o.put("version", config.jicofoVersion());
        Result r = healthChecker.getResult();
        o.put("slow_health_check", 0);
        o.put("healthy", r.getSuccess());
        ObjectNode health = o.putObject("health");
        health.put("success", r.getSuccess());
        health.put("hardFailure", r.getHardFailure());
        health.put("responseCode", r.getResponseCode());
        health.put("sticky", r.getSticky());
        health.put("message", r.getMessage());
        return o;
    }

    public MetricsContainer metrics() {
        updateMetrics();
        return metrics;
    }
}
