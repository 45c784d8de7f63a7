package io.jitsiops.log.tail;

import io.jitsiops.log.parse.LineSplitter;

/**
 * Unwraps the Kubernetes CRI container log format (kubelet, /var/log/pods/&lt;ns&gt;_&lt;pod&gt;_&lt;uid&gt;/&lt;container&gt;/N.log;
 * see the CRI logging spec, kubernetes/design-proposals "kubelet-cri-logging"): each line is
 * {@code <RFC3339Nano time> <stdout|stderr> <P|F> <content>}, {@code P} marking a partial line that the next
 * lines continue until an {@code F}. The joined content goes on to the format's assembler with the position
 * of its first partial; a joined line is capped like any other.
 */
final class CriLines implements LineSplitter.Sink {
    private final LineSplitter.Sink next;
    private final int maxLineBytes;
    private StringBuilder partial;
    private long partialStart;
    private boolean partialTruncated;

    CriLines(LineSplitter.Sink next, int maxLineBytes) {
        this.next = next;
        this.maxLineBytes = maxLineBytes;
    }

    @Override
    public void line(String text, long start, long end, boolean truncated) {
        int s1 = text.indexOf(' ');
        int s2 = s1 < 0 ? -1 : text.indexOf(' ', s1 + 1);
        if (s2 < 0 || s2 + 2 > text.length() || (text.charAt(s2 + 1) != 'P' && text.charAt(s2 + 1) != 'F')) {
            next.line(text, start, end, truncated); // not CRI-wrapped: passed on as it is (counted unparsed if it is not the format)
            return;
        }
        boolean isPartial = text.charAt(s2 + 1) == 'P';
        String content = s2 + 3 <= text.length() ? text.substring(s2 + 3) : "";
        if (partial == null && !isPartial) {
            next.line(content, start, end, truncated);
            return;
        }
        if (partial == null) {
            partial = new StringBuilder();
            partialStart = start;
            partialTruncated = false;
        }
        if (partial.length() + content.length() <= maxLineBytes) {
            partial.append(content);
        } else {
            partial.append(content, 0, Math.max(0, maxLineBytes - partial.length()));
            partialTruncated = true;
        }
        partialTruncated |= truncated;
        if (!isPartial) {
            String joined = partial.toString();
            partial = null;
            next.line(joined, partialStart, end, partialTruncated);
        }
    }

    /** Start of a partial line waiting for its end, or -1. */
    long pendingStart() {
        return partial == null ? -1 : partialStart;
    }

    void reset() {
        partial = null;
    }
}
