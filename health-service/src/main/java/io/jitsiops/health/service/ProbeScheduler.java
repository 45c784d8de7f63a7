package io.jitsiops.health.service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.jitsiops.health.config.HealthConfig;
import io.jitsiops.health.probe.CheckStatus;
import io.jitsiops.health.probe.HttpProber;
import io.jitsiops.health.probe.Probe;
import io.jitsiops.health.probe.ProbeCatalog;
import io.jitsiops.health.probe.ProbeOutcome;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Runs every check on its own interval. Every check is listed (UNKNOWN) from start-up; first runs are spread
 * at random over a short window ({@code first-run-spread}) so that checks do not fire all at once yet report
 * within seconds; after that each keeps its cadence (planned times, not "interval after the last finish"), and
 * the lag between planned and actual start is measured.
 * <p>
 * A check never runs twice at once: a run is registered when it is subscribed, a scheduled tick that finds
 * the previous run still going is skipped (and counted), and an on-demand run joins the run in progress.
 * A run's wall-clock time is bounded by {@link #runLimit(Probe)}: its attempts' timeouts plus the back-off
 * between them plus a small margin, whatever the probe does. Failures the probe marks as worth retrying are
 * retried with exponential back-off; permanent ones are not. A run never fails: errors become DOWN outcomes.
 * While the flap damping holds a verdict back (failed, not yet DOWN; or DOWN, answering again, not yet back) the
 * check runs again after {@code retry-interval} rather than a whole interval later.
 */
@ApplicationScoped
public class ProbeScheduler {
    private static final Logger LOG = Logger.getLogger(ProbeScheduler.class);
    /** Back-off before the first retry; doubles with each further one, up to {@link #MAX_BACKOFF}. */
    static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(2);
    /** Slack for scheduling and recording beyond the attempts' own timeouts. */
    static final Duration MARGIN = Duration.ofMillis(250);

    private final ProbeCatalog catalog;
    private final ResultPipeline pipeline;
    private final HealthMetrics metrics;
    private final HealthConfig config;
    private final Vertx vertx;
    private final Map<Probe, Uni<CheckState>> inFlight = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    public ProbeScheduler(ProbeCatalog catalog, ResultPipeline pipeline, HealthMetrics metrics, HealthConfig config, Vertx vertx) {
        this.catalog = catalog;
        this.pipeline = pipeline;
        this.metrics = metrics;
        this.config = config;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        Instant now = Instant.now();
        catalog.probes().forEach(p -> pipeline.pending(p.key(), now));
        if (!config.scheduleEnabled()) {
            LOG.info("Scheduled checks are off (jitsiops.health.schedule-enabled=false)");
            return;
        }
        schedule(catalog.probes(), config.firstRunSpread());
        LOG.infof("Scheduled %d checks, first runs within %s", catalog.probes().size(), config.firstRunSpread());
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
    }

    /**
     * Runs {@code probes} on their own intervals until the returned schedule is cancelled or the service stops:
     * first runs at random within {@code firstRunSpread} (or the probe's interval, if shorter), then at planned
     * times. Start-up schedules the catalog this way; a schedule of its own lets the scheduling itself be tested in
     * the one shared test application, whose checks otherwise run only on demand.
     */
    public Schedule schedule(List<Probe> probes, Duration firstRunSpread) {
        Schedule schedule = new Schedule();
        for (Probe probe : probes) {
            long window = Math.max(1, Math.min(probe.interval().toNanos(), firstRunSpread.toNanos()));
            schedule.plan(probe, System.nanoTime() + ThreadLocalRandom.current().nextLong(window));
        }
        return schedule;
    }

    /** Probes running on their intervals; {@link #cancel()} ends it (a run in progress still records its result). */
    public final class Schedule {
        private volatile boolean cancelled;

        public void cancel() {
            cancelled = true;
        }

        private void plan(Probe probe, long plannedNanos) {
            if (stopped || cancelled) {
                return;
            }
            long delayMillis = Math.max(1, (plannedNanos - System.nanoTime()) / 1_000_000);
            vertx.setTimer(delayMillis, id -> fire(probe, plannedNanos));
        }

        private void fire(Probe probe, long plannedNanos) {
            if (stopped || cancelled) {
                return;
            }
            long now = System.nanoTime();
            metrics.scheduleLag(Duration.ofNanos(now - plannedNanos));
            long next = plannedNanos + probe.interval().toNanos();
            if (next <= now) {
                next = now + probe.interval().toNanos(); // fell a whole interval behind: do not fire a burst to catch up
            }
            plan(probe, next);
            if (inFlight.containsKey(probe)) {
                metrics.skipped(); // the previous run is still going: never two at once
                return;
            }
            run(probe);
        }

        private void run(Probe probe) {
            execute(probe).subscribe().with(state -> confirmSoon(probe, state),
                    failure -> LOG.errorf(failure, "check %s failed to record", probe.key()));
        }

        /** A verdict the damping holds back is checked again after the retry interval (never two runs at once). */
        private void confirmSoon(Probe probe, CheckState state) {
            Duration retry = config.retryInterval();
            if (!awaitsConfirmation(state) || retry.isZero() || retry.isNegative() || retry.compareTo(probe.interval()) >= 0) {
                return;
            }
            vertx.setTimer(retry.toMillis(), id -> {
                if (!stopped && !cancelled && !inFlight.containsKey(probe)) {
                    metrics.retried();
                    run(probe);
                }
            });
        }
    }

    /**
     * Whether the damping holds this check's verdict back: its last outcome failed but it is not DOWN yet, or it is DOWN
     * and its last outcome succeeded (not yet back).
     */
    static boolean awaitsConfirmation(CheckState state) {
        if (state == null || state.lastOutcome() == null) {
            return false;
        }
        boolean failed = state.lastOutcome().failed();
        return failed != (state.status() == CheckStatus.DOWN);
    }

    /**
     * Runs one check now (with its retries) and records the outcome; if the check is already running, joins
     * that run instead of starting another. Nothing happens until the returned Uni is subscribed.
     */
    public Uni<CheckState> execute(Probe probe) {
        return Uni.createFrom().deferred(() -> inFlight.computeIfAbsent(probe, this::newRun));
    }

    /** Every check at once, as POST /api/health/check asks. */
    public Uni<List<CheckState>> runAll() {
        List<Uni<CheckState>> runs = catalog.probes().stream().map(this::execute).toList();
        return runs.isEmpty() ? Uni.createFrom().item(List.of()) : Uni.join().all(runs).andFailFast();
    }

    /** A run shared by whoever asks while it goes on; it leaves {@link #inFlight} when it ends. */
    private Uni<CheckState> newRun(Probe probe) {
        Instant at = Instant.now();
        AtomicReference<Uni<CheckState>> self = new AtomicReference<>();
        Uni<CheckState> run = bounded(probe)
                .map(outcome -> pipeline.accept(probe.key(), outcome, at))
                .onTermination().invoke(() -> inFlight.remove(probe, self.get()))
                .memoize().indefinitely();
        self.set(run);
        return run;
    }

    /** The whole run, attempts and back-off included, within {@link #runLimit(Probe)}. */
    Uni<ProbeOutcome> bounded(Probe probe) {
        if (probe.retries() == 0) {
            return attempts(probe); // one attempt: its own timeout is the bound, no second timer needed
        }
        Duration limit = runLimit(probe);
        long started = System.nanoTime();
        return attempts(probe)
                .ifNoItem().after(limit).recoverWithItem(() -> ProbeOutcome.down(elapsedMs(started),
                        "no result within " + limit.toMillis() + " ms (" + (probe.retries() + 1) + " attempt(s) of "
                                + probe.timeout().toMillis() + " ms)"));
    }

    private Uni<ProbeOutcome> attempts(Probe probe) {
        Uni<ProbeOutcome> once = Uni.createFrom().deferred(probe::run)
                .ifNoItem().after(probe.timeout()).failWith(() -> new java.util.concurrent.TimeoutException(
                        "no answer within " + probe.timeout().toMillis() + " ms"))
                .onFailure().recoverWithItem(e -> HttpProber.isTransient(e)
                        ? ProbeOutcome.transientDown(null, HttpProber.describe(e, probe.timeout()), null)
                        : ProbeOutcome.down(null, HttpProber.describe(e, probe.timeout())));
        if (probe.retries() == 0) {
            return once;
        }
        // Mutiny retries on failures: a failure worth retrying travels as one until the attempts run out.
        return once.onItem().transform(o -> {
                    if (o.worthRetrying()) {
                        throw new RetryableOutcome(o);
                    }
                    return o;
                })
                .onFailure(RetryableOutcome.class).retry().withBackOff(FIRST_BACKOFF, MAX_BACKOFF).withJitter(0)
                .atMost(probe.retries())
                .onFailure(RetryableOutcome.class).recoverWithItem(e -> ((RetryableOutcome) e).outcome);
    }

    /**
     * The most a run of {@code probe} may take: each attempt's timeout, the back-off before each retry
     * (200 ms doubling, at most 2 s) and {@link #MARGIN}. This is the bound the README promises.
     */
    public static Duration runLimit(Probe probe) {
        Duration limit = probe.timeout().multipliedBy(probe.retries() + 1L).plus(MARGIN);
        Duration backoff = FIRST_BACKOFF;
        for (int i = 0; i < probe.retries(); i++) {
            limit = limit.plus(backoff);
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
        return limit;
    }

    private static long elapsedMs(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    /** Carries a retryable outcome through Mutiny's failure-based retry; never escapes this class. */
    private static final class RetryableOutcome extends RuntimeException {
        final transient ProbeOutcome outcome;

        RetryableOutcome(ProbeOutcome outcome) {
            super(outcome.error(), null, false, false);
            this.outcome = outcome;
        }
    }
}
