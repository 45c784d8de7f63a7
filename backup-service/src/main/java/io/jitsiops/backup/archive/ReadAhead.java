package io.jitsiops.backup.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads a stream on a thread of its own, a few chunks ahead of the reader: the stages before it (S3 read,
 * AES-GCM decryption, gunzip) run on one core while the reader (untar, file writes) runs on another, instead of one
 * thread doing all of it in turn. Bounded: at most {@code depth} chunks wait, so memory stays {@code depth × chunk}.
 *
 * <p>Hand-written because the JDK's PipedInputStream lets a writer with a full pipe sleep up to a second before it
 * looks again (it polls with {@code wait(1000)}, and a reader does not notify after each read), which stalls a
 * pipeline; a blocking queue of chunks hands over at once. Errors of the producer reach the reader as they were.
 */
public final class ReadAhead extends InputStream {
    private static final byte[] END = new byte[0];
    private final BlockingQueue<Object> chunks;
    private final InputStream source;
    private final Thread producer;
    private byte[] current = new byte[0];
    private int pos;
    private boolean ended;
    private volatile boolean closed;

    public ReadAhead(InputStream source, int chunkBytes, int depth) {
        this.source = source;
        this.chunks = new ArrayBlockingQueue<>(depth);
        this.producer = new Thread(() -> produce(chunkBytes), "backup-read-ahead");
        producer.setDaemon(true);
        producer.start();
    }

    private void produce(int chunkBytes) {
        try {
            while (!closed) {
                byte[] chunk = new byte[chunkBytes];
                int filled = 0;
                int n = 0;
                Exception failure = null;
                try {
                    while (filled < chunk.length && (n = source.read(chunk, filled, chunk.length - filled)) > 0) {
                        filled += n;
                    }
                } catch (IOException | RuntimeException e) {
                    failure = e; // the bytes read before it are handed over first
                }
                if (filled > 0) {
                    put(filled == chunk.length ? chunk : java.util.Arrays.copyOf(chunk, filled));
                }
                if (failure != null) {
                    put(failure);
                    return;
                }
                if (n < 0) {
                    put(END);
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void put(Object item) throws InterruptedException {
        while (!closed && !chunks.offer(item, 100, TimeUnit.MILLISECONDS)) {
            // the reader is behind: wait, unless it closed the stream
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (pos == current.length) {
            if (ended) {
                return -1;
            }
            Object next;
            try {
                next = chunks.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading ahead");
            }
            if (next instanceof IOException e) {
                ended = true;
                throw e;
            }
            if (next instanceof RuntimeException e) {
                ended = true;
                throw e;
            }
            current = (byte[]) next;
            pos = 0;
            if (current == END) {
                ended = true;
                return -1;
            }
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        producer.interrupt();
        chunks.clear();
        source.close();
    }
}
