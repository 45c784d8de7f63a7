package io.jitsiops.sim.service;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The line formats of the real components' log files:
 * <ul>
 * <li>prosody (file sink of its loggingmanager): {@code Nov 28 21:06:56 mod_bosh<TAB>info<TAB>message};</li>
 * <li>jicofo and jitsi-videobridge (jitsi-utils' JitsiLogFormatter):
 * {@code Jicofo 2026-11-28 21:06:56.123 INFO: [31] Class.method#line: message}, a Java stack trace on the
 * following lines;</li>
 * <li>nginx access log, the "combined" format.</li>
 * </ul>
 */
public final class LogFormats {
    private static final DateTimeFormatter PROSODY = DateTimeFormatter.ofPattern("MMM dd HH:mm:ss", Locale.ENGLISH);
    private static final DateTimeFormatter JITSI = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ENGLISH);
    private static final DateTimeFormatter NGINX = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);

    private LogFormats() {
    }

    public static String prosody(ZonedDateTime at, String source, String level, String message) {
        return PROSODY.format(at) + " " + source + "\t" + level + "\t" + message + "\n";
    }

    /** @param prefix {@code Jicofo} or {@code JVB} */
    public static String jitsi(String prefix, ZonedDateTime at, String level, int thread, String location,
                               String message, String stackTrace) {
        return prefix + " " + JITSI.format(at) + " " + level + ": [" + thread + "] " + location + ": " + message + "\n"
                + (stackTrace == null ? "" : stackTrace);
    }

    public static String nginxAccess(ZonedDateTime at, String client, String request, int status, long bytes,
                                     String referer, String userAgent) {
        return client + " - - [" + NGINX.format(at) + "] \"" + request + "\" " + status + " " + bytes + " \""
                + referer + "\" \"" + userAgent + "\"\n";
    }

    public static ZonedDateTime now() {
        return ZonedDateTime.now(ZoneOffset.UTC);
    }
}
