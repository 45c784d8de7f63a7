package io.jitsiops.log.parse;

import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * jicofo and jitsi-videobridge logs. Current shape, from jitsi-utils' {@code org.jitsi.utils.logging2.JitsiLogFormatter}
 * (jitsi/jitsi-utils, src/main/java/org/jitsi/utils/logging2/JitsiLogFormatter.java) with the context of
 * {@code LogContext} ({@code [k=v k=v]}, e.g. {@code [confId=… conf_name=… meeting_id=… epId=… stats_id=…]}):
 * <pre>JVB 2026-11-28 21:06:56.123 INFO: [31] [confId=1a2b conf_name=room@conference.meet.jitsi] Conference.&lt;init&gt;#211: message</pre>
 * the program name ({@code JVB}, {@code Jicofo}) is optional ({@code .programname} property), the time is the
 * JVM's local time without offset, the level is {@code Level.getLocalizedName()}; a thrown exception follows
 * on the next lines as {@code printStackTrace} writes it.
 * <p>
 * The 2017–2018 shape, from Jitsi's {@code net.java.sip.communicator.util.ScLogFormatter}
 * (jitsi/jitsi, src/net/java/sip/communicator/util/ScLogFormatter.java), used by JVB and jicofo then:
 * <pre>JVB 2018-03-01 10:00:00.123 INFO: [45] org.jitsi.videobridge.Videobridge.createConference().342 message</pre>
 * (full logger name, {@code method().line}, no colon after the location).
 */
public final class JitsiLogParser implements LogParser {
    private final LocalTimes times;
    /**
     * The context keys of the entry before, by place: a log repeats the same few keys (confId, conf_name, meeting_id,
     * epId, stats_id) in the same order, so a key equal to the one in its place before is that String again (its hash
     * already computed for the map, and {@code EntryRecords}' by-place comparison of key names an identity check)
     * instead of a fresh substring hashed again. In the bench's profile the context map's puts were about 6 % of the
     * service's samples. A parser serves one source on one thread (as its {@link LocalTimes} does).
     */
    private final String[] lastKeys = new String[16];

    public JitsiLogParser(ZoneId zone) {
        this.times = new LocalTimes(zone);
    }

    @Override
    public boolean startsEntry(String line) {
        return timestampAt(line) >= 0;
    }

    /** Where the {@code yyyy-MM-dd HH:mm:ss.SSS} timestamp starts (after an optional program name), or -1. */
    private static int timestampAt(String line) {
        int t = 0;
        if (!Chars.digit(line, 0)) {
            int sp = line.indexOf(' ');
            if (sp <= 0 || sp > 32) {
                return -1;
            }
            t = sp + 1;
        }
        if (line.length() < t + 24) {
            return -1;
        }
        if (Chars.digits(line, t, 4) && Chars.at(line, t + 4, '-') && Chars.digits(line, t + 5, 2)
                && Chars.at(line, t + 7, '-') && Chars.digits(line, t + 8, 2) && Chars.at(line, t + 10, ' ')
                && Chars.digits(line, t + 11, 2) && Chars.at(line, t + 13, ':') && Chars.digits(line, t + 14, 2)
                && Chars.at(line, t + 16, ':') && Chars.digits(line, t + 17, 2) && Chars.at(line, t + 19, '.')
                && Chars.digits(line, t + 20, 3) && Chars.at(line, t + 23, ' ')) {
            return t;
        }
        return -1;
    }

    @Override
    public LogEntry parse(String component, String line, String continuation, boolean truncated, long position, long end) {
        int t = timestampAt(line);
        if (t < 0) {
            return LogParser.unparsed(component, line, continuation, truncated, position, end);
        }
        Instant at = times.of(Chars.num(line, t, 4), Chars.num(line, t + 5, 2), Chars.num(line, t + 8, 2),
                Chars.num(line, t + 11, 2), Chars.num(line, t + 14, 2), Chars.num(line, t + 17, 2),
                Chars.num(line, t + 20, 3));
        int levelStart = t + 24;
        int levelEnd = line.indexOf(": [", levelStart);
        if (levelEnd < 0) {
            return LogParser.unparsed(component, line, continuation, truncated, position, end);
        }
        String rawLevel = line.substring(levelStart, levelEnd);
        int tidStart = levelEnd + 3;
        int tidEnd = line.indexOf("] ", tidStart);
        if (tidEnd < 0) {
            return LogParser.unparsed(component, line, continuation, truncated, position, end);
        }
        String thread = line.substring(tidStart, tidEnd);
        int p = tidEnd + 2;
        Map<String, String> context = null;
        if (Chars.at(line, p, '[')) {
            int close = line.indexOf("] ", p);
            if (close > 0) {
                context = context(line, p + 1, close);
                p = close + 2;
            }
        }
        int sp = line.indexOf(' ', p);
        String location = sp < 0 ? line.substring(p) : line.substring(p, sp);
        String message = sp < 0 ? "" : line.substring(sp + 1);
        String logger;
        if (location.endsWith(":")) {
            // JitsiLogFormatter: Class.method#line: (short class name; "Class:" when the method is unknown)
            String loc = location.substring(0, location.length() - 1);
            int hash = loc.indexOf('#');
            String classAndMethod = hash < 0 ? loc : loc.substring(0, hash);
            int dot = classAndMethod.lastIndexOf('.');
            logger = dot < 0 ? classAndMethod : classAndMethod.substring(0, dot);
        } else {
            // ScLogFormatter: full.logger.Name.method().line
            int paren = location.indexOf("()");
            String classAndMethod = paren < 0 ? location : location.substring(0, paren);
            int dot = classAndMethod.lastIndexOf('.');
            logger = paren < 0 || dot < 0 ? classAndMethod : classAndMethod.substring(0, dot);
        }
        ExceptionInfo exception = continuation == null ? null : JavaStackTraces.parse(continuation);
        return new LogEntry(component, position, end, true, at, Level.of(rawLevel), rawLevel, thread, context, logger,
                message, continuation, exception, null, truncated);
    }

    /** {@code k=v k=v}: values hold no spaces in LogContext's output (ids, JIDs, names with escapes). */
    private Map<String, String> context(String line, int from, int to) {
        Map<String, String> m = new LinkedHashMap<>();
        int i = from;
        int place = 0;
        while (i < to) {
            int sp = line.indexOf(' ', i);
            if (sp < 0 || sp > to) {
                sp = to;
            }
            int eq = line.indexOf('=', i);
            if (eq > 0 && eq < sp) {
                m.put(key(line, i, eq, place++), line.substring(eq + 1, sp));
            } else if (!m.isEmpty()) {
                // a value with a space (a conference name can have one): belongs to the previous key
                String last = null;
                for (String k : m.keySet()) {
                    last = k;
                }
                m.put(last, m.get(last) + " " + line.substring(i, sp));
            }
            i = sp + 1;
        }
        return m;
    }

    /** The key {@code line[from, to)}: the same String as the key in this place of the entry before when equal. */
    private String key(String line, int from, int to, int place) {
        if (place >= lastKeys.length) {
            return line.substring(from, to);
        }
        String last = lastKeys[place];
        if (last != null && last.length() == to - from && line.startsWith(last, from)) {
            return last;
        }
        String k = line.substring(from, to);
        lastKeys[place] = k;
        return k;
    }
}
