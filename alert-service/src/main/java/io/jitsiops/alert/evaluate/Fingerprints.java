package io.jitsiops.alert.evaluate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/** The identity of an alert: a hash of its rule and its labels, stable across restarts and replicas. */
public final class Fingerprints {
    private Fingerprints() {
    }

    public static String of(String rule, Map<String, String> labels) {
        StringBuilder b = new StringBuilder(rule).append('\u0000');
        new TreeMap<>(labels).forEach((k, v) -> b.append(k).append('\u0001').append(v).append('\u0000'));
        return hash(b.toString());
    }

    /** One digest per thread: looking the algorithm up for every alert showed in the intake's profile. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    public static String hash(String text) {
        MessageDigest digest = SHA256.get();
        digest.reset();
        byte[] d = digest.digest(text.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(d, 0, 8);
    }
}
