package io.jitsiops.log.parse;

import java.util.function.Consumer;

/**
 * Groups lines into entries with the format's {@link LogParser#startsEntry} and parses each entry when the
 * next one starts (or on {@link #flush}). Continuation text beyond {@code maxEntryBytes} is dropped and the
 * entry flagged truncated: a runaway stack trace cannot grow memory without bound. Lines before the first
 * entry start become unparsed entries of their own.
 */
public final class EntryAssembler implements LineSplitter.Sink {
    private final String component;
    private final LogParser parser;
    private final int maxEntryChars;
    private final Consumer<LogEntry> out;

    private String first;
    private StringBuilder continuation;
    private boolean truncated;
    private long start = -1;
    private long end;

    private long entries;
    private long unparsed;
    private long truncatedEntries;

    public EntryAssembler(String component, LogParser parser, int maxEntryBytes, Consumer<LogEntry> out) {
        this.component = component;
        this.parser = parser;
        this.maxEntryChars = maxEntryBytes;
        this.out = out;
    }

    @Override
    public void line(String text, long lineStart, long lineEnd, boolean lineTruncated) {
        if (first != null && !parser.startsEntry(text)) {
            if (continuation == null) {
                continuation = new StringBuilder(256);
            }
            if (first.length() + continuation.length() + text.length() < maxEntryChars) {
                if (continuation.length() > 0) {
                    continuation.append('\n');
                }
                continuation.append(text);
            } else {
                truncated = true;
            }
            truncated |= lineTruncated;
            end = lineEnd;
            return;
        }
        flush();
        first = text;
        truncated = lineTruncated;
        start = lineStart;
        end = lineEnd;
    }

    /** Emits the entry being assembled, if any. */
    public void flush() {
        if (first == null) {
            return;
        }
        String cont = continuation == null || continuation.length() == 0 ? null : continuation.toString();
        LogEntry e = Redaction.apply(parser.parse(component, first, cont, truncated, start, end));
        entries++;
        if (!e.parsed()) {
            unparsed++;
        }
        if (e.truncated()) {
            truncatedEntries++;
        }
        first = null;
        continuation = null;
        truncated = false;
        start = -1;
        out.accept(e);
    }

    /** Position of the entry being assembled (not yet emitted), or -1. */
    public long pendingStart() {
        return start;
    }

    public long entries() {
        return entries;
    }

    public long unparsed() {
        return unparsed;
    }

    public long truncatedEntries() {
        return truncatedEntries;
    }
}
