package io.jitsiops.log.parse;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * prosody's file sink, from core/loggingmanager.lua ({@code log_to_file}: {@code os.date("%b %d %H:%M:%S ")},
 * then the source name and a tab — or spaces up to {@code source_width} for the stdout/console sinks — the
 * level, a tab and the message):
 * <pre>Nov 28 21:06:56 mod_bosh	info	New BOSH session, assigned it sid '…'</pre>
 * The time has no year and no offset: the year is the one that puts the line at most a day in the future of
 * the clock, the zone is the one configured for the source. A message can span lines (Lua tracebacks:
 * {@code stack traceback:} and tab-indented frames); those lines continue the entry.
 */
public final class ProsodyLogParser implements LogParser {
    private final LocalTimes times;
    private final Clock clock;

    public ProsodyLogParser(ZoneId zone, Clock clock) {
        this.times = new LocalTimes(zone);
        this.clock = clock;
    }

    @Override
    public boolean startsEntry(String line) {
        return fields(line, hasTimestamp(line) ? 16 : 0) != null;
    }

    private static boolean hasTimestamp(String l) {
        return l.length() > 16 && Chars.month(l, 0) > 0 && Chars.at(l, 3, ' ') && (Chars.digit(l, 4) || Chars.at(l, 4, ' '))
                && Chars.digit(l, 5) && Chars.at(l, 6, ' ') && Chars.digits(l, 7, 2) && Chars.at(l, 9, ':')
                && Chars.digits(l, 10, 2) && Chars.at(l, 12, ':') && Chars.digits(l, 13, 2) && Chars.at(l, 15, ' ');
    }

    /**
     * Finds source and level. File sink: {@code source<TAB>level<TAB>message}. Console/stdout sinks pad the
     * source with spaces instead ({@code source<spaces>level<TAB>message}), and a source can hold a space
     * ({@code <no value>:tls}), so the level is taken as the word right before the first tab first.
     *
     * @return {sourceEnd, levelStart, levelEnd} (levelEnd is the tab before the message), or null
     */
    private static int[] fields(String l, int from) {
        int t1 = l.indexOf('\t', from);
        if (t1 <= from) {
            return null;
        }
        int ls = t1;
        while (ls > from && l.charAt(ls - 1) != ' ' && l.charAt(ls - 1) != '\t') {
            ls--;
        }
        if (ls > from && isLevel(l, ls, t1)) {
            int se = ls;
            while (se > from && l.charAt(se - 1) == ' ') {
                se--;
            }
            return se > from ? new int[] { se, ls, t1 } : null;
        }
        int t2 = l.indexOf('\t', t1 + 1);
        if (t2 > t1 && isLevel(l, t1 + 1, t2)) {
            return new int[] { t1, t1 + 1, t2 };
        }
        return null;
    }

    private static boolean isLevel(String l, int from, int to) {
        return switch (to - from) {
            case 4 -> l.startsWith("info", from) || l.startsWith("warn", from);
            case 5 -> l.startsWith("debug", from) || l.startsWith("error", from);
            default -> false;
        };
    }

    @Override
    public LogEntry parse(String component, String line, String continuation, boolean truncated, long position, long end) {
        boolean ts = hasTimestamp(line);
        int body = ts ? 16 : 0;
        int[] f = fields(line, body);
        if (f == null) {
            return LogParser.unparsed(component, line, continuation, truncated, position, end);
        }
        Instant at = null;
        if (ts) {
            LocalDate today = LocalDate.now(clock.withZone(times.zone()));
            int month = Chars.month(line, 0);
            int day = Chars.at(line, 4, ' ') ? Chars.num(line, 5, 1) : Chars.num(line, 4, 2);
            int year = today.getYear();
            if (month > today.getMonthValue() || (month == today.getMonthValue() && day > today.getDayOfMonth() + 1)) {
                year--; // December's lines read in January
            }
            at = times.of(year, month, day, Chars.num(line, 7, 2), Chars.num(line, 10, 2), Chars.num(line, 13, 2), 0);
        }
        String source = line.substring(body, f[0]);
        String rawLevel = line.substring(f[1], f[2]);
        String message = line.substring(f[2] + 1);
        return new LogEntry(component, position, end, true, at, Level.of(rawLevel), rawLevel, null, null, source,
                message, continuation, null, null, truncated);
    }
}
