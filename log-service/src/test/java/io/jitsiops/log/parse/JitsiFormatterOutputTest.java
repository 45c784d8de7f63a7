package io.jitsiops.log.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;
import java.util.logging.LogRecord;

import org.jitsi.utils.logging2.Logger;
import org.junit.jupiter.api.Test;

/** The JVB/jicofo parser on text written by the real JitsiLogFormatter. */
class JitsiFormatterOutputTest {
    private static final int CAP = 64 * 1024;

    private static List<LogEntry> parse(String text, ZoneId zone) {
        return TextAnalysisInput.parse("jvb", new JitsiLogParser(zone), text, CAP, 256 * 1024);
    }

    @Test
    void readsLevelThreadContextInItsOrderLoggerAndMessageOfEveryLine() {
        Map<String, String> conference = new LinkedHashMap<>();
        conference.put("confId", "db3f603986f2eeeb");
        conference.put("conf_name", "test@conference.meet.jitsi");
        conference.put("meeting_id", "4c334b5b");
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String text = JitsiFormatterOutput.capture("JVB", l -> {
            Logger c = l.logger("org.jitsi.videobridge.Conference", conference);
            c.info("Created conference");
            Map<String, String> endpoint = new LinkedHashMap<>();
            endpoint.put("epId", "49517bef");
            endpoint.put("stats_id", "Hilton-Wgl");
            Logger ep = c.createChildLogger("org.jitsi.videobridge.Endpoint", endpoint);
            ep.warn("ICE failed, no candidate pair succeeded");
            ep.debug("a FINE line");
            ep.trace("a FINER line");
            l.record(new LogRecord(java.util.logging.Level.CONFIG, "a CONFIG line"));
        });
        List<LogEntry> entries = parse(text, ZoneId.systemDefault());
        assertThat(text).startsWith("JVB ");
        assertThat(entries).hasSize(5).allMatch(LogEntry::parsed);
        LogEntry info = entries.get(0);
        assertThat(info.level()).isEqualTo(Level.INFO);
        assertThat(info.rawLevel()).isEqualTo("INFO");
        assertThat(info.message()).isEqualTo("Created conference");
        assertThat(info.logger()).isEqualTo("JitsiFormatterOutputTest");
        assertThat(info.thread()).isEqualTo(String.valueOf(Thread.currentThread().getId()));
        assertThat(info.context().keySet()).containsExactly("confId", "conf_name", "meeting_id");
        assertThat(info.context()).containsEntry("conf_name", "test@conference.meet.jitsi");
        assertThat(info.timestamp()).isBetween(before, Instant.now());
        LogEntry warn = entries.get(1);
        assertThat(warn.level()).isEqualTo(Level.WARN);
        assertThat(warn.context().keySet()).containsExactly("confId", "conf_name", "meeting_id", "epId", "stats_id");
        assertThat(warn.context()).containsEntry("epId", "49517bef").containsEntry("stats_id", "Hilton-Wgl");
        assertThat(entries.get(2).level()).isEqualTo(Level.DEBUG);
        assertThat(entries.get(2).rawLevel()).isEqualTo("FINE");
        assertThat(entries.get(3).level()).isEqualTo(Level.TRACE);
        assertThat(entries.get(3).rawLevel()).isEqualTo("FINER");
        assertThat(entries.get(4).rawLevel()).isEqualTo("CONFIG");
        assertThat(entries.get(4).level()).isEqualTo(Level.INFO);
    }

    @Test
    void mergesAStackTraceWithCausedByChainAndMoreIntoOneEntry() {
        String text = JitsiFormatterOutput.capture("Jicofo", l -> {
            Logger log = l.logger("org.jitsi.jicofo.bridge.BridgeSelector", Map.of("room", "a@conference.meet.jitsi"));
            Exception root = new java.net.SocketTimeoutException("connect timed out");
            Exception mid = new java.io.IOException("Failed to reach the bridge", root);
            log.error("Failed to allocate channels", new IllegalStateException("Allocation failed", mid));
            log.info("next line");
        });
        List<LogEntry> entries = parse(text, ZoneId.systemDefault());
        assertThat(entries).hasSize(2);
        LogEntry e = entries.get(0);
        assertThat(e.level()).isEqualTo(Level.ERROR);
        assertThat(e.rawLevel()).isEqualTo("SEVERE");
        assertThat(e.message()).isEqualTo("Failed to allocate channels");
        assertThat(e.exception().className()).isEqualTo("java.lang.IllegalStateException");
        assertThat(e.exception().message()).isEqualTo("Allocation failed");
        assertThat(e.exception().frames()).isNotEmpty();
        assertThat(e.exception().cause().className()).isEqualTo("java.io.IOException");
        assertThat(e.exception().cause().omittedFrames()).isPositive();
        assertThat(e.exception().rootCause().className()).isEqualTo("java.net.SocketTimeoutException");
        assertThat(e.exception().rootCause().message()).isEqualTo("connect timed out");
        assertThat(e.stackTrace()).contains("Caused by: java.io.IOException").contains("... ");
        assertThat(entries.get(1).message()).isEqualTo("next line");
        assertThat(entries.get(1).position()).isEqualTo(e.end());
    }

    @Test
    void readsLocalizedLevelNames() {
        Locale saved = Locale.getDefault();
        String text;
        try {
            Locale.setDefault(Locale.GERMAN);
            text = JitsiFormatterOutput.capture("JVB", l -> {
                Logger log = l.logger("x.Y", Map.of());
                log.error("kaputt");
                log.warn("Achtung");
            });
        } finally {
            Locale.setDefault(saved);
        }
        List<LogEntry> entries = parse(text, ZoneId.systemDefault());
        assertThat(entries).extracting(LogEntry::rawLevel).containsExactly("SCHWERWIEGEND", "WARNUNG");
        assertThat(entries).extracting(LogEntry::level).containsExactly(Level.ERROR, Level.WARN);
    }

    @Test
    void readsTheJvmLocalTimeInTheZoneConfiguredForTheSource() {
        TimeZone saved = TimeZone.getDefault();
        Instant at = Instant.parse("2026-03-08T07:30:00.250Z"); // 03:30 EDT: half an hour after that day's switch to daylight time
        String text;
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"));
            text = JitsiFormatterOutput.capture("JVB", l -> {
                LogRecord r = new LogRecord(java.util.logging.Level.INFO, "at a fixed time");
                r.setInstant(at);
                l.record(r);
            });
        } finally {
            TimeZone.setDefault(saved);
        }
        assertThat(text).contains("2026-03-08 03:30:00.250");
        LogEntry e = parse(text, ZoneId.of("America/New_York")).get(0);
        assertThat(e.timestamp()).isEqualTo(at);
        assertThat(parse(text, ZoneId.of("UTC")).get(0).timestamp()).isEqualTo(Instant.parse("2026-03-08T03:30:00.250Z"));
    }
}
