package io.jitsiops.metrics.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which replica scrapes which target: a consistent-hash ring with {@value #VNODES} points per replica. Every
 * replica computes the same owner for a target from the same {@code count}, so no two scrape one target and no
 * coordination is needed; going from n to n+1 replicas moves only about 1/(n+1) of the targets.
 */
public final class TargetRing {
    static final int VNODES = 128;
    private final TreeMap<Long, Integer> ring = new TreeMap<>();

    public TargetRing(int replicas) {
        if (replicas < 1) {
            throw new IllegalArgumentException("jitsiops.metrics.replicas.count must be at least 1, got " + replicas);
        }
        for (int r = 0; r < replicas; r++) {
            for (int v = 0; v < VNODES; v++) {
                ring.put(hash("replica-" + r + "#" + v), r);
            }
        }
    }

    /** The replica index that owns {@code key} (e.g. {@code jvb/jvb-1}). */
    public int owner(String key) {
        Map.Entry<Long, Integer> e = ring.ceilingEntry(hash(key));
        return (e == null ? ring.firstEntry() : e).getValue();
    }

    private static long hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            long h = 0;
            for (int i = 0; i < 8; i++) {
                h = (h << 8) | (d[i] & 0xff);
            }
            return h;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
