package io.jitsiops.alert.service;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.runtime.Startup;

import org.jboss.logging.Logger;

import io.jitsiops.alert.config.AlertConfig;
import io.jitsiops.alert.rule.InvalidRulesException;
import io.jitsiops.alert.rule.RuleFile;
import io.jitsiops.alert.rule.RuleFileParser;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;

/**
 * The rules in force. Read and validated when the service starts (an invalid file stops the start-up, naming the
 * rule and the key); the file is then checked every {@code jitsiops.alert.rules-reload-interval} and a changed file
 * replaces the rules without a restart. A changed file that does not validate is refused: the previous rules keep
 * running and the refusal is visible in {@code GET /api/rules}, the metric {@code jitsiops_alert_rules_reload_failures_total}
 * (and {@code jitsiops_alert_rules_last_reload_ok} = 0) and the log.
 */
@ApplicationScoped
@Startup
public class RuleRegistry {
    static final String DEFAULT_RESOURCE = "alerting/default-rules.yaml";
    private static final Logger LOG = Logger.getLogger(RuleRegistry.class);

    /** What {@code GET /api/rules} tells about the file. */
    public record Status(String source, Instant loadedAt, boolean lastReloadOk, String lastError, Instant lastErrorAt) {
    }

    private final AlertConfig config;
    private final RuleFileParser parser;
    private final List<Consumer<RuleFile>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong failures = new AtomicLong();
    private volatile RuleFile current;
    private volatile String currentText;
    private volatile Instant loadedAt;
    private volatile String lastError;
    private volatile Instant lastErrorAt;

    public RuleRegistry(AlertConfig config, MeterRegistry meters) {
        this.config = config;
        this.parser = new RuleFileParser(config.receivers().keySet());
        String text = read();
        try {
            this.current = parser.parse(text);
        } catch (InvalidRulesException e) {
            throw new InvalidRulesException("rules file " + source() + ": " + e.getMessage(), e);
        }
        this.currentText = text;
        this.loadedAt = Instant.now();
        meters.more().counter("jitsiops_alert_rules_reload_failures_total", List.of(), failures);
        meters.gauge("jitsiops_alert_rules_last_reload_ok", this, r -> r.lastError == null ? 1 : 0);
        LOG.infof("Loaded %d alert rules from %s", current.rules().size(), source());
    }

    /**
     * Parses a rules file against this service's receivers without using it (what {@code amtool check-config} and
     * {@code promtool check rules} are for Alertmanager and Prometheus): the error names the rule and the key.
     */
    public RuleFile check(String text) {
        return parser.parse(text);
    }

    public RuleFile current() {
        return current;
    }

    public Status status() {
        return new Status(source(), loadedAt, lastError == null, lastError, lastErrorAt);
    }

    /** Called with the new rules after each successful reload. */
    public void onChange(Consumer<RuleFile> listener) {
        listeners.add(listener);
    }

    @Scheduled(every = "${jitsiops.alert.rules-reload-interval}", delayed = "${jitsiops.alert.rules-reload-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reloadIfChanged() {
        if (config.rulesFile().isEmpty()) {
            return; // the shipped default does not change while running
        }
        String text;
        try {
            text = read();
        } catch (RuntimeException e) {
            refuse("cannot read: " + e.getMessage());
            return;
        }
        if (text.equals(currentText)) {
            return;
        }
        try {
            RuleFile next = parser.parse(text);
            current = next;
            currentText = text;
            loadedAt = Instant.now();
            lastError = null;
            lastErrorAt = null;
            LOG.infof("Reloaded %d alert rules from %s", next.rules().size(), source());
            listeners.forEach(l -> l.accept(next));
        } catch (InvalidRulesException e) {
            currentText = text; // refuse this content once, not every few seconds; a new edit is checked again
            refuse(e.getMessage());
        }
    }

    private void refuse(String why) {
        failures.incrementAndGet();
        lastError = why;
        lastErrorAt = Instant.now();
        LOG.errorf("Rules file %s refused, the previous rules stay in force: %s", source(), why);
    }

    private String source() {
        return config.rulesFile().map(Object::toString).orElse("classpath:" + DEFAULT_RESOURCE + " (shipped default)");
    }

    private String read() {
        try {
            if (config.rulesFile().isPresent()) {
                return Files.readString(config.rulesFile().get(), StandardCharsets.UTF_8);
            }
            try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(DEFAULT_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("the shipped rules " + DEFAULT_RESOURCE + " are missing from the build");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new InvalidRulesException("jitsiops.alert.rules-file: cannot read " + source() + ": " + e.getMessage(), e);
        }
    }
}
