package io.jitsiops.health.conference;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The conference probe's own series on /q/metrics, per step: {@code jitsiops_health_conference_probe_step_seconds}
 * (how long each completed step took) and {@code jitsiops_health_conference_probe_failures_total} (runs that failed
 * at that step). Both are created up front for every step, so a step that never failed shows 0 (as Alertmanager
 * does for its integrations). The run as a whole is the {@code conference/<target>/synthetic-conference} check of
 * {@code jitsiops_health_check_up} and {@code jitsiops_health_check_latency_seconds}.
 */
final class ConferenceProbeMetrics {
    private static final Duration[] BUCKETS = { Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofMillis(750),
            Duration.ofMillis(1500), Duration.ofSeconds(5), Duration.ofSeconds(10) };
    private final Map<ProbeStep, Timer> steps = new EnumMap<>(ProbeStep.class);
    private final Map<ProbeStep, Counter> failures = new EnumMap<>(ProbeStep.class);

    ConferenceProbeMetrics(MeterRegistry registry, String target) {
        for (ProbeStep step : ProbeStep.values()) {
            steps.put(step, Timer.builder("jitsiops.health.conference.probe.step")
                    .description("How long a step of the synthetic conference took")
                    .tags("target", target, "step", step.wireName()).serviceLevelObjectives(BUCKETS).register(registry));
            failures.put(step, Counter.builder("jitsiops.health.conference.probe.failures")
                    .description("Synthetic conferences that failed at this step")
                    .tags("target", target, "step", step.wireName()).register(registry));
        }
    }

    void record(ConferenceProbeRun.Report report) {
        report.latencies().forEach((step, ms) -> steps.get(step).record(Duration.ofMillis(ms)));
        report.failure().ifPresent(f -> failures.get(f.step()).increment());
    }
}
