package io.jitsiops.log.parse;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * nginx access log in the predefined {@code combined} format (ngx_http_log_module documentation,
 * https://nginx.org/en/docs/http/ngx_http_log_module.html#log_format):
 * <pre>$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"</pre>
 * {@code $time_local} carries its offset ({@code 28/Nov/2026:21:06:56 +0000}); quotes inside values are written
 * {@code \x22} by nginx, so a value ends at the next quote. Fields appended after the agent are accepted:
 * a bare number or {@code rt=…}/{@code request_time=…} is taken as the request time in seconds.
 * Level: 5xx → ERROR, 4xx → WARN, other → INFO.
 */
public final class NginxAccessLogParser implements LogParser {
    private long cachedMinuteKey = Long.MIN_VALUE;
    private long cachedEpochSecond;

    @Override
    public boolean startsEntry(String line) {
        return true;
    }

    @Override
    public LogEntry parse(String component, String line, String continuation, boolean truncated, long position, long end) {
        int sp1 = line.indexOf(' ');
        int open = line.indexOf(" [", Math.max(sp1, 0));
        int close = open < 0 ? -1 : line.indexOf("] \"", open);
        if (sp1 <= 0 || open < 0 || close < 0 || close - open - 2 != 26) {
            return LogParser.unparsed(component, line, continuation, truncated, position, end);
        }
        String client = line.substring(0, sp1);
        String user = line.substring(sp1 + 3 <= open ? sp1 + 3 : open, open);
        Instant at = time(line, open + 2);
        int reqStart = close + 3;
        int reqEnd = line.indexOf('"', reqStart);
        if (reqEnd < 0 || at == null) {
            return LogParser.unparsed(component, line, continuation, truncated, position, end);
        }
        String request = line.substring(reqStart, reqEnd);
        int p = reqEnd + 2;
        int sp = line.indexOf(' ', p);
        if (sp < 0) {
            return LogParser.unparsed(component, line, continuation, truncated, position, end);
        }
        String status = line.substring(p, sp);
        int sp2 = line.indexOf(' ', sp + 1);
        String bytes = sp2 < 0 ? line.substring(sp + 1) : line.substring(sp + 1, sp2);
        if (status.length() != 3 || !Chars.digits(status, 0, 3)) {
            return LogParser.unparsed(component, line, continuation, truncated, position, end);
        }
        Map<String, String> f = new LinkedHashMap<>();
        f.put("client", client);
        if (!user.isEmpty() && !"-".equals(user)) {
            f.put("user", user);
        }
        int m = request.indexOf(' ');
        int v = request.lastIndexOf(' ');
        if (m > 0 && v > m) {
            f.put("method", request.substring(0, m));
            f.put("path", request.substring(m + 1, v));
            f.put("protocol", request.substring(v + 1));
        }
        f.put("request", request);
        f.put("status", status);
        f.put("bytes", bytes);
        if (sp2 > 0) {
            String rest = line.substring(sp2 + 1);
            String referrer = quoted(rest, 0);
            if (referrer != null) {
                f.put("referrer", referrer);
                int after = referrer.length() + 3;
                String agent = quoted(rest, after);
                if (agent != null) {
                    f.put("agent", agent);
                    String tail = rest.substring(Math.min(rest.length(), after + agent.length() + 2)).trim();
                    requestTime(tail, f);
                }
            }
        }
        char s0 = status.charAt(0);
        Level level = s0 == '5' ? Level.ERROR : s0 == '4' ? Level.WARN : Level.INFO;
        return new LogEntry(component, position, end, true, at, level, status, null, null, null, request, continuation,
                null, f, truncated);
    }

    private static String quoted(String s, int at) {
        if (!Chars.at(s, at, '"')) {
            return null;
        }
        int close = s.indexOf('"', at + 1);
        return close < 0 ? null : s.substring(at + 1, close);
    }

    private static void requestTime(String tail, Map<String, String> f) {
        for (String token : tail.split(" ")) {
            String t = token.startsWith("rt=") ? token.substring(3)
                    : token.startsWith("request_time=") ? token.substring(13) : token;
            if (!t.isEmpty() && (Chars.digit(t, 0)) && t.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
                f.put("request_time", t);
                return;
            }
        }
    }

    /** {@code 28/Nov/2026:21:06:56 +0000}. */
    private Instant time(String l, int i) {
        if (!(Chars.digits(l, i, 2) && Chars.at(l, i + 2, '/') && Chars.month(l, i + 3) > 0 && Chars.at(l, i + 6, '/')
                && Chars.digits(l, i + 7, 4) && Chars.at(l, i + 11, ':') && Chars.digits(l, i + 12, 2)
                && Chars.at(l, i + 14, ':') && Chars.digits(l, i + 15, 2) && Chars.at(l, i + 17, ':')
                && Chars.digits(l, i + 18, 2) && Chars.at(l, i + 20, ' ') && (Chars.at(l, i + 21, '+') || Chars.at(l, i + 21, '-'))
                && Chars.digits(l, i + 22, 4))) {
            return null;
        }
        int year = Chars.num(l, i + 7, 4);
        int month = Chars.month(l, i + 3);
        int day = Chars.num(l, i + 0, 2);
        int hour = Chars.num(l, i + 12, 2);
        int minute = Chars.num(l, i + 15, 2);
        int sign = l.charAt(i + 21) == '-' ? -1 : 1;
        int offsetSeconds = sign * (Chars.num(l, i + 22, 2) * 3600 + Chars.num(l, i + 24, 2) * 60);
        long key = ((((long) year * 13 + month) * 32 + day) * 24 + hour) * 60 + minute + offsetSeconds * 1_000_000_000L;
        if (key != cachedMinuteKey) {
            try {
                cachedEpochSecond = java.time.LocalDateTime.of(year, month, day, hour, minute)
                        .toEpochSecond(ZoneOffset.ofTotalSeconds(offsetSeconds));
            } catch (java.time.DateTimeException e) {
                return null;
            }
            cachedMinuteKey = key;
        }
        return Instant.ofEpochSecond(cachedEpochSecond + Chars.num(l, i + 18, 2));
    }
}
