package io.jitsiops.log.parse;

import java.nio.charset.StandardCharsets;

/**
 * Cuts bytes read from a file into lines, keeping each line's byte position. A line longer than the cap keeps
 * its first {@code maxLineBytes} bytes and is flagged truncated; the rest is skipped up to its line break, so
 * memory stays bounded whatever the file holds. Bytes are decoded as UTF-8 with invalid sequences replaced
 * (U+FFFD), never an error. A trailing {@code \r} (CRLF) is dropped.
 * <p>
 * {@link #feed} returns how many bytes it consumed: an incomplete last line is left for the next read (it is
 * re-read from the file then), except while skipping the tail of an over-long line.
 */
public final class LineSplitter {
    /** Receives each complete line. */
    public interface Sink {
        void line(String text, long start, long end, boolean truncated);
    }

    private final int maxLineBytes;
    private final Sink sink;
    private byte[] overlong;      // the kept head of an over-long line being skipped, or null
    private long overlongStart;

    public LineSplitter(int maxLineBytes, Sink sink) {
        this.maxLineBytes = maxLineBytes;
        this.sink = sink;
    }

    /**
     * @param position the file position of {@code buf[off]}
     * @return bytes consumed from {@code off}
     */
    public int feed(byte[] buf, int off, int len, long position) {
        int i = off;
        int limit = off + len;
        if (overlong != null) {
            int nl = indexOf(buf, i, limit);
            if (nl < 0) {
                return len; // still inside the over-long line: skip
            }
            sink.line(decode(overlong, 0, overlong.length), overlongStart, position + (nl + 1 - off), true);
            overlong = null;
            i = nl + 1;
        }
        while (i < limit) {
            int nl = indexOf(buf, i, limit);
            if (nl < 0) {
                int rest = limit - i;
                if (rest > maxLineBytes) {
                    overlong = java.util.Arrays.copyOfRange(buf, i, i + maxLineBytes);
                    overlongStart = position + (i - off);
                    return len;
                }
                return i - off;
            }
            long start = position + (i - off);
            int lineLen = nl - i;
            if (lineLen > 0 && buf[nl - 1] == '\r') {
                lineLen--;
            }
            boolean truncated = lineLen > maxLineBytes;
            sink.line(decode(buf, i, truncated ? maxLineBytes : lineLen), start, position + (nl + 1 - off), truncated);
            i = nl + 1;
        }
        return i - off;
    }

    /** Start of the over-long line being skipped, or -1. */
    public long pendingLineStart() {
        return overlong == null ? -1 : overlongStart;
    }

    /** Whether an over-long line is being skipped (its head waits for the line break). */
    public boolean skipping() {
        return overlong != null;
    }

    /** Forgets any state: the next feed starts at a line start. */
    public void reset() {
        overlong = null;
    }

    private static int indexOf(byte[] buf, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buf[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static String decode(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.UTF_8);
    }
}
