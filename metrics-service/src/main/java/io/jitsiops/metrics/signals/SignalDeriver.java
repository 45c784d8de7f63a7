package io.jitsiops.metrics.signals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.jitsiops.metrics.exposition.MetricFamily;
import io.jitsiops.metrics.exposition.Sample;

/**
 * The signals of Jitsi's production alerts that are not a single figure a server exposes, derived per target from
 * its own counters over a sliding window of its scrapes (list and sources: {@code metrics-service/SIGNALS.md}).
 * <p>
 * "Increase over W" is the sum of the counter's increases between consecutive scrapes whose later scrape lies within
 * the last W; a counter that went down (the server restarted) counts from 0, as Prometheus' {@code increase} does,
 * without its extrapolation. A signal is absent until the target has two scrapes. A guarded signal is 0 while its
 * guard is not met, so that an alert on it clears when the traffic stops; the guard's figure is emitted beside it.
 */
public final class SignalDeriver {
    public static final String RTP_DELAYED_RATIO = "jitsi_ops_jvb_rtp_delayed_over_50ms_ratio";
    public static final String RTP_DELAY_PACKETS = "jitsi_ops_jvb_rtp_delay_packets";
    public static final String JVB_ICE_FAILURE_RATIO = "jitsi_ops_jvb_ice_failure_ratio";
    public static final String JVB_ICE_ATTEMPTS = "jitsi_ops_jvb_ice_attempts";
    public static final String JVB_XMPP_DISCONNECTS = "jitsi_ops_jvb_xmpp_disconnects_per_minute";
    public static final String JVB_MUC_CLIENTS_DISCONNECTED = "jitsi_ops_jvb_muc_clients_disconnected";
    public static final String LOST_BRIDGES = "jitsi_ops_jicofo_lost_bridges_per_minute";
    public static final String ICE_RESTARTS_PER_PARTICIPANT = "jitsi_ops_jicofo_ice_restarts_per_participant";
    public static final String ICE_FAILURES_PER_PARTICIPANT = "jitsi_ops_jicofo_ice_failures_per_participant";
    public static final String MIXED_BRIDGE_VERSIONS = "jitsi_ops_jicofo_mixed_bridge_versions";
    public static final String JICOFO_XMPP_DISCONNECTS = "jitsi_ops_jicofo_xmpp_disconnects_per_minute";

    static final Duration MINUTE = Duration.ofMinutes(1);
    static final Duration TEN_MINUTES = Duration.ofMinutes(10);

    /** Thresholds of the guards. */
    public record Guards(long minRtpPackets, long minIceAttempts, long minParticipants) {
    }

    private final Guards guards;
    private final Map<String, Map<String, Deque<Reading>>> history = new ConcurrentHashMap<>();

    public SignalDeriver(Guards guards) {
        this.guards = guards;
    }

    private record Reading(long atMillis, double value) {
    }

    /** The derived signals of one scrape of {@code component/target}, by name (empty for prosody). */
    public Map<String, Double> derive(String component, String target, Instant at, List<MetricFamily> families) {
        Map<String, Double> values = new HashMap<>();
        for (MetricFamily f : families) {
            for (Sample s : f.samples()) {
                if (s.labels().size() == 0) {
                    values.put(s.name(), s.value());
                } else if (s.labels().size() == 1 && "50".equals(le(s.labels().get("le")))) {
                    values.put(s.name() + "{le=50}", s.value());
                }
            }
        }
        Map<String, Double> out = new HashMap<>();
        Map<String, Deque<Reading>> own = history.computeIfAbsent(component + "/" + target, k -> new HashMap<>());
        synchronized (own) {
            switch (component) {
                case "jvb" -> jvb(values, own, at, out);
                case "jicofo" -> jicofo(values, own, at, out);
                default -> {
                }
            }
        }
        return out;
    }

    private void jvb(Map<String, Double> v, Map<String, Deque<Reading>> own, Instant at, Map<String, Double> out) {
        Double count = v.get("jitsi_jvb_rtp_transit_time_count");
        Double upTo50 = v.get("jitsi_jvb_rtp_transit_time_bucket{le=50}");
        if (count != null && upTo50 != null) {
            double packets = increase(own, "rtp_count", at, count, MINUTE);
            double delayed = increase(own, "rtp_over_50", at, count - upTo50, MINUTE);
            if (!Double.isNaN(packets) && !Double.isNaN(delayed)) {
                out.put(RTP_DELAY_PACKETS, packets);
                out.put(RTP_DELAYED_RATIO, packets >= guards.minRtpPackets() && packets > 0 ? Math.min(1, delayed / packets) : 0);
            }
        }
        Double failed = v.get("jitsi_jvb_ice_failed_total");
        Double succeeded = v.get("jitsi_jvb_ice_succeeded_total");
        if (failed != null && succeeded != null) {
            double f = increase(own, "ice_failed", at, failed, TEN_MINUTES);
            double s = increase(own, "ice_succeeded", at, succeeded, TEN_MINUTES);
            if (!Double.isNaN(f) && !Double.isNaN(s)) {
                out.put(JVB_ICE_ATTEMPTS, f + s);
                out.put(JVB_ICE_FAILURE_RATIO, f + s >= guards.minIceAttempts() && f + s > 0 ? f / (f + s) : 0);
            }
        }
        putIncrease(own, v, "jitsi_jvb_xmpp_disconnects_total", at, MINUTE, JVB_XMPP_DISCONNECTS, out);
        Double configured = v.get("jitsi_jvb_muc_clients_configured");
        Double connected = v.get("jitsi_jvb_muc_clients_connected");
        if (configured != null && connected != null) {
            out.put(JVB_MUC_CLIENTS_DISCONNECTED, Math.max(0, configured - connected));
        }
    }

    private void jicofo(Map<String, Double> v, Map<String, Deque<Reading>> own, Instant at, Map<String, Double> out) {
        putIncrease(own, v, "jitsi_jicofo_bridge_selector_lost_bridges_total", at, MINUTE, LOST_BRIDGES, out);
        putIncrease(own, v, "jitsi_jicofo_xmpp_disconnects_total", at, MINUTE, JICOFO_XMPP_DISCONNECTS, out);
        Double participants = v.get("jitsi_jicofo_participants_current");
        perParticipant(own, v, "jitsi_jicofo_participants_restart_requested_total", participants, at, ICE_RESTARTS_PER_PARTICIPANT, out);
        perParticipant(own, v, "jitsi_jicofo_participants_ice_failed_total", participants, at, ICE_FAILURES_PER_PARTICIPANT, out);
        Double versions = v.get("jitsi_jicofo_bridge_selector_bridge_version_count");
        if (versions != null) {
            out.put(MIXED_BRIDGE_VERSIONS, versions > 1 ? 1.0 : 0.0);
        }
    }

    private void perParticipant(Map<String, Deque<Reading>> own, Map<String, Double> v, String counter, Double participants, Instant at,
                                String signal, Map<String, Double> out) {
        Double value = v.get(counter);
        if (value == null || participants == null) {
            return;
        }
        double n = increase(own, counter, at, value, TEN_MINUTES);
        if (!Double.isNaN(n)) {
            out.put(signal, participants >= guards.minParticipants() && participants > 0 ? n / participants : 0);
        }
    }

    private static void putIncrease(Map<String, Deque<Reading>> own, Map<String, Double> v, String counter, Instant at, Duration window,
                                    String signal, Map<String, Double> out) {
        Double value = v.get(counter);
        if (value != null) {
            double n = increase(own, counter, at, value, window);
            if (!Double.isNaN(n)) {
                out.put(signal, n);
            }
        }
    }

    /** Records {@code value} of {@code series} at {@code at}; its increase over {@code window}, NaN with one reading. */
    static double increase(Map<String, Deque<Reading>> own, String series, Instant at, double value, Duration window) {
        Deque<Reading> readings = own.computeIfAbsent(series, k -> new ArrayDeque<>());
        long now = at.toEpochMilli();
        Reading last = readings.peekLast();
        if (last != null && last.atMillis() >= now) {
            readings.clear(); // the clock went back or the same scrape twice: start over rather than count twice
        }
        readings.addLast(new Reading(now, value));
        long start = now - window.toMillis();
        // Keep the last reading at or before the window start: the increase from it to the next one ends in the window.
        while (readings.size() > 2) {
            var it = readings.iterator();
            it.next();
            if (it.next().atMillis() <= start) {
                readings.pollFirst();
            } else {
                break;
            }
        }
        if (readings.size() < 2) {
            return Double.NaN;
        }
        double sum = 0;
        Reading previous = null;
        for (Reading r : readings) {
            if (previous != null && r.atMillis() > start) {
                sum += r.value() >= previous.value() ? r.value() - previous.value() : r.value();
            }
            previous = r;
        }
        return sum;
    }

    /** {@code le} as written by the server ("50", "50.0", "5e1") in a canonical form, or null. */
    private static String le(String le) {
        if (le == null) {
            return null;
        }
        try {
            double d = Double.parseDouble(le);
            return d == Math.rint(d) && !Double.isInfinite(d) ? String.valueOf((long) d) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Drops the target's history: should it come back, its windows start again from its next scrapes. */
    public void forget(String component, String target) {
        history.remove(component + "/" + target);
    }

    /** Snapshot for tests: the number of readings held for a target. */
    int readingsHeld(String targetKey) {
        Map<String, Deque<Reading>> own = history.get(targetKey);
        if (own == null) {
            return 0;
        }
        synchronized (own) {
            return own.values().stream().mapToInt(Deque::size).sum();
        }
    }

    /** Every derived signal with its help text (as re-exported on /q/metrics). */
    public static final Map<String, String> HELP = Map.ofEntries(
            Map.entry(RTP_DELAYED_RATIO, "Share of RTP packets delayed over 50 ms in the bridge in the last minute (0 below the traffic guard)"),
            Map.entry(RTP_DELAY_PACKETS, "RTP packets measured by the transit-time histogram in the last minute"),
            Map.entry(JVB_ICE_FAILURE_RATIO, "Share of ICE agents that failed in the last 10 minutes (0 below the attempts guard)"),
            Map.entry(JVB_ICE_ATTEMPTS, "ICE agents that failed or succeeded in the last 10 minutes"),
            Map.entry(JVB_XMPP_DISCONNECTS, "XMPP disconnects of the bridge in the last minute"),
            Map.entry(JVB_MUC_CLIENTS_DISCONNECTED, "XMPP (MUC) clients configured on the bridge but not connected"),
            Map.entry(LOST_BRIDGES, "Bridges jicofo lost (disconnected unexpectedly) in the last minute"),
            Map.entry(ICE_RESTARTS_PER_PARTICIPANT, "ICE restarts requested in the last 10 minutes per current participant (0 below the participants guard)"),
            Map.entry(ICE_FAILURES_PER_PARTICIPANT, "ICE failures reported in the last 10 minutes per current participant (0 below the participants guard)"),
            Map.entry(MIXED_BRIDGE_VERSIONS, "1 when jicofo sees bridges of more than one version"),
            Map.entry(JICOFO_XMPP_DISCONNECTS, "XMPP disconnects of jicofo in the last minute"));
}
