package io.jitsiops.log.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.jitsiops.deployment.DeploymentDescription.LogFormat;
import io.jitsiops.log.analysis.CategoryRule;
import io.jitsiops.log.analysis.CategoryRules;
import io.jitsiops.log.parse.EntryAssembler;
import io.jitsiops.log.parse.LineSplitter;
import io.jitsiops.log.parse.LogEntry;
import io.jitsiops.log.parse.LogParsers;

/**
 * bench/logs, for where the rules run: reads a file written by {@link ParseBench} in 1 MiB steps as the tailer does and
 * matches the rules either in a pass over the step's entries once it is parsed ({@code after}, the tailer until stop 22)
 * or as each entry is parsed, while it is in the cache ({@code during}); one thread, several rounds, prints ns per line
 * of the best round and the matches (which must be equal). With {@code json}, each entry's record value is written
 * too, the same way: after the step's pass, or right after its match (what writing the values while parsing would
 * gain; the tailer writes them once the step is parsed).
 * Usage: StepBench FILE ROUNDS after|during [json]
 */
public final class StepBench {
    private StepBench() {
    }

    public static void main(String[] args) throws IOException {
        byte[] bytes = Files.readAllBytes(Path.of(args[0]));
        int rounds = Integer.parseInt(args[1]);
        boolean during = args[2].equals("during");
        boolean json = args.length > 3 && args[3].equals("json");
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper()
                .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule());
        CategoryRules rules = CategoryRules.load(Optional.empty());
        double best = Double.MAX_VALUE;
        for (int r = 0; r < rounds; r++) {
            List<LogEntry> step = new ArrayList<>();
            List<CategoryRule> matched = new ArrayList<>();
            List<byte[]> values = new ArrayList<>();
            io.jitsiops.log.tail.TailTestAccess.RecordWriter writer = io.jitsiops.log.tail.TailTestAccess.recordWriter(mapper, "jvb", "jvb", args[0]);
            EntryAssembler a = new EntryAssembler("jvb", LogParsers.create(LogFormat.jvb, ZoneOffset.UTC, Clock.systemUTC()), 262144,
                    during ? e -> {
                        step.add(e);
                        CategoryRule rule = rules.match("jvb", e);
                        matched.add(rule);
                        if (json) {
                            values.add(value(writer, e, rule));
                        }
                    } : step::add);
            long[] lines = new long[1];
            LineSplitter s = new LineSplitter(65536, (t, st, en, tr) -> {
                lines[0]++;
                a.line(t, st, en, tr);
            });
            long hits = 0;
            long bytesWritten = 0;
            long t0 = System.nanoTime();
            int off = 0;
            while (off < bytes.length) {
                off += s.feed(bytes, off, Math.min(1 << 20, bytes.length - off), off);
                if (off >= bytes.length) {
                    a.flush();
                }
                if (!during) {
                    for (LogEntry e : step) {
                        matched.add(rules.match("jvb", e));
                    }
                    if (json) {
                        for (int i = 0; i < step.size(); i++) {
                            values.add(value(writer, step.get(i), matched.get(i)));
                        }
                    }
                }
                for (byte[] v : values) {
                    bytesWritten += v.length;
                }
                values.clear();
                for (CategoryRule m : matched) {
                    if (m != null) {
                        hits++;
                    }
                }
                step.clear();
                matched.clear();
            }
            double ns = (System.nanoTime() - t0) / (double) lines[0];
            best = Math.min(best, ns);
            System.out.printf("round %d (%s%s): %d lines, %d matched, %d bytes of values, %.1f ns per line%n", r, args[2],
                    json ? " + json" : "", lines[0], hits, bytesWritten, ns);
        }
        System.out.printf("STEP_NS_PER_LINE=%.1f%n", best);
    }

    private static byte[] value(io.jitsiops.log.tail.TailTestAccess.RecordWriter writer, LogEntry e, CategoryRule rule) {
        try {
            return writer.write(e, "2049:12", "1a2b3c4d", 1024, rule == null ? null : rule.id());
        } catch (IOException x) {
            throw new java.io.UncheckedIOException(x);
        }
    }
}
