package io.jitsiops.health.service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.jitsiops.health.config.HealthConfig;
import io.jitsiops.health.probe.HttpProber;
import io.jitsiops.health.probe.Probe;
import io.jitsiops.health.probe.ProbeCatalog;
import io.jitsiops.health.probe.ProbeFailure;
import io.jitsiops.health.probe.ProbeOutcome;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Runs every check on its own interval. First runs are spread at random over one interval so that checks
 * do not fire all at once; after that each keeps its cadence (planned times, not "interval after the last
 * finish"), and the lag between planned and actual start is measured. A run never overlaps the previous run
 * of the same check, never outlives its timeout, and never fails: errors become DOWN outcomes.
 */
@ApplicationScoped
public class ProbeScheduler {
    private static final Logger LOG = Logger.getLogger(ProbeScheduler.class);
    private final ProbeCatalog catalog;
    private final ResultPipeline pipeline;
    private final HealthMetrics metrics;
    private final HealthConfig config;
    private final Vertx vertx;
    private final Map<Probe, Boolean> running = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    public ProbeScheduler(ProbeCatalog catalog, ResultPipeline pipeline, HealthMetrics metrics, HealthConfig config, Vertx vertx) {
        this.catalog = catalog;
        this.pipeline = pipeline;
        this.metrics = metrics;
        this.config = config;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        if (!config.scheduleEnabled()) {
            LOG.info("Scheduled checks are off (jitsiops.health.schedule-enabled=false)");
            return;
        }
        for (Probe probe : catalog.probes()) {
            long offset = ThreadLocalRandom.current().nextLong(Math.max(1, probe.interval().toNanos()));
            schedule(probe, System.nanoTime() + offset);
        }
        LOG.infof("Scheduled %d checks", catalog.probes().size());
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
    }

    private void schedule(Probe probe, long plannedNanos) {
        if (stopped) {
            return;
        }
        long delayMillis = Math.max(1, (plannedNanos - System.nanoTime()) / 1_000_000);
        vertx.setTimer(delayMillis, id -> fire(probe, plannedNanos));
    }

    private void fire(Probe probe, long plannedNanos) {
        long now = System.nanoTime();
        metrics.scheduleLag(Duration.ofNanos(now - plannedNanos));
        long next = plannedNanos + probe.interval().toNanos();
        if (next <= now) {
            next = now + probe.interval().toNanos(); // fell a whole interval behind: do not fire a burst to catch up
        }
        schedule(probe, next);
        if (running.putIfAbsent(probe, Boolean.TRUE) != null) {
            metrics.skipped();
            return;
        }
        execute(probe).subscribe().with(state -> { }, failure -> LOG.errorf(failure, "check %s failed to record", probe.key()));
    }

    /** Runs one check now (with its retries) and records the outcome. */
    public Uni<CheckState> execute(Probe probe) {
        running.put(probe, Boolean.TRUE);
        Instant at = Instant.now();
        return attempt(probe, probe.retries())
                .map(outcome -> pipeline.accept(probe.key(), outcome, at))
                .onTermination().invoke(() -> running.remove(probe));
    }

    /** Every check at once, as POST /api/health/check asks. */
    public Uni<List<CheckState>> runAll() {
        List<Uni<CheckState>> runs = catalog.probes().stream().map(this::execute).toList();
        return runs.isEmpty() ? Uni.createFrom().item(List.of()) : Uni.join().all(runs).andFailFast();
    }

    private Uni<ProbeOutcome> attempt(Probe probe, int retriesLeft) {
        // The probe's own timeouts bound its requests; this bounds the whole run, whatever the probe does.
        Duration hardLimit = probe.timeout().multipliedBy(3).plusSeconds(1);
        return Uni.createFrom().deferred(probe::run)
                .ifNoItem().after(hardLimit).failWith(() -> new ProbeFailure("no result within " + hardLimit.toMillis() + " ms"))
                .onFailure().recoverWithItem(e -> ProbeOutcome.down(null, HttpProber.describe(e, probe.timeout())))
                .flatMap(outcome -> outcome.failed() && retriesLeft > 0 ? attempt(probe, retriesLeft - 1)
                        : Uni.createFrom().item(outcome));
    }
}
