package io.jitsiops.alert.evaluate;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/** The identity of an alert: a hash of its rule and its labels, stable across restarts and replicas. */
public final class Fingerprints {
    private static final HexFormat HEX = HexFormat.of();

    private Fingerprints() {
    }

    public static String of(String rule, Map<String, String> labels) {
        return of(rule, labels, null);
    }

    /**
     * The identity of an alert of our own rules: its rule and labels without the derived {@code shard} label
     * ({@link ShardLabels}). A shard is a function of the target (and, for a rule that names one in its matchers or
     * labels, of the rule), so leaving it out cannot make two alerts one. Putting it in would re-key every active
     * jvb/jicofo alert of an existing installation on upgrade (their rows were keyed without it): each would resolve
     * and fire again under a new fingerprint, be notified again and lose its acknowledgement and the silences
     * matched to it. Events never carry a shard, so every shard label of a rule alert is a derived one.
     */
    public static String ofRuleAlert(String rule, Map<String, String> labels) {
        return of(rule, labels, ShardLabels.SHARD);
    }

    private static String of(String rule, Map<String, String> labels, String without) {
        Scratch s = SCRATCH.get();
        StringBuilder b = s.text;
        b.setLength(0);
        b.append(rule).append('\u0000');
        if (labels instanceof SortedLabels sorted) { // already in name order: no TreeMap copy per alert
            for (int i = 0; i < sorted.count(); i++) {
                if (!sorted.name(i).equals(without)) {
                    b.append(sorted.name(i)).append('\u0001').append(sorted.valueAt(i)).append('\u0000');
                }
            }
        } else {
            new TreeMap<>(labels).forEach((k, v) -> {
                if (!k.equals(without)) {
                    b.append(k).append('\u0001').append(v).append('\u0000');
                }
            });
        }
        return s.hash(b);
    }

    public static String hash(String text) {
        return SCRATCH.get().hash(text);
    }

    /**
     * One digest, text buffer and UTF-8 encoder per thread. The text of every posted alert used to be built into a
     * new String, encoded into a new byte array and digested: the intake's allocation profile showed these as its
     * largest site (~13% of all bytes) under bench/alerts. Encoding into a reused buffer gives the same bytes as
     * {@code String.getBytes(UTF_8)} (unpaired surrogates become '?' in both).
     */
    private static final class Scratch {
        final StringBuilder text = new StringBuilder(256);
        final CharsetEncoder utf8 = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        final MessageDigest sha256;
        final byte[] digest = new byte[32];
        ByteBuffer bytes = ByteBuffer.allocate(1024);

        Scratch() {
            try {
                sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        String hash(CharSequence text) {
            int needed = (int) Math.ceil(text.length() * (double) utf8.maxBytesPerChar());
            if (bytes.capacity() < needed) {
                bytes = ByteBuffer.allocate(Math.max(needed, bytes.capacity() * 2));
            }
            bytes.clear();
            utf8.reset();
            utf8.encode(CharBuffer.wrap(text), bytes, true);
            utf8.flush(bytes);
            sha256.reset();
            sha256.update(bytes.array(), 0, bytes.position());
            try {
                sha256.digest(digest, 0, digest.length);
            } catch (java.security.DigestException e) {
                throw new IllegalStateException(e);
            }
            return HEX.formatHex(digest, 0, 8);
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
}
