package io.jitsiops.backup.crypto;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.function.Function;
import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM over a stream of any length, in segments.
 *
 * <p>Hand-written framing on the JDK's AES-GCM, because the JDK's GCM decryption holds the whole ciphertext in
 * memory until the tag is checked (a 1 GiB backup would need 1 GiB of heap) and no kept library offers streaming
 * AEAD. The construction is the usual one (as in Tink's AES-GCM-HKDF streaming and the "STREAM" construction of
 * Hoang, Reyhanitabar, Rogaway and Vizár): the plaintext is cut into segments of {@code segmentBytes}; segment
 * {@code i} is sealed with the nonce {@code prefix || i} (an 8-byte random prefix per object, a 4-byte counter),
 * and with the header and a last-segment flag as associated data. Reordering, dropping, truncating at a segment
 * boundary or swapping segments between objects all fail the tag check; a wrong key fails on the first segment.
 *
 * <p>Layout: {@code "JOE1"}, key id length (1 byte) + key id (ASCII), segment size (4 bytes), nonce prefix (8
 * bytes), then the sealed segments (each {@code len + 16} bytes; only the last may be shorter than a full one).
 *
 * <p>The cipher is the native one of {@link AesGcmProvider} where it loads, else the JDK's.
 */
public final class SegmentedAesGcm {
    private static final byte[] MAGIC = "JOE1".getBytes(StandardCharsets.US_ASCII);
    private static final int TAG_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private SegmentedAesGcm() {
    }

    /** A stream that encrypts what is written to it into {@code out}; closing it writes the last segment. */
    public static OutputStream encrypt(OutputStream out, SecretKey key, String keyId, int segmentBytes) throws IOException {
        byte[] prefix = new byte[8];
        RANDOM.nextBytes(prefix);
        byte[] header = header(keyId, segmentBytes, prefix);
        out.write(header);
        return new Encrypting(out, key, header, prefix, segmentBytes);
    }

    /** The key id an encrypted object names, read from its header (the stream is consumed up to the segments). */
    public static InputStream decrypt(InputStream in, Function<String, Optional<SecretKey>> keys) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] magic = new byte[4];
        data.readFully(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IOException("not a jitsi-ops encrypted object (bad magic)");
        }
        int idLength = data.readUnsignedByte();
        byte[] id = new byte[idLength];
        data.readFully(id);
        int segmentBytes = data.readInt();
        if (segmentBytes < 1024 || segmentBytes > (64 << 20)) {
            throw new IOException("bad segment size " + segmentBytes);
        }
        byte[] prefix = new byte[8];
        data.readFully(prefix);
        String keyId = new String(id, StandardCharsets.US_ASCII);
        SecretKey key = keys.apply(keyId).orElseThrow(() -> new WrongKeyException(
                "encrypted with key id " + keyId + ", which is not among the configured keys"));
        return new Decrypting(data, key, keyId, header(keyId, segmentBytes, prefix), prefix, segmentBytes);
    }

    private static byte[] header(String keyId, int segmentBytes, byte[] prefix) {
        byte[] id = keyId.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(4 + 1 + id.length + 4 + 8);
        b.put(MAGIC).put((byte) id.length).put(id).putInt(segmentBytes).put(prefix);
        return b.array();
    }

    private static Cipher cipher(int mode, SecretKey key, byte[] prefix, int index, byte[] header, boolean last)
            throws GeneralSecurityException {
        byte[] nonce = ByteBuffer.allocate(12).put(prefix).putInt(index).array();
        Cipher c = AesGcmProvider.newCipher();
        c.init(mode, key, new GCMParameterSpec(TAG_BYTES * 8, nonce));
        c.updateAAD(header);
        c.updateAAD(new byte[] { (byte) (last ? 1 : 0) });
        return c;
    }

    /** Thrown when an object was encrypted with a key that is not configured, or the key does not open it. */
    public static final class WrongKeyException extends IOException {
        public WrongKeyException(String message) {
            super(message);
        }
    }

    private static final class Encrypting extends FilterOutputStream {
        private final SecretKey key;
        private final byte[] header;
        private final byte[] prefix;
        private final byte[] buffer;
        private int filled;
        private int index;
        private boolean closed;

        Encrypting(OutputStream out, SecretKey key, byte[] header, byte[] prefix, int segmentBytes) {
            super(out);
            this.key = key;
            this.header = header;
            this.prefix = prefix;
            this.buffer = new byte[segmentBytes];
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] { (byte) b }, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (filled == buffer.length) {
                    seal(false); // only now: a full segment is the last one if nothing follows it
                }
                int n = Math.min(len, buffer.length - filled);
                System.arraycopy(b, off, buffer, filled, n);
                filled += n;
                off += n;
                len -= n;
            }
        }

        private void seal(boolean last) throws IOException {
            try {
                byte[] sealed = cipher(Cipher.ENCRYPT_MODE, key, prefix, index, header, last).doFinal(buffer, 0, filled);
                out.write(sealed);
            } catch (GeneralSecurityException e) {
                throw new IOException("encryption failed: " + e.getMessage(), e);
            }
            index++;
            filled = 0;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            seal(true);
            out.close();
        }
    }

    private static final class Decrypting extends InputStream {
        private final DataInputStream in;
        private final SecretKey key;
        private final String keyId;
        private final byte[] header;
        private final byte[] prefix;
        private final byte[] sealed;
        private byte[] plain = new byte[0];
        private int pos;
        private int index;
        private boolean done;
        private int lookahead = -2; // -2: none read yet

        Decrypting(DataInputStream in, SecretKey key, String keyId, byte[] header, byte[] prefix, int segmentBytes) {
            this.in = in;
            this.key = key;
            this.keyId = keyId;
            this.header = header;
            this.prefix = prefix;
            this.sealed = new byte[segmentBytes + TAG_BYTES];
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (pos == plain.length) {
                if (done) {
                    return -1;
                }
                next();
            }
            int n = Math.min(len, plain.length - pos);
            System.arraycopy(plain, pos, b, off, n);
            pos += n;
            return n;
        }

        private void next() throws IOException {
            int filled = 0;
            if (lookahead >= 0) {
                sealed[filled++] = (byte) lookahead;
            }
            while (filled < sealed.length) {
                int n = in.read(sealed, filled, sealed.length - filled);
                if (n < 0) {
                    break;
                }
                filled += n;
            }
            lookahead = filled == sealed.length ? in.read() : -1;
            boolean last = lookahead < 0;
            if (filled < TAG_BYTES) {
                throw new EOFException("encrypted object is truncated (segment " + index + ")");
            }
            try {
                plain = cipher(Cipher.DECRYPT_MODE, key, prefix, index, header, last).doFinal(sealed, 0, filled);
            } catch (javax.crypto.AEADBadTagException e) {
                throw index == 0
                        ? new WrongKeyException("segment 0 does not authenticate with key " + keyId
                                + ": wrong key, or the object is corrupted")
                        : new IOException("segment " + index + " does not authenticate: the object is corrupted or truncated");
            } catch (GeneralSecurityException e) {
                throw new IOException("decryption failed: " + e.getMessage(), e);
            }
            pos = 0;
            index++;
            done = last;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /**
     * Runs {@code rounds} × 200 small segments through encryption and decryption with a throw-away key, so that the
     * JIT compiles the JDK's AES-GCM with its CPU intrinsics (AES-NI, CLMUL) before a backup or a restore needs it.
     * Measured on this project's 2-core machine (JDK 17.0.15): in a fresh JVM AES-GCM runs at about 70 MB/s until C2
     * has compiled the GCM code, which takes thousands of cipher calls, and a backup or restore cuts objects into
     * 1 MiB segments (a few hundred calls); the JFR profile of the benchmark's restore had 164 of 217 CPU samples
     * (76 %) in {@code GHASH.processBlocks} not yet compiled by C2. In an isolated JVM 60 rounds take decryption of
     * 1 MiB segments from 77 MB/s to 2,588 MB/s; inside the service under the benchmark (two cores shared by
     * untar, gunzip, pg_restore and PostgreSQL) the gain was small (stage harness 70 → 90 MB/s, and the restore's
     * profile still had 78 % of its samples in the uncompiled GHASH): it is kept because it never hurts a backup
     * or restore and costs about one core-second per start, on a thread of its own. Answers the milliseconds it
     * took. Every round trip is checked, so a broken provider fails loudly here.
     */
    public static long warmUp(int rounds) throws IOException {
        long t0 = System.nanoTime();
        byte[] keyBytes = new byte[32];
        RANDOM.nextBytes(keyBytes);
        SecretKey key = new javax.crypto.spec.SecretKeySpec(keyBytes, "AES");
        byte[] plain = new byte[200 * 4096];
        RANDOM.nextBytes(plain);
        byte[] back = new byte[plain.length];
        for (int i = 0; i < rounds; i++) {
            ByteArrayOutputStream sealed = new ByteArrayOutputStream(plain.length + 200 * TAG_BYTES + 64);
            try (OutputStream enc = encrypt(sealed, key, "warm-up", 4096)) {
                enc.write(plain);
            }
            try (InputStream dec = decrypt(new java.io.ByteArrayInputStream(sealed.toByteArray()), id -> Optional.of(key))) {
                int n = dec.readNBytes(back, 0, back.length);
                if (n != plain.length || dec.read() != -1 || !Arrays.equals(plain, back)) {
                    throw new IOException("AES-GCM warm-up: a round trip did not give back the plain text");
                }
            }
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** Encrypts a small byte array in one go (tests, manifests of safety snapshots). */
    public static byte[] encryptAll(byte[] plain, SecretKey key, String keyId) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream enc = encrypt(out, key, keyId, 64 * 1024)) {
            enc.write(plain);
        }
        return out.toByteArray();
    }
}
