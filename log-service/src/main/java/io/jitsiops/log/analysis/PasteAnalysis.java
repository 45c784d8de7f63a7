package io.jitsiops.log.analysis;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

import io.jitsiops.deployment.DeploymentDescription.LogFormat;
import io.jitsiops.log.config.LogConfig;
import io.jitsiops.log.parse.LogEntry;
import io.jitsiops.log.parse.LogParsers;
import io.jitsiops.log.parse.TextAnalysisInput;

/** Parses and analyses pasted log text with the tailer's parsers, caps and rules. */
@ApplicationScoped
public class PasteAnalysis {
    private final LogConfig config;
    private final Categorizer categorizer;
    private final LogAnalyzer analyzer;

    public PasteAnalysis(LogConfig config, CategoryRules rules) {
        this.config = config;
        this.categorizer = new Categorizer(rules);
        this.analyzer = new LogAnalyzer(rules);
    }

    public record AnalyzedEntry(@JsonUnwrapped LogEntry entry, String category) {
    }

    public record Result(List<AnalyzedEntry> entries, Analysis analysis) {
    }

    public Result analyze(LogFormat format, String component, ZoneId zone, byte[] text) {
        List<LogEntry> entries = TextAnalysisInput.parse(component, LogParsers.create(format, zone, Clock.systemUTC()), text,
                config.maxLineBytes(), config.maxEntryBytes());
        Instant now = Instant.now();
        Map<String, MinuteCounts> minutes = new HashMap<>();
        List<AnalyzedEntry> out = new ArrayList<>(entries.size());
        Instant first = null;
        Instant last = null;
        for (LogEntry e : entries) {
            String category = categorizer.categorize(format.name(), e);
            Categorizer.count(minutes, component, e, category, now);
            out.add(new AnalyzedEntry(e, category));
            if (e.timestamp() != null) {
                first = first == null || e.timestamp().isBefore(first) ? e.timestamp() : first;
                last = last == null || e.timestamp().isAfter(last) ? e.timestamp() : last;
            }
        }
        Instant start = first == null ? now : first.truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        Instant end = (last == null ? now : last).truncatedTo(java.time.temporal.ChronoUnit.MINUTES).plusSeconds(60);
        return new Result(out, analyzer.analyze(minutes.values(), start, end, -1));
    }
}
