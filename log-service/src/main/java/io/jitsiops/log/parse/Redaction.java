package io.jitsiops.log.parse;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Keeps secrets that components write into their logs out of what this service stores, ships and answers:
 * JWTs (Jitsi room tokens in nginx's {@code ?jwt=…} query strings, tokens quoted in prosody's and jicofo's
 * messages) and the values of {@code jwt}, {@code token}, {@code access_token}, {@code password} and
 * {@code secret} parameters. A cheap literal check runs first: most lines hold none.
 */
public final class Redaction {
    public static final String REDACTED = "<redacted>";
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*");
    private static final Pattern PARAM = Pattern.compile("(?i)\\b(jwt|token|access_token|id_token|password|passwd|secret)=([^&\\s\"]+)");

    private Redaction() {
    }

    static boolean suspicious(String s) {
        if (s == null) {
            return false;
        }
        return s.contains("eyJ") || s.contains("=") && (s.contains("jwt") || s.contains("token") || s.contains("assw")
                || s.contains("secret") || s.contains("JWT") || s.contains("TOKEN") || s.contains("SECRET"));
    }

    public static String redact(String s) {
        if (!suspicious(s)) {
            return s;
        }
        String r = JWT.matcher(s).replaceAll(REDACTED);
        return PARAM.matcher(r).replaceAll("$1=" + REDACTED);
    }

    /** The entry with its message, continuation and fields redacted (the same entry when nothing was found). */
    public static LogEntry apply(LogEntry e) {
        boolean any = suspicious(e.message()) || suspicious(e.stackTrace());
        for (String v : e.fields().values()) {
            any |= suspicious(v);
        }
        if (!any) {
            return e;
        }
        Map<String, String> fields = e.fields();
        if (!fields.isEmpty()) {
            fields = new LinkedHashMap<>();
            for (Map.Entry<String, String> f : e.fields().entrySet()) {
                fields.put(f.getKey(), redact(f.getValue()));
            }
        }
        return new LogEntry(e.component(), e.position(), e.end(), e.parsed(), e.timestamp(), e.level(), e.rawLevel(),
                e.thread(), e.context(), e.logger(), redact(e.message()), redact(e.stackTrace()), e.exception(), fields,
                e.truncated());
    }
}
