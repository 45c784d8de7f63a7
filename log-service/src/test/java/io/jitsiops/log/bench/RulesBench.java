package io.jitsiops.log.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.jitsiops.deployment.DeploymentDescription.LogFormat;
import io.jitsiops.log.analysis.CategoryRule;
import io.jitsiops.log.analysis.CategoryRules;
import io.jitsiops.log.parse.EntryAssembler;
import io.jitsiops.log.parse.LineSplitter;
import io.jitsiops.log.parse.LogEntry;
import io.jitsiops.log.parse.LogParsers;

/**
 * bench/logs, for iterating on the rules alone: parses a file written by {@link ParseBench} once, then matches its
 * entries against the default rules on one thread, several rounds; prints ns per entry of the best round and the
 * count per category (which must not change with a faster matcher).
 * Usage: RulesBench FILE ROUNDS
 */
public final class RulesBench {
    private RulesBench() {
    }

    public static void main(String[] args) throws IOException {
        byte[] bytes = Files.readAllBytes(Path.of(args[0]));
        int rounds = Integer.parseInt(args[1]);
        List<LogEntry> entries = new ArrayList<>();
        EntryAssembler a = new EntryAssembler("jvb", LogParsers.create(LogFormat.jvb, ZoneOffset.UTC, Clock.systemUTC()),
                262144, entries::add);
        LineSplitter s = new LineSplitter(65536, a::line);
        int off = 0;
        while (off < bytes.length) {
            off += s.feed(bytes, off, Math.min(1 << 20, bytes.length - off), off);
        }
        a.flush();
        CategoryRules rules = CategoryRules.load(Optional.empty());
        double best = Double.MAX_VALUE;
        Map<String, Long> counts = new TreeMap<>();
        for (int r = 0; r < rounds; r++) {
            counts.clear();
            long t0 = System.nanoTime();
            for (LogEntry e : entries) {
                CategoryRule rule = rules.match("jvb", e);
                if (rule != null) {
                    counts.merge(rule.id(), 1L, Long::sum);
                }
            }
            double ns = (System.nanoTime() - t0) / (double) entries.size();
            best = Math.min(best, ns);
            System.out.printf("round %d: %d entries, %.1f ns per entry%n", r, entries.size(), ns);
        }
        System.out.printf("RULES_NS_PER_ENTRY=%.1f categories=%s%n", best, counts);
    }
}
