package io.jitsiops.sim.service;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

/**
 * The conferences running on each simulated bridge. The bridges' and jicofo's own figures (metrics, stats, debug
 * state, logs) are derived from these in {@code io.jitsiops.sim.jitsi}, which hears of every change through
 * {@link ConferenceEvent}s.
 */
@ApplicationScoped
public class ConferenceSimulator {
    private final Map<String, List<SimConference>> byBridge = new ConcurrentHashMap<>();
    private final Map<String, Boolean> draining = new ConcurrentHashMap<>();
    private final SimConfig config;
    private final Event<ConferenceEvent> events;

    /** A conference started or ended, or an endpoint joined one. */
    public record ConferenceEvent(Kind kind, SimConference conference, SimEndpoint endpoint) {
        public enum Kind { CONFERENCE_CREATED, ENDPOINT_CREATED, ENDPOINT_EXPIRED, QUALITY_CHANGED, CONFERENCE_EXPIRED }
    }

    public ConferenceSimulator(SimConfig config, Event<ConferenceEvent> events) {
        this.config = config;
        this.events = events;
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
        return start(bridge, room, participants, null);
    }

    /** {@code audioOnly} null: as {@code jitsisim.audio-only-rooms} says of the room. */
    public SimConference start(String bridge, String room, int participants, Boolean audioOnly) {
        SimConference c = audioOnly == null ? newConference(bridge, room, participants)
                : newConference(bridge, room, participants, audioOnly);
        byBridge.computeIfAbsent(bridge, b -> new CopyOnWriteArrayList<>()).add(c);
        fire(new ConferenceEvent(ConferenceEvent.Kind.CONFERENCE_CREATED, c, null));
        c.endpoints.forEach(e -> fire(new ConferenceEvent(ConferenceEvent.Kind.ENDPOINT_CREATED, c, e)));
        return c;
    }

    public boolean end(String id) {
        Optional<SimConference> c = conference(id);
        boolean removed = byBridge.values().stream().anyMatch(list -> list.removeIf(x -> x.id.equals(id)));
        if (removed) {
            fire(new ConferenceEvent(ConferenceEvent.Kind.CONFERENCE_EXPIRED, c.get(), null));
        }
        return removed;
    }

    /**
     * Ordinary participant churn: in a random conference one participant leaves and another joins, so sizes stay
     * as they are (tests rely on them) while the components log what real ones log for it.
     */
    public void churn() {
        List<SimConference> all = allConferences();
        if (all.isEmpty()) {
            return;
        }
        SimConference c = all.get(ThreadLocalRandom.current().nextInt(all.size()));
        if (c.endpoints.isEmpty()) {
            return;
        }
        SimEndpoint leaving = c.endpoints.remove(0);
        fire(new ConferenceEvent(ConferenceEvent.Kind.ENDPOINT_EXPIRED, c, leaving));
        SimEndpoint joining = c.addEndpoint();
        fire(new ConferenceEvent(ConferenceEvent.Kind.ENDPOINT_CREATED, c, joining));
    }

    /** Sets the parts of a conference's quality that are given; null leaves a value as it is. */
    public void degrade(SimConference c, Double packetLossPercent, Double jitterMs, Double bitrateKbps,
                        Double framesPerSecond, Integer frameHeight) {
        c.advance(); // counters up to now at the old quality
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
        fire(new ConferenceEvent(ConferenceEvent.Kind.QUALITY_CHANGED, c, null));
    }

    public void setDraining(String bridge, boolean drain) {
        draining.put(bridge, drain);
    }

    public boolean draining(String bridge) {
        return draining.getOrDefault(bridge, false);
    }

    /** A conference is audio-only when its room is one of {@code jitsisim.audio-only-rooms}. */
    private SimConference newConference(String bridge, String room, int participants) {
        return newConference(bridge, room, participants, config.audioOnlyRooms().orElse(List.of()).contains(room));
    }

    private SimConference newConference(String bridge, String room, int participants, boolean audioOnly) {
        // JVB conference ids are 16 hex characters (Videobridge.generateConferenceID).
        String id = String.format("%016x", ThreadLocalRandom.current().nextLong());
        return new SimConference(id, room + "@conference." + config.xmppDomain(), bridge, participants,
                config.cameraOffEvery(), audioOnly);
    }

    private void fire(ConferenceEvent e) {
        events.fire(e);
    }

    /**
     * The conference's configured ("true") quality, for the admin API only. A bridge does not publish such an
     * object: readers of the simulator derive quality from {@code /debug?full=true} like they must on a real bridge.
     */
    public Map<String, Object> quality(SimConference c) {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("bitrate_kbps", c.bitrateKbps);
        q.put("frames_per_second", c.framesPerSecond);
        q.put("frame_width", c.frameWidth);
        q.put("frame_height", c.frameHeight);
        q.put("packet_loss_percent", c.packetLossPercent);
        q.put("jitter_ms", c.jitterMs);
        return q;
    }
}
