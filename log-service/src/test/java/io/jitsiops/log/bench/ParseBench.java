package io.jitsiops.log.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Optional;

import io.jitsiops.deployment.DeploymentDescription.LogFormat;
import io.jitsiops.log.analysis.Categorizer;
import io.jitsiops.log.analysis.CategoryRules;
import io.jitsiops.log.parse.EntryAssembler;
import io.jitsiops.log.parse.LineSplitter;
import io.jitsiops.log.parse.LogParsers;

/**
 * bench/logs: writes a JVB/jicofo log of N lines in JitsiLogFormatter's shape (mostly INFO with context, some
 * WARNING, SEVERE with stack traces), then parses and categorises it on one thread with the service's own
 * splitter, assembler, parser and default rules, several rounds; prints lines/s of the best round.
 * Usage: ParseBench generate FILE LINES | ParseBench parse FILE ROUNDS
 */
public final class ParseBench {
    private ParseBench() {
    }

    public static void main(String[] args) throws IOException {
        if (args[0].equals("generate")) {
            generate(Path.of(args[1]), Integer.parseInt(args[2]));
        } else {
            parse(Path.of(args[1]), Integer.parseInt(args[2]));
        }
    }

    static void generate(Path file, int lines) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            int n = 0;
            long ms = 0;
            while (n < lines) {
                String ts = String.format("2026-11-29 08:%02d:%02d.%03d", (ms / 60000) % 60, (ms / 1000) % 60, ms % 1000);
                ms += 3;
                int k = n % 100;
                String prog = n % 2 == 0 ? "JVB " : "Jicofo ";
                if (k < 3) {
                    w.write(prog + ts + " SEVERE: [52] [confId=db3f603986f2eeeb conf_name=room" + (n % 97)
                            + "@conference.meet.jitsi meeting_id=4c334b5b] BridgeSelector.selectBridge#120: Failed to select a bridge for the conference, no operational bridges\n");
                    w.write("java.lang.IllegalStateException: no bridge available\n\tat org.jitsi.jicofo.bridge.BridgeSelector.selectBridge(BridgeSelector.kt:120)\n");
                    n += 3;
                } else if (k < 10) {
                    w.write(prog + ts + " WARNING: [44] [confId=db3f603986f2eeeb conf_name=room" + (n % 97)
                            + "@conference.meet.jitsi meeting_id=4c334b5b epId=49517bef stats_id=Hilton-Wgl] IceTransport.iceStateChanged#300: ICE failed, no candidate pair succeeded\n");
                    n++;
                } else {
                    w.write(prog + ts + " INFO: [44] [confId=db3f603986f2eeeb conf_name=room" + (n % 97)
                            + "@conference.meet.jitsi meeting_id=4c334b5b epId=49517bef stats_id=Hilton-Wgl] Endpoint.updateStats#" + (n % 500)
                            + ": Endpoint sent " + n + " packets, receive bitrate 1250 kbps, send bitrate 2300 kbps\n");
                    n++;
                }
            }
        }
    }

    static void parse(Path file, int rounds) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        Categorizer categorizer = new Categorizer(CategoryRules.load(Optional.empty()));
        double best = 0;
        long lines = 0;
        for (int r = 0; r < rounds; r++) {
            long[] count = new long[2];
            EntryAssembler a = new EntryAssembler("jvb", LogParsers.create(LogFormat.jvb, ZoneOffset.UTC, Clock.systemUTC()),
                    262144, e -> {
                        count[0]++;
                        if (categorizer.categorize("jvb", e) != null) {
                            count[1]++;
                        }
                    });
            long[] lineCount = new long[1];
            LineSplitter s = new LineSplitter(65536, (t, st, en, tr) -> {
                lineCount[0]++;
                a.line(t, st, en, tr);
            });
            long t0 = System.nanoTime();
            int off = 0;
            while (off < bytes.length) {
                int len = Math.min(1 << 20, bytes.length - off);
                off += s.feed(bytes, off, len, off);
            }
            a.flush();
            double secs = (System.nanoTime() - t0) / 1e9;
            lines = lineCount[0];
            best = Math.max(best, lines / secs);
            System.out.printf("round %d: %d lines, %d entries, %d categorised, %.3f s, %.0f lines/s%n", r, lines, count[0], count[1], secs, lines / secs);
        }
        System.out.printf("PARSE_LINES_PER_SEC=%.0f%n", best);
        System.out.printf("PARSE_MB_PER_SEC=%.1f%n", best * bytes.length / lines / 1e6);
    }
}
