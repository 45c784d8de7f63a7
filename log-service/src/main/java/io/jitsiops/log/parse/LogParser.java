package io.jitsiops.log.parse;

/**
 * One log format. Lines are first grouped into entries ({@link #startsEntry}: a line that does not start an
 * entry continues the previous one — stack frames, {@code Caused by:}, Lua tracebacks), then each entry is
 * parsed from its first line and its continuation text.
 */
public interface LogParser {

    /** Whether this line begins a new entry; a line that does not continues the entry before it. */
    boolean startsEntry(String line);

    /**
     * @param firstLine    the entry's first line, without its line break
     * @param continuation the following lines joined by {@code \n}, or null when there were none
     * @param truncated    a line was cut at the line cap or the entry at the entry cap
     * @return the parsed entry, or an entry with {@code parsed == false} holding the raw text
     */
    LogEntry parse(String component, String firstLine, String continuation, boolean truncated, long position, long end);

    /** The entry for a first line that matched no known shape: kept raw, counted as unparsed. */
    static LogEntry unparsed(String component, String firstLine, String continuation, boolean truncated, long position,
                             long end) {
        return new LogEntry(component, position, end, false, null, Level.UNKNOWN, null, null, null, null, firstLine,
                continuation, null, null, truncated);
    }
}
