package io.jitsiops.sim.service;

/**
 * One simulated conference on one bridge. Values are the conference's current "true" quality; readers add
 * a little noise. Degradations from the admin API overwrite them.
 */
public final class SimConference {
    final String id;
    final String room;
    final String bridge;
    volatile int participants;
    volatile double bitrateKbps;
    volatile double framesPerSecond;
    volatile int frameWidth;
    volatile int frameHeight;
    volatile double packetLossPercent;
    volatile double jitterMs;
    final long createdAtMillis;

    SimConference(String id, String room, String bridge, int participants) {
        this.id = id;
        this.room = room;
        this.bridge = bridge;
        this.participants = participants;
        this.bitrateKbps = 1800;
        this.framesPerSecond = 30;
        this.frameWidth = 1280;
        this.frameHeight = 720;
        this.packetLossPercent = 0.2;
        this.jitterMs = 8;
        this.createdAtMillis = System.currentTimeMillis();
    }

    public String id() {
        return id;
    }

    public String room() {
        return room;
    }

    public String bridge() {
        return bridge;
    }

    public int participants() {
        return participants;
    }
}
