package io.jitsiops.log.parse;

import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * nginx error log, as src/core/ngx_log.c writes it ({@code ngx_log_error_core}: the cached error-log time
 * {@code yyyy/MM/dd HH:mm:ss}, {@code [level]}, {@code pid#tid: }, {@code *connection } when there is one,
 * the message, then the request's context from ngx_http_log_error: {@code , client: …, server: …,
 * request: "…", upstream: "…", host: "…"}):
 * <pre>2026/11/28 21:06:56 [error] 1234#1234: *5 connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.9, server: meet.jitsi, request: "POST /http-bind HTTP/1.1", upstream: "http://127.0.0.1:5280/http-bind", host: "meet.jitsi"</pre>
 * The time is local, without offset: the zone is configured per source.
 */
public final class NginxErrorLogParser implements LogParser {
    private static final String[] CONTEXT_KEYS = { "client", "server", "request", "subrequest", "upstream", "host", "referrer" };
    private final LocalTimes times;

    public NginxErrorLogParser(ZoneId zone) {
        this.times = new LocalTimes(zone);
    }

    @Override
    public boolean startsEntry(String line) {
        return header(line);
    }

    private static boolean header(String l) {
        return Chars.digits(l, 0, 4) && Chars.at(l, 4, '/') && Chars.digits(l, 5, 2) && Chars.at(l, 7, '/')
                && Chars.digits(l, 8, 2) && Chars.at(l, 10, ' ') && Chars.digits(l, 11, 2) && Chars.at(l, 13, ':')
                && Chars.digits(l, 14, 2) && Chars.at(l, 16, ':') && Chars.digits(l, 17, 2) && Chars.at(l, 19, ' ')
                && Chars.at(l, 20, '[');
    }

    @Override
    public LogEntry parse(String component, String line, String continuation, boolean truncated, long position, long end) {
        int close = header(line) ? line.indexOf("] ", 21) : -1;
        if (close < 0) {
            return LogParser.unparsed(component, line, continuation, truncated, position, end);
        }
        Instant at = times.of(Chars.num(line, 0, 4), Chars.num(line, 5, 2), Chars.num(line, 8, 2), Chars.num(line, 11, 2),
                Chars.num(line, 14, 2), Chars.num(line, 17, 2), 0);
        String rawLevel = line.substring(21, close);
        int p = close + 2;
        String thread = null;
        int colon = line.indexOf(": ", p);
        if (colon > p && line.substring(p, colon).matches("\\d+#\\d+")) {
            thread = line.substring(p, colon);
            p = colon + 2;
        }
        Map<String, String> f = new LinkedHashMap<>();
        if (Chars.at(line, p, '*')) {
            int sp = line.indexOf(' ', p);
            if (sp > 0) {
                f.put("connection", line.substring(p + 1, sp));
                p = sp + 1;
            }
        }
        String message = line.substring(p);
        int ctx = message.indexOf(", client: ");
        if (ctx >= 0) {
            String context = message.substring(ctx + 2);
            message = message.substring(0, ctx);
            for (String part : splitContext(context)) {
                int c = part.indexOf(": ");
                if (c > 0) {
                    String k = part.substring(0, c);
                    String v = part.substring(c + 2);
                    if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                        v = v.substring(1, v.length() - 1);
                    }
                    f.put(k, v);
                }
            }
        }
        return new LogEntry(component, position, end, true, at, Level.of(rawLevel), rawLevel, thread, null, null, message,
                continuation, null, f, truncated);
    }

    /** Splits {@code client: a, server: b, request: "GET /a, b HTTP/1.1"} at the known keys only. */
    private static java.util.List<String> splitContext(String s) {
        java.util.List<String> parts = new java.util.ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < s.length()) {
            int next = -1;
            for (String k : CONTEXT_KEYS) {
                int at = s.indexOf(", " + k + ": ", i);
                if (at >= 0 && (next < 0 || at < next)) {
                    next = at;
                }
            }
            if (next < 0) {
                break;
            }
            parts.add(s.substring(start, next));
            start = next + 2;
            i = start;
        }
        parts.add(s.substring(start));
        return parts;
    }
}
