package io.jitsiops.health.conference;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import javax.net.ssl.SSLContext;

import io.jitsiops.health.probe.CheckKey;
import io.jitsiops.health.probe.CheckStatus;
import io.jitsiops.health.probe.Probe;
import io.jitsiops.health.probe.ProbeOutcome;
import io.jitsiops.health.probe.HttpProber;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * The synthetic conference as a check ({@code conference/<prosody target>/synthetic-conference}): each run sets up a
 * test conference the way jitsi-meet does ({@link ConferenceProbeRun}) on a worker thread, never on the event loop.
 * UP when every step passed; DEGRADED when slower than {@code degraded-latency} or when clean-up failed; DOWN naming
 * the failed step as {@code "<step>: <why>"}. Measurements: each completed step's latency
 * ({@code step.<step>_ms}), {@code failed_step} (the step's number, 1 = dns-tls … 8 = cleanup; absent when none
 * failed) and {@code bridge.ice_candidates}.
 */
public final class ConferenceProbe implements Probe {
    public static final String COMPONENT = "conference";
    public static final String CHECK = "synthetic-conference";
    private final CheckKey key;
    private final ConferenceProbeSettings settings;
    private final HttpProber http;
    private final SSLContext ssl;
    private final ConferenceProbeMetrics metrics;

    public ConferenceProbe(ConferenceProbeSettings settings, HttpProber http, SSLContext ssl, MeterRegistry registry) {
        this.key = new CheckKey(COMPONENT, settings.target(), CHECK);
        this.settings = settings;
        this.http = http;
        this.ssl = ssl;
        this.metrics = new ConferenceProbeMetrics(registry, settings.target());
    }

    @Override
    public CheckKey key() {
        return key;
    }

    @Override
    public Duration interval() {
        return settings.interval();
    }

    @Override
    public Duration timeout() {
        return settings.timeout();
    }

    @Override
    public Uni<ProbeOutcome> run() {
        return Uni.createFrom().item(() -> new ConferenceProbeRun(settings, http, ssl).execute())
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .map(this::outcome);
    }

    ProbeOutcome outcome(ConferenceProbeRun.Report report) {
        metrics.record(report);
        Map<String, Double> m = new HashMap<>();
        report.latencies().forEach((step, ms) -> m.put(step.latencyKey(), ms.doubleValue()));
        long total = report.totalMs();
        if (report.failure().isPresent()) {
            StepFailure f = report.failure().get();
            m.put("failed_step", (double) f.step().number());
            String why = f.step().wireName() + ": " + f.getMessage();
            return new ProbeOutcome(CheckStatus.DOWN, total, why, m, f.retryable());
        }
        m.put("bridge.ice_candidates", (double) report.candidates());
        if (report.cleanupProblem().isPresent()) {
            return ProbeOutcome.degraded(total, ProbeStep.CLEANUP.wireName() + ": " + report.cleanupProblem().get(), m);
        }
        if (total > settings.degradedLatency().toMillis()) {
            return ProbeOutcome.degraded(total, "slow: the conference took " + total + " ms to set up (above "
                    + settings.degradedLatency().toMillis() + " ms)", m);
        }
        return ProbeOutcome.up(total, m);
    }
}
