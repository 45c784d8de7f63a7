package io.jitsiops.log.tail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.jitsiops.deployment.DeploymentDescription.LogFormat;
import io.jitsiops.log.parse.LogEntry;
import io.jitsiops.log.parse.LogParsers;
import io.jitsiops.log.parse.TextAnalysisInput;

/**
 * The streaming writer of the entries topic's values writes exactly what databind writes for a
 * {@link ShippedEntry} (the application's mapper: Java time as ISO text), on recorded real lines of every format:
 * contexts, exception chains, nginx fields, unparsed lines, nulls and escapes.
 */
class EntryRecordsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T08:00:00Z"), ZoneOffset.UTC);
    private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @Test
    void writesTheSameJsonAsDatabindForRecordedLinesOfEveryFormat() throws IOException {
        List<String[]> files = List.of(new String[] { "jvb-2024-context.txt", "jvb" }, new String[] { "jicofo-2017-stacktrace.txt", "jicofo" },
                new String[] { "jicofo-2023-severe.txt", "jicofo" }, new String[] { "jvb-2018-legacy.txt", "jvb" },
                new String[] { "nginx-access-2019.txt", "nginx_access" }, new String[] { "prosody-console-traceback.txt", "prosody" });
        int compared = 0;
        for (String[] f : files) {
            LogFormat format = LogFormat.valueOf(f[1]);
            EntryRecords writer = new EntryRecords(MAPPER, "comp\"onent", format.name(), "/var/log/jitsi/" + f[0]);
            List<LogEntry> entries = new ArrayList<>(recorded(f[0], format));
            entries.add(new LogEntry("c", 1, 2, false, null, io.jitsiops.log.parse.Level.UNKNOWN, null, null, null, null,
                    "raw \u00e9 \\ \"quoted\"\ttab", null, null, null, true));
            for (int i = 0; i < entries.size(); i++) {
                LogEntry e = entries.get(i);
                String category = i % 2 == 0 ? null : "ice-failure";
                String fileKey = i < 3 ? "2049:12" : "2049:13"; // a new generation part-way
                ShippedEntry reference = new ShippedEntry("comp\"onent", format.name(), "/var/log/jitsi/" + f[0], fileKey, "1a2b",
                        1024, e.position(), e.end(), e.parsed(), e.timestamp(), e.level().name(), e.rawLevel(), e.thread(),
                        e.context(), e.logger(), e.message(), e.stackTrace(), e.exception(), e.fields(), e.truncated(), category);
                String expected = MAPPER.writeValueAsString(reference);
                assertThat(new String(writer.write(e, fileKey, "1a2b", 1024, category), StandardCharsets.UTF_8)).isEqualTo(expected);
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(20);
    }

    @Test
    void anEntryLongerThanTheWritersFirstBufferIsWrittenWhole() throws IOException {
        EntryRecords writer = new EntryRecords(MAPPER, "jvb", "jvb", "/f");
        String trace = "\tat a.b.C.m(C.java:1)\n".repeat(20_000);
        LogEntry e = new LogEntry("jvb", 0, 10, true, Instant.parse("2026-11-29T08:00:00.123Z"), io.jitsiops.log.parse.Level.ERROR,
                "SEVERE", "1", java.util.Map.of(), "L", "m", trace, null, java.util.Map.of(), false);
        ShippedEntry reference = new ShippedEntry("jvb", "jvb", "/f", "k", "f", 3, 0, 10, true, e.timestamp(), "ERROR", "SEVERE",
                "1", java.util.Map.of(), "L", "m", trace, null, java.util.Map.of(), false, null);
        assertThat(writer.write(e, "k", "f", 3, null)).isEqualTo(MAPPER.writeValueAsBytes(reference));
        assertThat(writer.write(e, "k", "f", 3, null)).isEqualTo(MAPPER.writeValueAsBytes(reference)); // and again, reused
    }

    @Test
    void writesTimestampsAsInstantToStringDoesForEveryFractionAndYear() throws IOException {
        EntryRecords writer = new EntryRecords(MAPPER, "jvb", "jvb", "/f");
        for (String t : List.of("2026-11-29T08:00:00Z", "2026-11-29T08:00:00.120Z", "2026-11-29T08:00:00.001Z",
                "2026-11-29T08:00:00.000100Z", "2026-11-29T08:00:00.000000001Z", "2026-11-29T08:00:00.999999999Z",
                "2026-11-29T08:00:01.500Z", "1970-01-01T00:00:00Z", "0001-01-01T00:00:00.5Z", "+10000-01-01T00:00:00Z",
                "-0001-12-31T23:59:59.250Z", "2026-11-29T08:00:01.5Z")) {
            Instant at = Instant.parse(t);
            assertThat(writer.iso(at)).isEqualTo(at.toString());
            assertThat(writer.iso(at)).isEqualTo(at.toString()); // the cached second
        }
    }

    @Test
    void escapesEveryCharacterAsDatabindDoesInEveryStringField() throws IOException {
        StringBuilder ascii = new StringBuilder();
        for (char c = 0; c < 128; c++) {
            ascii.append(c);
        }
        StringBuilder latin1AndMore = new StringBuilder();
        for (char c = 128; c < 0x800; c += 7) {
            latin1AndMore.append(c);
        }
        List<String> texts = List.of("", "plain ASCII text, nothing to escape", ascii.toString(), latin1AndMore.toString(),
                "caf\u00e9 \"quoted\" then \u20ac and an emoji \ud83d\ude00 at the end", "tab\there\nnew line\r\u0000\u001f\u007f",
                "\ufffd replaced invalid UTF-8", "ends with a backslash \\", "\u00e9", "?jwt=<redacted>&room=a/b");
        EntryRecords writer = new EntryRecords(MAPPER, "jvb", "jvb", "/var/log/jitsi/jvb.log");
        int i = 0;
        for (String t : texts) {
            java.util.Map<String, String> context = new java.util.LinkedHashMap<>();
            context.put("confId", t);
            context.put(t, "v");
            context.put("k" + i, null);
            LogEntry e = new LogEntry("jvb", i, i + 10L, i % 2 == 0, Instant.parse("2026-11-29T08:00:00.12Z"), io.jitsiops.log.parse.Level.WARN,
                    t, t, context, t, t, i % 3 == 0 ? null : t, null, java.util.Map.of("status", t), i % 2 == 1);
            ShippedEntry reference = new ShippedEntry("jvb", "jvb", "/var/log/jitsi/jvb.log", "2049:12", "1a2b", 1024, e.position(), e.end(),
                    e.parsed(), e.timestamp(), e.level().name(), e.rawLevel(), e.thread(), e.context(), e.logger(), e.message(), e.stackTrace(),
                    null, e.fields(), e.truncated(), t);
            assertThat(writer.write(e, "2049:12", "1a2b", 1024, t)).as("text %d", i).isEqualTo(MAPPER.writeValueAsBytes(reference));
            i++;
        }
    }

    private static List<LogEntry> recorded(String file, LogFormat format) throws IOException {
        try (InputStream in = EntryRecordsTest.class.getResourceAsStream("/recorded/" + file)) {
            return TextAnalysisInput.parse(format.name(), LogParsers.create(format, ZoneOffset.UTC, CLOCK), in.readAllBytes(),
                    64 * 1024, 256 * 1024);
        }
    }
}
