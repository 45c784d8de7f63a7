package io.jitsiops.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A service's own alerts as shipped ({@code k8s/base/<service>-rules.yaml}, a PrometheusRule) against what the running
 * service exposes on {@code /q/metrics}: an alert on a series the service does not expose would never fire, and
 * promtool cannot know. Each service's tests compare the two ({@code exposed(...)} contains {@code seriesRead(...)}).
 */
public final class SelfMonitoringRules {
    /** A series selector: a metric name right before its braces (a function's arguments open with a parenthesis). */
    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{");

    private SelfMonitoringRules() {
    }

    /**
     * The names of the series that the alert expressions of {@code k8s/base/<service>-rules.yaml} select, but {@code up}
     * (Prometheus writes it per scrape; the service does not expose it). Read from a module's directory, as the tests
     * run. Only the expressions are read: an annotation's template braces are not selectors.
     */
    public static Set<String> seriesRead(String service) {
        Path file = Path.of("..", "k8s", "base", service + "-rules.yaml");
        Set<String> names = new TreeSet<>();
        try {
            for (String expr : expressions(Files.readAllLines(file))) {
                Matcher m = SELECTOR.matcher(expr);
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        names.remove("up");
        return names;
    }

    /** The sample names in a {@code /q/metrics} answer (Prometheus text or OpenMetrics). */
    public static Set<String> exposed(String metrics) {
        Set<String> names = new TreeSet<>();
        for (String line : metrics.split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }

    /** Each {@code expr:} of the file: on its line, or the block below it (indented deeper than the key). */
    private static Iterable<String> expressions(Iterable<String> lines) {
        var out = new java.util.ArrayList<String>();
        StringBuilder block = null;
        int keyIndent = 0;
        for (String line : lines) {
            int indent = line.length() - line.stripLeading().length();
            if (block != null) {
                if (line.isBlank() || indent > keyIndent) {
                    block.append(line).append('\n');
                    continue;
                }
                out.add(block.toString());
                block = null;
            }
            String trimmed = line.strip();
            if (trimmed.startsWith("expr:")) {
                String rest = trimmed.substring(5).strip();
                if (rest.startsWith("|") || rest.startsWith(">")) {
                    block = new StringBuilder();
                    keyIndent = indent;
                } else {
                    out.add(rest);
                }
            }
        }
        if (block != null) {
            out.add(block.toString());
        }
        return out;
    }
}
