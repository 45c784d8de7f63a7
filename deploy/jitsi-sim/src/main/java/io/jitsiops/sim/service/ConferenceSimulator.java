package io.jitsiops.sim.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

/** The conferences running on each simulated bridge, and the stats a real bridge would derive from them. */
@ApplicationScoped
public class ConferenceSimulator {
    private final Map<String, List<SimConference>> byBridge = new ConcurrentHashMap<>();
    private final Map<String, Boolean> draining = new ConcurrentHashMap<>();
    private final AtomicLong created = new AtomicLong();
    private final SimConfig config;

    public ConferenceSimulator(SimConfig config) {
        this.config = config;
        for (String bridge : config.bridges()) {
            List<SimConference> list = new CopyOnWriteArrayList<>();
            for (int i = 1; i <= config.conferencesPerBridge(); i++) {
                list.add(newConference(bridge, "room-" + bridge + "-" + i, 2 + i));
            }
            byBridge.put(bridge, list);
        }
    }

    public boolean isBridge(String name) {
        return byBridge.containsKey(name);
    }

    public List<String> bridges() {
        return List.copyOf(byBridge.keySet());
    }

    public List<SimConference> conferences(String bridge) {
        return List.copyOf(byBridge.getOrDefault(bridge, List.of()));
    }

    public List<SimConference> allConferences() {
        return byBridge.values().stream().flatMap(List::stream).toList();
    }

    public Optional<SimConference> conference(String id) {
        return allConferences().stream().filter(c -> c.id.equals(id)).findFirst();
    }

    public SimConference start(String bridge, String room, int participants) {
        SimConference c = newConference(bridge, room, participants);
        byBridge.computeIfAbsent(bridge, b -> new CopyOnWriteArrayList<>()).add(c);
        return c;
    }

    public boolean end(String id) {
        return byBridge.values().stream().anyMatch(list -> list.removeIf(c -> c.id.equals(id)));
    }

    /** Sets the parts of a conference's quality that are given; null leaves a value as it is. */
    public void degrade(SimConference c, Double packetLossPercent, Double jitterMs, Double bitrateKbps,
                        Double framesPerSecond, Integer frameHeight) {
        if (packetLossPercent != null) {
            c.packetLossPercent = packetLossPercent;
        }
        if (jitterMs != null) {
            c.jitterMs = jitterMs;
        }
        if (bitrateKbps != null) {
            c.bitrateKbps = bitrateKbps;
        }
        if (framesPerSecond != null) {
            c.framesPerSecond = framesPerSecond;
        }
        if (frameHeight != null) {
            c.frameHeight = frameHeight;
            c.frameWidth = frameHeight * 16 / 9;
        }
    }

    public void setDraining(String bridge, boolean drain) {
        draining.put(bridge, drain);
    }

    public boolean draining(String bridge) {
        return draining.getOrDefault(bridge, false);
    }

    private SimConference newConference(String bridge, String room, int participants) {
        created.incrementAndGet();
        String id = Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        return new SimConference(id, room + "@conference." + config.xmppDomain(), bridge, participants);
    }

    private static double noisy(double value, double spread) {
        return Math.max(0, value + ThreadLocalRandom.current().nextGaussian() * spread);
    }

    /** The current quality of a conference as a bridge measures it (with measurement noise). */
    public Map<String, Object> quality(SimConference c) {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("bitrate_kbps", round(noisy(c.bitrateKbps, c.bitrateKbps * 0.02)));
        q.put("frames_per_second", round(noisy(c.framesPerSecond, 0.3)));
        q.put("frame_width", c.frameWidth);
        q.put("frame_height", c.frameHeight);
        q.put("packet_loss_percent", round(Math.min(100, noisy(c.packetLossPercent, c.packetLossPercent * 0.05))));
        q.put("jitter_ms", round(noisy(c.jitterMs, c.jitterMs * 0.05)));
        return q;
    }

    /**
     * The bridge's {@code /colibri/stats} document. Keys and units follow jitsi-videobridge's
     * doc/statistics.md (bit rates in kbit/s, loss as a fraction, stress 0..1+).
     */
    public Map<String, Object> colibriStats(String bridge) {
        List<SimConference> confs = conferences(bridge);
        int participants = confs.stream().mapToInt(c -> c.participants).sum();
        int largest = confs.stream().mapToInt(c -> c.participants).max().orElse(0);
        double down = confs.stream().mapToDouble(c -> c.bitrateKbps * c.participants).sum();
        double loss = confs.stream().mapToDouble(c -> c.packetLossPercent).average().orElse(0) / 100.0;
        double jitter = confs.stream().mapToDouble(c -> c.jitterMs).average().orElse(0);
        int[] sizes = new int[22];
        for (SimConference c : confs) {
            sizes[Math.min(21, c.participants)]++;
        }
        List<Integer> conferenceSizes = new ArrayList<>();
        for (int s : sizes) {
            conferenceSizes.add(s);
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("current_timestamp", java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
                .format(java.time.LocalDateTime.now(java.time.ZoneOffset.UTC)));
        s.put("conferences", confs.size());
        s.put("participants", participants);
        s.put("largest_conference", largest);
        s.put("conference_sizes", conferenceSizes);
        s.put("endpoints_sending_video", participants);
        s.put("endpoints_sending_audio", participants);
        s.put("inactive_conferences", 0);
        s.put("inactive_endpoints", 0);
        s.put("p2p_conferences", 0);
        s.put("bit_rate_download", round(down));
        s.put("bit_rate_upload", round(down * Math.max(1, largest - 1)));
        s.put("packet_rate_download", Math.round(down / 8));
        s.put("packet_rate_upload", Math.round(down / 8 * Math.max(1, largest - 1)));
        s.put("loss_rate_download", round4(loss));
        s.put("loss_rate_upload", round4(loss / 2));
        s.put("jitter_aggregate", round(jitter));
        s.put("rtt_aggregate", round(noisy(40, 2)));
        s.put("stress_level", round4(Math.min(1.5, participants / 200.0 + (draining(bridge) ? 0 : 0.01))));
        s.put("threads", 180 + participants);
        s.put("total_conferences_created", created.get());
        s.put("total_conferences_completed", Math.max(0, created.get() - allConferences().size()));
        s.put("total_failed_conferences", 0);
        s.put("graceful_shutdown", false);
        s.put("drain", draining(bridge));
        s.put("healthy", true);
        s.put("version", "2.3.148-g1c7d9e8e");
        s.put("region", "local");
        s.put("relay_id", bridge);
        return s;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static double round4(double v) {
        return Math.round(v * 10000) / 10000.0;
    }
}
