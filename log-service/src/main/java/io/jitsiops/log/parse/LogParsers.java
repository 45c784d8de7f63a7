package io.jitsiops.log.parse;

import java.time.Clock;
import java.time.ZoneId;

import io.jitsiops.deployment.DeploymentDescription.LogFormat;

/** The parser of each format. Parsers keep small caches: one instance per source (not thread-safe). */
public final class LogParsers {
    private LogParsers() {
    }

    public static LogParser create(LogFormat format, ZoneId zone, Clock clock) {
        return switch (format) {
            case jvb, jicofo -> new JitsiLogParser(zone);
            case prosody -> new ProsodyLogParser(zone, clock);
            case nginx_access -> new NginxAccessLogParser();
            case nginx_error -> new NginxErrorLogParser(zone);
        };
    }
}
