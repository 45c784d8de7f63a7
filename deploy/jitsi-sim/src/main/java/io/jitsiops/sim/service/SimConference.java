package io.jitsiops.sim.service;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One simulated conference on one bridge. Values are the conference's current "true" quality; the bridge's
 * per-endpoint counters ({@link SimEndpoint}) are derived from it. Degradations from the admin API overwrite them.
 */
public final class SimConference {
    /** jitsi-meet stats ids are "Firstname-xyz" style display handles. */
    private static final String[] NAMES = { "Alva", "Bertie", "Carmen", "Dario", "Elna", "Fausto", "Greta", "Hilde",
            "Ivo", "Jana", "Kasper", "Lieke" };
    final String id;
    final String room;
    final String bridge;
    final String meetingId;
    final List<SimEndpoint> endpoints = new CopyOnWriteArrayList<>();
    volatile double bitrateKbps;
    volatile double framesPerSecond;
    volatile int frameWidth;
    volatile int frameHeight;
    volatile double packetLossPercent;
    volatile double jitterMs;
    volatile double rttMs;
    final long createdAtMillis;
    /** Every n-th participant to join has the camera off (0: none); in an audio-only conference, everybody. */
    final int cameraOffEvery;
    final boolean audioOnly;
    /** Participants who joined so far, including those who left: the join order decides who has the camera off. */
    private int joined;

    SimConference(String id, String room, String bridge, int participants, int cameraOffEvery, boolean audioOnly) {
        this.id = id;
        this.room = room;
        this.bridge = bridge;
        this.meetingId = UUID.randomUUID().toString();
        this.bitrateKbps = 1800;
        this.framesPerSecond = 30;
        this.frameWidth = 1280;
        this.frameHeight = 720;
        this.packetLossPercent = 0.2;
        this.jitterMs = 8;
        this.rttMs = 40;
        this.createdAtMillis = System.currentTimeMillis();
        this.cameraOffEvery = cameraOffEvery;
        this.audioOnly = audioOnly;
        for (int i = 0; i < participants; i++) {
            addEndpoint();
        }
    }

    synchronized SimEndpoint addEndpoint() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        // Endpoint ids are 8 hex characters (lib-jitsi-meet's MUC resource); stats ids a name and 3 characters.
        SimEndpoint e = new SimEndpoint(String.format("%08x", r.nextInt()),
                NAMES[r.nextInt(NAMES.length)] + "-" + Integer.toString(r.nextInt(36 * 36 * 36), 36), camera(++joined));
        endpoints.add(e);
        return e;
    }

    /**
     * The camera of the n-th participant to join: off for everybody in an audio-only conference (attendees who join
     * with the camera off); otherwise off for every {@code cameraOffEvery}-th, those turning it off after joining and
     * those joining with it off in turn (the 3rd turns it off, the 6th joins without, …).
     */
    private SimEndpoint.Camera camera(int n) {
        if (audioOnly) {
            return SimEndpoint.Camera.NEVER_ON;
        }
        if (cameraOffEvery <= 0 || n % cameraOffEvery != 0) {
            return SimEndpoint.Camera.ON;
        }
        return (n / cameraOffEvery) % 2 == 1 ? SimEndpoint.Camera.TURNED_OFF : SimEndpoint.Camera.NEVER_ON;
    }

    public boolean audioOnly() {
        return audioOnly;
    }

    /** Participants whose video arrives at the bridge now (JVB's {@code isSendingVideo}). */
    public int videoSenders() {
        return (int) endpoints.stream().filter(SimEndpoint::sendingVideo).count();
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

    public String meetingId() {
        return meetingId;
    }

    public int participants() {
        return endpoints.size();
    }

    public List<SimEndpoint> endpoints() {
        return List.copyOf(endpoints);
    }

    public long createdAtMillis() {
        return createdAtMillis;
    }

    public double bitrateKbps() {
        return bitrateKbps;
    }

    public double framesPerSecond() {
        return framesPerSecond;
    }

    public int frameHeight() {
        return frameHeight;
    }

    public double packetLossPercent() {
        return packetLossPercent;
    }

    public double jitterMs() {
        return jitterMs;
    }

    public double rttMs() {
        return rttMs;
    }

    /** Advances every endpoint's counters to now. */
    public void advance() {
        int n = endpoints.size();
        endpoints.forEach(e -> e.advance(this, Math.max(0, n - 1)));
    }
}
