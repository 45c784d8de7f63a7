package io.jitsiops.health.service;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import io.jitsiops.health.probe.CheckStatus;
import io.jitsiops.health.probe.CheckKey;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * The checks as Prometheus series on /q/metrics: {@code jitsiops_health_check_up} (1 UP, 0.5 DEGRADED, 0 DOWN,
 * after damping), {@code jitsiops_health_check_latency_seconds} (histogram), {@code
 * jitsiops_health_tls_cert_expiry_days}, and the scheduler's own lag and skips.
 */
@ApplicationScoped
public class HealthMetrics {
    private static final Duration[] LATENCY_BUCKETS = { Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10) };
    private final MeterRegistry registry;
    private final Map<CheckKey, AtomicReference<Double>> up = new ConcurrentHashMap<>();
    private final Map<CheckKey, AtomicReference<Double>> certDays = new ConcurrentHashMap<>();
    private final Map<CheckKey, Timer> latency = new ConcurrentHashMap<>();
    private final Timer scheduleLag;
    private final Counter skipped;
    private final Counter retried;

    public HealthMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.scheduleLag = Timer.builder("jitsiops.health.schedule.lag")
                .description("How late a check started against its planned time")
                .publishPercentileHistogram().serviceLevelObjectives(Duration.ofMillis(10), Duration.ofMillis(100),
                        Duration.ofMillis(500), Duration.ofSeconds(1))
                .register(registry);
        this.skipped = Counter.builder("jitsiops.health.checks.skipped")
                .description("Checks not started because the previous run of the same check was still going")
                .register(registry);
        this.retried = Counter.builder("jitsiops.health.checks.retried")
                .description("Extra runs after the retry interval, confirming a verdict the flap damping held back")
                .register(registry);
    }

    public void record(CheckKey key, CheckStatus status, Long latencyMs, Double certDaysToExpiry) {
        up.computeIfAbsent(key, k -> gauge("jitsiops.health.check.up", "1 when UP, 0.5 when DEGRADED, 0 when DOWN", k))
                .set(status == CheckStatus.UP ? 1.0 : status == CheckStatus.DEGRADED ? 0.5 : 0.0);
        if (latencyMs != null) {
            // Ten fixed buckets per check: a page of thousands of targets stays scrapable.
            latency.computeIfAbsent(key, k -> Timer.builder("jitsiops.health.check.latency")
                    .description("How long a check took").tags(tags(k)).serviceLevelObjectives(LATENCY_BUCKETS)
                    .register(registry)).record(Duration.ofMillis(latencyMs));
        }
        if (certDaysToExpiry != null) {
            certDays.computeIfAbsent(key, k -> gauge("jitsiops.health.tls.cert.expiry.days",
                    "Days until the target's TLS certificate expires", k)).set(certDaysToExpiry);
        }
    }

    public void scheduleLag(Duration lag) {
        scheduleLag.record(lag.isNegative() ? Duration.ZERO : lag);
    }

    public void skipped() {
        skipped.increment();
    }

    public void retried() {
        retried.increment();
    }

    private AtomicReference<Double> gauge(String name, String help, CheckKey key) {
        AtomicReference<Double> value = new AtomicReference<>(Double.NaN);
        Gauge.builder(name, value, AtomicReference::get).description(help).tags(tags(key)).register(registry);
        return value;
    }

    private static Tags tags(CheckKey k) {
        return Tags.of("component", k.component(), "target", k.target(), "check", k.check());
    }
}
