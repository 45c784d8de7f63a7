package io.jitsiops.sim.jitsi;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jitsi.health.HealthChecker;
import org.jitsi.health.Result;

import io.jitsiops.sim.jitsi.upstream.Conference;
import io.jitsiops.sim.jitsi.upstream.Videobridge;
import io.jitsiops.sim.service.EndpointStats;
import io.jitsiops.sim.service.Fault;
import io.jitsiops.sim.service.SimConference;
import io.jitsiops.sim.service.SimEndpoint;

/**
 * One simulated jitsi-videobridge: its metrics, its health checker (jicoco's own {@link HealthChecker}, which caches
 * the result between checks, logs at DEBUG while healthy and at SEVERE on failure), and the switches a real bridge
 * has in its configuration (REST stats API, stats generation).
 */
public final class Bridge {
    /** {@code /colibri/stats} generations a bridge can serve. */
    public enum StatsGeneration {
        /** VideobridgeStatisticsShim.kt, JVB 2.3 since April 2024 (jitsi-videobridge fb16f25d3). */
        CURRENT,
        /** VideobridgeStatistics.java before fb16f25d3 (last at e80e868, 2024-03-29): decimal kbps, jitter, sizes. */
        PRE_2024_04
    }

    /**
     * {@code /debug} generations a bridge can serve. CURRENT: {@code Videobridge.getDebugState} of jitsi-videobridge
     * a29d97d ({@code shutdown_state}, {@code drain}, {@code load_management}, {@code overall_bridge_jitter} when
     * non-null, {@code health} object). JVB_2022: the JVB 2.1/2.2 document recorded in jitsi-videobridge issue #1819
     * ({@code shutdownInProgress}, {@code load-management} with {@code reducer}, {@code overall_bridge_jitter} always,
     * null before any media, {@code "health":"OK"}; {@code Transceiver.getNodeStats} named the per-endpoint block
     * {@code endpointConnectionStats}).
     */
    public enum DebugGeneration {
        CURRENT,
        JVB_2022
    }

    /** The failure messages JvbHealthChecker.kt can report (all hard failures: HTTP 500). */
    public static final List<String> HARD_FAILURES = List.of("No valid IP addresses available for harvesting.",
            "Address discovery through STUN failed", "Failed to bind single-port");

    final String name;
    final JvbMetrics metrics = new JvbMetrics();
    final Videobridge videobridge = new Videobridge();
    final Map<String, Conference> conferenceLoggers = new ConcurrentHashMap<>();
    private final Map<String, io.jitsiops.sim.jitsi.upstream.Endpoint> endpointLoggers = new ConcurrentHashMap<>();
    private final Map<String, long[]> lastCounters = new ConcurrentHashMap<>();
    private final HealthChecker healthChecker;
    private volatile Fault healthFault;
    volatile boolean restApiEnabled;
    volatile StatsGeneration generation = StatsGeneration.CURRENT;
    volatile DebugGeneration debugGeneration = DebugGeneration.CURRENT;
    /**
     * PacketTransitStats' bridge jitter (ms): null until the bridge has forwarded media. The simulator's model: the
     * jitter the bridge adds grows with its stress (0.05 ms idle, +1 ms at full load).
     */
    volatile Double bridgeJitterMs;
    volatile String version;

    Bridge(String name, boolean restApiEnabled, String version, Duration healthInterval) {
        this.name = name;
        this.restApiEnabled = restApiEnabled;
        this.version = version;
        // JVB's defaults (jvb reference.conf videobridge.health): interval 1 min, timeout 90 s, max duration 3 s.
        this.healthChecker = new HealthChecker(healthInterval, healthInterval.multipliedBy(3).dividedBy(2),
                Duration.ofSeconds(3), false, Duration.ofMinutes(5), this::check, Clock.systemUTC());
    }

    public String name() {
        return name;
    }

    public boolean restApiEnabled() {
        return restApiEnabled;
    }

    public StatsGeneration generation() {
        return generation;
    }

    /** A bridge with participants has forwarded media: from then on it has a bridge jitter (see bridgeJitterMs). */
    void mediaForwarded(List<SimConference> conferences) {
        if (bridgeJitterMs == null && conferences.stream().anyMatch(c -> c.participants() > 0)) {
            bridgeJitterMs = Math.round((0.05 + metrics.stress.get()) * 1000) / 1000.0;
        }
    }

    public DebugGeneration debugGeneration() {
        return debugGeneration;
    }

    /** The bridge's metrics container, as its /metrics endpoint renders it. */
    public org.jitsi.metrics.MetricsContainer metrics() {
        return metrics.container;
    }

    /** JvbHealthChecker.check(): hard failures only upstream; a SOFT fault plays the 503 path of jicoco's Health. */
    private Result check() {
        Fault f = healthFault;
        if (f == null) {
            return new Result(true, true, null, false, null);
        }
        return switch (f.kind()) {
            case DOWN -> new Result(false, true, null, false, f.messageOr(HARD_FAILURES.get(0)));
            case SOFT -> new Result(false, false, null, false, f.messageOr("Performing a health check took too long"));
            default -> new Result(true, true, null, false, null);
        };
    }

    /** Runs one health check now (as the checker's timer does) and records it in the {@code healthy} metric. */
    void runHealthCheck(Fault current) {
        healthFault = current;
        JitsiLogs.as(JitsiLogs.JVB, healthChecker::run);
        metrics.healthy.set(healthChecker.getResult().getSuccess());
    }

    /** The cached result {@code /about/health} and {@code /debug} answer with. */
    public Result health() {
        return healthChecker.getResult();
    }

    public boolean healthy() {
        return health().getSuccess();
    }

    void conferenceCreated(SimConference c) {
        metrics.conferencesCreated.inc();
        metrics.conferences.inc();
        Conference logger = JitsiLogs.as(JitsiLogs.JVB, () -> {
            videobridge.createConference(c.id(), c.meetingId());
            return new Conference(c.id(), c.room(), c.meetingId());
        });
        conferenceLoggers.put(c.id(), logger);
    }

    void endpointCreated(SimConference c, SimEndpoint e) {
        metrics.totalEndpoints.inc();
        metrics.iceSucceeded.inc();
        metrics.localEndpoints.inc();
        Conference conference = conferenceLoggers.get(c.id());
        if (conference != null) {
            endpointLoggers.put(e.id(), JitsiLogs.as(JitsiLogs.JVB,
                    () -> new io.jitsiops.sim.jitsi.upstream.Endpoint(conference, e.id(), e.statsId(), false)));
        }
    }

    void endpointExpired(SimEndpoint e) {
        metrics.localEndpoints.dec();
        lastCounters.remove(e.id());
        io.jitsiops.sim.jitsi.upstream.Endpoint logger = endpointLoggers.remove(e.id());
        if (logger != null) {
            JitsiLogs.as(JitsiLogs.JVB, () -> logger.expire(0));
        }
    }

    void conferenceExpired(SimConference c) {
        long seconds = Math.round((System.currentTimeMillis() - c.createdAtMillis()) / 1000d);
        metrics.conferencesCompleted.inc();
        metrics.conferenceSeconds.add(seconds);
        metrics.conferences.dec();
        metrics.localEndpoints.addAndGet(-c.participants());
        c.endpoints().forEach(e -> {
            lastCounters.remove(e.id());
            io.jitsiops.sim.jitsi.upstream.Endpoint logger = endpointLoggers.remove(e.id());
            if (logger != null) {
                JitsiLogs.as(JitsiLogs.JVB, () -> logger.expire(0));
            }
        });
        Conference logger = conferenceLoggers.remove(c.id());
        if (logger != null) {
            JitsiLogs.as(JitsiLogs.JVB, () -> logger.expire(c.createdAtMillis()));
        }
    }

    void setDrain(boolean drain) {
        if (metrics.drainMode.get() != drain) {
            JitsiLogs.as(JitsiLogs.JVB, () -> videobridge.setDrainMode(drain));
        }
        metrics.drainMode.set(drain);
    }

    /** Adds what an endpoint's cumulative counters gained since the last update to the bridge-wide counters. */
    private void accumulate(String endpointId, EndpointStats s) {
        long[] last = lastCounters.computeIfAbsent(endpointId, id -> new long[4]);
        long[] now = { s.incomingPacketsReceived(), s.bytesReceived(), s.packetsSent(), s.bytesSent() };
        metrics.packetsReceived.add(Math.max(0, now[0] - last[0]));
        metrics.bytesReceived.add(Math.max(0, now[1] - last[1]));
        metrics.packetsSent.add(Math.max(0, now[2] - last[2]));
        metrics.bytesSent.add(Math.max(0, now[3] - last[3]));
        System.arraycopy(now, 0, last, 0, 4);
    }

    /**
     * VideobridgePeriodicMetrics.update(): the figures the bridge recomputes every videobridge.stats.interval from
     * its endpoints' transceiver statistics.
     */
    void updatePeriodicMetrics(List<SimConference> conferences) {
        long endpoints = 0;
        long largest = 0;
        long audioSenders = 0;
        long videoSenders = 0;
        double bitrateDown = 0;
        double bitrateUp = 0;
        long packetRateDown = 0;
        long packetRateUp = 0;
        long inReceived = 0;
        long inLost = 0;
        long outReceived = 0;
        long outLost = 0;
        double rttSum = 0;
        long rttCount = 0;
        long highOutgoingLoss = 0;
        metrics.conferencesBySize.getHistogram().clear();
        metrics.conferencesByAudioSender.getHistogram().clear();
        metrics.conferencesByVideoSender.getHistogram().clear();
        for (SimConference c : conferences) {
            c.advance();
            int size = c.participants();
            endpoints += size;
            largest = Math.max(largest, size);
            // Everybody sends audio; video only those whose camera is on (Endpoint.isSendingVideo: video bits arrive)
            int sendingVideo = c.videoSenders();
            audioSenders += size;
            videoSenders += sendingVideo;
            metrics.conferencesBySize.getHistogram().observe(size);
            metrics.conferencesByAudioSender.getHistogram().observe(size);
            metrics.conferencesByVideoSender.getHistogram().observe(sendingVideo);
            for (SimEndpoint e : c.endpoints()) {
                EndpointStats s = e.stats();
                accumulate(e.id(), s);
                bitrateDown += s.incomingBitrateBps();
                bitrateUp += s.outgoingBitrateBps();
                packetRateDown += s.incomingPacketRate();
                packetRateUp += s.outgoingPacketRate();
                // LossTracker counts over a short window: the current rates at the current loss.
                long sentByEndpoint = Math.round(s.incomingPacketRate() / Math.max(1e-9, 1 - s.lossFraction()));
                inReceived += s.incomingPacketRate();
                inLost += sentByEndpoint - s.incomingPacketRate();
                outLost += Math.round(s.outgoingPacketRate() * s.lossFraction());
                outReceived += s.outgoingPacketRate() - Math.round(s.outgoingPacketRate() * s.lossFraction());
                if (c.rttMs() > 0) {
                    rttSum += c.rttMs();
                    rttCount++;
                }
                if (s.lossFraction() > 0.1) {
                    highOutgoingLoss++;
                }
            }
        }
        metrics.incomingLoss.set(inReceived + inLost > 0 ? (double) inLost / (inReceived + inLost) : 0.0);
        metrics.outgoingLoss.set(outReceived + outLost > 0 ? (double) outLost / (outReceived + outLost) : 0.0);
        long all = inReceived + inLost + outReceived + outLost;
        metrics.loss.set(all > 0 ? (double) (inLost + outLost) / all : 0.0);
        metrics.endpoints.set(endpoints);
        metrics.endpointsWithHighOutgoingLoss.set(highOutgoingLoss);
        metrics.activeEndpoints.set(endpoints);
        metrics.incomingBitrate.set((long) bitrateDown);
        metrics.outgoingBitrate.set((long) bitrateUp);
        metrics.incomingPacketRate.set(packetRateDown);
        metrics.outgoingPacketRate.set(packetRateUp);
        metrics.averageRtt.set(rttCount > 0 ? rttSum / rttCount : 0.0);
        metrics.largestConference.set(largest);
        metrics.endpointsSendingAudio.set(audioSenders);
        metrics.endpointsSendingVideo.set(videoSenders);
        // Stress is the load manager's measurement over its threshold (jvb reference.conf: CPU usage by default);
        // the simulator models the CPU a bridge needs from its packet rate, 50,000 packets/s being a full load.
        metrics.stress.set(Math.round((packetRateDown + packetRateUp) / 50_000.0 * 1000) / 1000.0);
        if (endpoints > 0 || bridgeJitterMs != null) {
            bridgeJitterMs = Math.round((0.05 + metrics.stress.get()) * 1000) / 1000.0;
        }
        metrics.threadCount.set(Math.max(1, Thread.activeCount()) + 60 + endpoints * 2);
        metrics.mucClientsConfigured.set(1);
        metrics.mucClientsConnected.set(1);
        metrics.mucsConfigured.set(1);
        metrics.mucsJoined.set(1);
        Runtime rt = Runtime.getRuntime();
        metrics.heapCommitted.set(rt.totalMemory());
        metrics.heapUsed.set(rt.totalMemory() - rt.freeMemory());
    }
}
