package io.jitsiops.log.tail;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * A read-only, positional view of the uncompressed bytes of a gzip file (logrotate's {@code compress}), so that
 * the tailer reads a rotated {@code name.1.gz} with the same positions, fingerprints and steps as a plain file.
 * <p>
 * Why a channel of our own: the tailer addresses bytes by position ({@code read(buffer, position)}), which
 * {@link GZIPInputStream} (java.util.zip, the decompressor used) cannot do. A gzip file does not change once
 * written, so reading forward is all it needs: the bytes last returned are kept, so the step after one that
 * ended in the middle of a line (it reads again from that line's start) continues without decompressing
 * again; a read before them (a failed step going back to its cursor, a fingerprint of the first bytes)
 * decompresses again from the start. Blocking I/O: only the tailer's worker threads use it.
 * <p>
 * The compressed file is opened once and every pass (a read going back, the size) decompresses from that open
 * descriptor, never by its name again: logrotate renames {@code name.2.gz -> name.3.gz} at its next run, and a
 * pass opened by name meanwhile would read another generation under this file's identity.
 */
final class GzipFileChannel extends FileChannel {
    /** The compressed file, as opened: read positionally, so that each pass has its own position. */
    private final FileChannel file;
    private InputStream in;
    /** Uncompressed bytes consumed from {@link #in}. */
    private long streamPos;
    /** The bytes last returned, [windowStart, windowStart + windowLength): equal to what ends at streamPos. */
    private byte[] window = new byte[0];
    private long windowStart;
    private int windowLength;
    private long size = -1;
    private long position;

    private GzipFileChannel(FileChannel file) {
        this.file = file;
    }

    /** Whether {@code p} is read through gzip (its name ends in {@code .gz}). */
    static boolean isGzip(Path p) {
        return p.getFileName().toString().endsWith(".gz");
    }

    /** A read channel of the file's log text: uncompressed for a {@code .gz}, else the file itself. */
    static FileChannel open(Path p) throws IOException {
        if (isGzip(p)) {
            FileChannel file = FileChannel.open(p, java.nio.file.StandardOpenOption.READ);
            GzipFileChannel ch = new GzipFileChannel(file);
            try {
                ch.reopen(); // fails now (ZipException) rather than at the first read
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
            return ch;
        }
        return FileChannel.open(p, java.nio.file.StandardOpenOption.READ);
    }

    /** The size of the file's log text (uncompressed for a {@code .gz}). */
    static long contentSize(Path p) throws IOException {
        if (!isGzip(p)) {
            return Files.size(p);
        }
        try (FileChannel ch = open(p)) {
            return ch.size();
        }
    }

    private void reopen() throws IOException {
        if (in != null) {
            in.close();
        }
        in = pass();
        streamPos = 0;
        windowStart = 0;
        windowLength = 0;
    }

    @Override
    public int read(ByteBuffer dst, long at) throws IOException {
        ensureOpen();
        if (at < 0) {
            throw new IllegalArgumentException("negative position");
        }
        if (!dst.hasRemaining()) {
            return 0;
        }
        if (at < windowStart) {
            reopen();
        }
        if (at > streamPos) {
            skip(at - streamPos);
            if (streamPos < at) {
                size = streamPos;
                return -1;
            }
            windowStart = streamPos;
            windowLength = 0;
        }
        int want = dst.remaining();
        byte[] out = new byte[want];
        int filled = 0;
        int fromWindow = (int) Math.min(want, windowStart + windowLength - at);
        if (fromWindow > 0) {
            System.arraycopy(window, (int) (at - windowStart), out, 0, fromWindow);
            filled = fromWindow;
        }
        while (filled < want) {
            int n = in.read(out, filled, want - filled);
            if (n < 0) {
                size = streamPos;
                break;
            }
            filled += n;
            streamPos += n;
        }
        if (filled == 0) {
            return -1;
        }
        window = out;
        windowStart = at;
        windowLength = filled;
        dst.put(out, 0, filled);
        return filled;
    }

    /** A decompressing pass over the open file from its first byte. */
    private InputStream pass() throws IOException {
        return new GZIPInputStream(new BufferedInputStream(new FromOpenFile(file), 64 * 1024), 64 * 1024);
    }

    /**
     * The open file's bytes from 0, read positionally: passes do not share a position, and closing one leaves the
     * file open (java.nio's {@code Channels.newInputStream} would close the channel with the stream).
     */
    private static final class FromOpenFile extends InputStream {
        private final FileChannel file;
        private long at;

        FromOpenFile(FileChannel file) {
            this.file = file;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            int n = file.read(ByteBuffer.wrap(b, off, len), at);
            if (n > 0) {
                at += n;
            }
            return n;
        }
    }

    private void skip(long n) throws IOException {
        byte[] discard = new byte[(int) Math.min(n, 64 * 1024)];
        while (n > 0) {
            int r = in.read(discard, 0, (int) Math.min(n, discard.length));
            if (r < 0) {
                return;
            }
            n -= r;
            streamPos += r;
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int n = read(dst, position);
        if (n > 0) {
            position += n;
        }
        return n;
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            int n = read(dsts[i]);
            if (n < 0) {
                return total == 0 ? -1 : total;
            }
            total += n;
            if (dsts[i].hasRemaining()) {
                break;
            }
        }
        return total;
    }

    /** The uncompressed size: known once the end was read; otherwise counted by a pass of its own (once). */
    @Override
    public long size() throws IOException {
        ensureOpen();
        if (size < 0) {
            try (InputStream counting = pass()) {
                byte[] b = new byte[64 * 1024];
                long total = 0;
                for (int n; (n = counting.read(b)) >= 0; ) {
                    total += n;
                }
                size = total;
            }
        }
        return size;
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public FileChannel position(long newPosition) {
        position = newPosition;
        return this;
    }

    private void ensureOpen() throws IOException {
        if (!isOpen()) {
            throw new java.nio.channels.ClosedChannelException();
        }
    }

    @Override
    protected void implCloseChannel() throws IOException {
        try {
            if (in != null) {
                in.close();
            }
        } finally {
            file.close();
        }
        window = new byte[0];
    }

    @Override
    public int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) {
        throw new NonWritableChannelException();
    }

    @Override
    public int write(ByteBuffer src, long at) {
        throw new NonWritableChannelException();
    }

    @Override
    public FileChannel truncate(long s) {
        throw new NonWritableChannelException();
    }

    @Override
    public void force(boolean metaData) {
        // nothing is ever written
    }

    @Override
    public long transferTo(long at, long count, WritableByteChannel target) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) Math.min(count, 64 * 1024));
        long done = 0;
        while (done < count) {
            b.clear();
            b.limit((int) Math.min(b.capacity(), count - done));
            int n = read(b, at + done);
            if (n <= 0) {
                break;
            }
            b.flip();
            while (b.hasRemaining()) {
                target.write(b);
            }
            done += n;
        }
        return done;
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long at, long count) {
        throw new NonWritableChannelException();
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long at, long s) {
        throw new UnsupportedOperationException("a gzip file's text cannot be mapped");
    }

    @Override
    public FileLock lock(long at, long s, boolean shared) {
        throw new UnsupportedOperationException("a gzip file's text is a read-only view: there is nothing to lock");
    }

    @Override
    public FileLock tryLock(long at, long s, boolean shared) {
        throw new UnsupportedOperationException("a gzip file's text is a read-only view: there is nothing to lock");
    }
}
