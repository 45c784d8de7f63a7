package io.jitsiops.backup.service;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import io.jitsiops.backup.crypto.EncryptionKeys;
import io.jitsiops.backup.crypto.SegmentedAesGcm;

/** The stream stages of a stored object: content → (gzip) → AES-256-GCM → SHA-256 and byte count → file. */
public final class Streams {
    /**
     * Restores of independent items (folders, dumps) run side by side on these threads: a few, since each is a
     * CPU-bound pipeline or a pg_restore; daemon threads, so they never hold the JVM at shutdown.
     */
    public static final java.util.concurrent.ExecutorService PARALLEL = java.util.concurrent.Executors.newFixedThreadPool(
            Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
                Thread t = new Thread(r, "backup-restore-item");
                t.setDaemon(true);
                return t;
            });

    private Streams() {
    }

    /** Counts and hashes what passes through (the stored bytes). */
    static final class Measured extends FilterOutputStream {
        private final MessageDigest sha = sha256();
        private long count;

        Measured(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            sha.update((byte) b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            sha.update(b, off, len);
            count += len;
        }

        long count() {
            return count;
        }

        String sha256Hex() {
            return HexFormat.of().formatHex(sha.digest());
        }
    }

    /** Counts what passes through (the plain bytes). */
    static final class Counted extends FilterOutputStream {
        private long count;

        Counted(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        long count() {
            return count;
        }
    }

    /** Writes to both (the second may be null: only the first). Closing closes the first only. */
    static OutputStream tee(OutputStream first, OutputStream second) {
        if (second == null) {
            return first;
        }
        return new FilterOutputStream(first) {
            @Override
            public void write(int b) throws IOException {
                out.write(b);
                second.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                second.write(b, off, len);
            }
        };
    }

    static OutputStream gzip(OutputStream out, int level) throws IOException {
        return new GZIPOutputStream(out, 256 * 1024) {
            {
                def.setLevel(Math.max(Deflater.BEST_SPEED, Math.min(Deflater.BEST_COMPRESSION, level)));
            }
        };
    }

    static InputStream decrypt(InputStream stored, EncryptionKeys keys) throws IOException {
        return SegmentedAesGcm.decrypt(stored, keys::byId);
    }

    /**
     * A stored folder archive as a tar stream, in three stages on their own threads: read and decrypt | gunzip |
     * the caller's untar and writes. Each stage hands 1 MiB chunks to the next, a few ahead.
     */
    public static InputStream tarOf(InputStream stored, EncryptionKeys keys) throws IOException {
        InputStream decrypted = new io.jitsiops.backup.archive.ReadAhead(
                SegmentedAesGcm.decrypt(new java.io.BufferedInputStream(stored, 1 << 20), keys::byId), 1 << 20, 4);
        return new io.jitsiops.backup.archive.ReadAhead(new GZIPInputStream(decrypted, 1 << 20), 1 << 20, 4);
    }

    /** Reads a stream to its end, answering its SHA-256 and length. */
    static String[] digest(InputStream in) throws IOException {
        MessageDigest sha = sha256();
        byte[] buffer = new byte[256 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            sha.update(buffer, 0, n);
            total += n;
        }
        return new String[] { HexFormat.of().formatHex(sha.digest()), String.valueOf(total) };
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
