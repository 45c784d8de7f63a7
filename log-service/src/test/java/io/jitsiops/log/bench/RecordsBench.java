package io.jitsiops.log.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.jitsiops.deployment.DeploymentDescription.LogFormat;
import io.jitsiops.log.analysis.CategoryRule;
import io.jitsiops.log.analysis.CategoryRules;
import io.jitsiops.log.parse.EntryAssembler;
import io.jitsiops.log.parse.LineSplitter;
import io.jitsiops.log.parse.LogEntry;
import io.jitsiops.log.parse.LogParsers;
import io.jitsiops.log.tail.TailTestAccess;

/**
 * bench/logs, for iterating on the entries topic's record values alone: reads a file written by {@link ParseBench} in
 * 1 MiB steps as the tailer does (each step parsed and categorised, then its values written, so the entries are as
 * fresh in the cache as in the service), on one thread, several rounds; prints the ns per entry spent writing the
 * values (the best round) and the bytes written (which must not change with a faster writer).
 * Usage: RecordsBench FILE ROUNDS
 */
public final class RecordsBench {
    private RecordsBench() {
    }

    public static void main(String[] args) throws IOException {
        byte[] bytes = Files.readAllBytes(Path.of(args[0]));
        int rounds = Integer.parseInt(args[1]);
        ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        CategoryRules rules = CategoryRules.load(Optional.empty());
        double best = Double.MAX_VALUE;
        for (int r = 0; r < rounds; r++) {
            TailTestAccess.RecordWriter writer = TailTestAccess.recordWriter(json, "jvb", "jvb", args[0]);
            List<LogEntry> step = new ArrayList<>();
            EntryAssembler a = new EntryAssembler("jvb", LogParsers.create(LogFormat.jvb, ZoneOffset.UTC, Clock.systemUTC()),
                    262144, step::add);
            LineSplitter s = new LineSplitter(65536, a::line);
            long writeNanos = 0;
            long written = 0;
            long entries = 0;
            long hash = 0;
            int off = 0;
            while (off < bytes.length) {
                off += s.feed(bytes, off, Math.min(1 << 20, bytes.length - off), off);
                if (off >= bytes.length) {
                    a.flush();
                }
                String[] categories = new String[step.size()];
                for (int i = 0; i < step.size(); i++) {
                    CategoryRule rule = rules.match("jvb", step.get(i));
                    categories[i] = rule == null ? null : rule.id();
                }
                long t0 = System.nanoTime();
                for (int i = 0; i < step.size(); i++) {
                    byte[] value = writer.write(step.get(i), "2049:12", "1a2b3c4d", 1024, categories[i]);
                    written += value.length;
                    hash = hash * 31 + value[value.length / 2];
                }
                writeNanos += System.nanoTime() - t0;
                entries += step.size();
                step.clear();
            }
            double ns = writeNanos / (double) entries;
            best = Math.min(best, ns);
            System.out.printf("round %d: %d entries, %d bytes written (check %d), %.1f ns per entry%n", r, entries, written, hash, ns);
        }
        System.out.printf("RECORDS_NS_PER_ENTRY=%.1f%n", best);
    }
}
