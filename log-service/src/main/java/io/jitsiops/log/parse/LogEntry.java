package io.jitsiops.log.parse;

import java.time.Instant;
import java.util.Map;

/**
 * One log entry: a first line and the continuation lines merged into it (stack traces, tracebacks).
 * When the first line matched no known shape, {@code parsed} is false, {@code message} holds the raw text
 * and the other fields are null: the entry is counted and kept, never dropped.
 *
 * @param position    byte offset of the entry's first line in its file (0 for pasted text)
 * @param end         byte offset just after the entry's last line
 * @param thread      the thread id (jicofo/JVB) or connection/process id (nginx error log)
 * @param context     jitsi-utils log context (confId, conf_name, meeting_id, epId, stats_id…)
 * @param logger      the class (JVB/jicofo), prosody's source (mod_bosh, c2s…), or null
 * @param stackTrace  the continuation lines as written, or null
 * @param exception   the parsed Java exception, or null
 * @param fields      format-specific fields (nginx access: client, method, path, status, bytes, referrer,
 *                    agent, request_time; nginx error: client, server, request, upstream, host)
 * @param truncated   a line was longer than the line cap, or the entry longer than the entry cap
 */
public record LogEntry(
        String component,
        long position,
        long end,
        boolean parsed,
        Instant timestamp,
        Level level,
        String rawLevel,
        String thread,
        Map<String, String> context,
        String logger,
        String message,
        String stackTrace,
        ExceptionInfo exception,
        Map<String, String> fields,
        boolean truncated) {

    public LogEntry {
        context = context == null ? Map.of() : context;
        fields = fields == null ? Map.of() : fields;
    }

    /** The text the category rules look at: the message, then the stack trace when there is one. */
    public String searchableText() {
        return stackTrace == null ? message : message + "\n" + stackTrace;
    }

    public LogEntry at(long position, long end) {
        return new LogEntry(component, position, end, parsed, timestamp, level, rawLevel, thread, context, logger,
                message, stackTrace, exception, fields, truncated);
    }
}
