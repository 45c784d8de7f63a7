package io.jitsiops.log.tail;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.jitsiops.deployment.DeploymentDescription;
import io.jitsiops.deployment.DeploymentDescription.LogSource;
import io.jitsiops.events.kafka.EventPublisher;
import io.jitsiops.events.payload.LogWindowAggregate;
import io.jitsiops.log.analysis.Categorizer;
import io.jitsiops.log.analysis.CategoryRules;
import io.jitsiops.log.config.LogConfig;
import io.jitsiops.log.repository.LogStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Follows every file of the deployment description's {@code logs[]} on its own worker threads (file I/O,
 * JDBC and the wait for Kafka's acknowledgements all block: never on the event loop). A file that made
 * progress is polled again at once; an idle one every poll interval; a failing one backs off up to 5 s.
 * Globs are expanded again every rescan interval. A file that is gone (absent, no longer matched by its glob, read to its
 * end) is no longer followed after {@code retire-after}. Aggregates are published when each window closes. Each
 * configured source's tailing (lines, entries, lag, rotations) is on /q/metrics from start-up ({@link SourceMeters}).
 */
@ApplicationScoped
public class TailService {
    private static final Logger LOG = Logger.getLogger(TailService.class);

    private final LogConfig config;
    private final DeploymentDescription deployment;
    private final LogStore store;
    private final KafkaShipper shipper;
    private final EventPublisher events;
    private final Categorizer categorizer;
    private final MeterRegistry registry;
    /**
     * Each configured source's meters, registered at start-up (a source not read yet shows zeros, not nothing), by their
     * tags: two {@code logs[]} entries that differ only in time zone or CRI share one set.
     */
    private final Map<List<String>, SourceMeters> meters = new ConcurrentHashMap<>();
    private final Map<String, FileTailer> tailers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    /** The files the last complete rescan found (null before the first): a tailer of one it did not find may retire. */
    private volatile Rescan lastRescan;
    private WindowAggregates aggregates;
    private ScheduledExecutorService executor;

    public TailService(LogConfig config, DeploymentDescription deployment, LogStore store, KafkaShipper shipper,
                       EventPublisher events, CategoryRules rules, MeterRegistry registry) {
        this.config = config;
        this.deployment = deployment;
        this.store = store;
        this.shipper = shipper;
        this.events = events;
        this.categorizer = new Categorizer(rules);
        this.registry = registry;
    }

    void onStart(@Observes StartupEvent e) {
        aggregates = new WindowAggregates(config.publish().maxImmediatePerCategory(), Instant.now());
        TailSettings.of(config); // an invalid limit (steps-in-flight) fails the start-up, naming its key
        Duration retireAfter = config.tail().retireAfter();
        if (retireAfter.isNegative() || retireAfter.isZero()) {
            throw new IllegalArgumentException("jitsiops.logs.tail.retire-after must be positive (it is what separates a file "
                    + "that is gone from one renamed and not reopened yet), not " + retireAfter);
        }
        if (!config.tail().enabled() || deployment.logs().isEmpty()) {
            LOG.info("tailing is off (jitsiops.logs.tail.enabled=false or no logs[] in the deployment description)");
            return;
        }
        for (LogSource s : deployment.logs()) {
            meters.computeIfAbsent(meterKey(s), k -> SourceMeters.register(registry, s, Clock.systemUTC()));
        }
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newScheduledThreadPool(config.tail().threads(), r -> {
            Thread t = new Thread(r, "log-tailer-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        executor.execute(this::rescan);
        // a periodic task that throws is never run again: these two log and go on
        executor.scheduleWithFixedDelay(() -> guarded("rescan", this::rescan), config.tail().rescanInterval().toMillis(),
                config.tail().rescanInterval().toMillis(), TimeUnit.MILLISECONDS);
        long window = config.publish().aggregateWindow().toMillis();
        executor.scheduleAtFixedRate(() -> guarded("aggregates", this::publishAggregates), window, window, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent e) {
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        }
        tailers.values().forEach(FileTailer::close);
    }

    private static void guarded(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.warnf("logs: %s failed (next time as usual): %s", what, e.toString());
        }
    }

    private ZoneId defaultZone() {
        return config.defaultTimeZone().map(ZoneId::of).orElse(ZoneId.systemDefault());
    }

    /** The files a rescan that began at {@code started} found, of every source (a path that is not a glob always). */
    private record Rescan(Instant started, Set<String> found) {
    }

    /** Starts a tailer for every configured file and glob match not followed yet. */
    void rescan() {
        Instant started = Instant.now();
        Set<String> all = new HashSet<>();
        boolean complete = true;
        for (LogSource s : deployment.logs()) {
            List<TailSource> found;
            try {
                found = SourceResolver.resolve(s, defaultZone());
            } catch (IOException | RuntimeException ex) {
                LOG.warnf("logs: cannot expand %s: %s", s.path(), ex.getMessage());
                complete = false;
                continue;
            }
            for (TailSource t : found) {
                all.add(t.path().toString());
                tailers.computeIfAbsent(t.path().toString(), k -> {
                    FileTailer tailer = new FileTailer(t, TailSettings.of(config), categorizer, store, shipper,
                            aggregates, Clock.systemUTC(), meters.get(meterKey(s)));
                    executor.execute(() -> begin(tailer));
                    return tailer;
                });
            }
        }
        if (complete) { // a source that could not be expanded found nothing: its files are not gone for that
            lastRescan = new Rescan(started, all); // never changed once published
        }
    }

    private static List<String> meterKey(LogSource s) {
        return List.of(s.component(), s.format().name(), s.path());
    }

    private void begin(FileTailer tailer) {
        try {
            tailer.start();
            LOG.infof("tailing %s (%s, %s)", tailer.source().path(), tailer.source().component(), tailer.source().format());
            executor.execute(() -> run(tailer));
        } catch (Exception | Error ex) { // an Error too: a tailer that is not rescheduled never ships again
            LOG.warnf("%s: cannot start (retrying): %s", tailer.source().path(), ex.toString());
            if (!executor.isShutdown()) {
                executor.schedule(() -> begin(tailer), backoff(tailer), TimeUnit.MILLISECONDS);
            }
        }
    }

    /** One bounded burst of steps, then the tailer goes back in the queue: every file gets its turn. */
    private void run(FileTailer tailer) {
        long delay = config.tail().pollInterval().toMillis();
        try {
            boolean progress = false;
            for (int i = 0; i < 16; i++) {
                if (!tailer.poll()) {
                    break;
                }
                progress = true;
            }
            if (tailer.lastError() != null) {
                delay = backoff(tailer);
            } else {
                failures.remove(tailer.source().path().toString());
                if (progress) {
                    delay = 0;
                }
            }
        } catch (Exception | Error ex) { // an Error too: a tailer that is not rescheduled never ships again
            LOG.warnf("%s: %s", tailer.source().path(), ex.toString());
            delay = backoff(tailer);
        }
        if (retiredIfGone(tailer)) {
            return;
        }
        if (!executor.isShutdown()) {
            executor.schedule(() -> run(tailer), delay, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Stops following a file that is gone: nothing of it left to read or store ({@link FileTailer#goneSince}) for
     * retire-after, and a rescan begun since did not find it (a path that is not a glob is always found: never retired).
     * Without it a dated file deleted by logrotate or a cron kept its tailer, polled forever, with its buffer and meters:
     * one more per file per day. The tailer is waited through a rename and its writer's reopen (it opens the new file at
     * its path itself). Its cursor is deleted first (on PostgreSQL's failure it is not retired yet: tried again after its
     * next poll): a path that comes back is a new file, read from its start. Kept, the cursor would have named a file
     * that is gone, so the new tailer warned of a lost file that was read to its end, a new file on the reused inode with
     * the same first bytes would have been resumed at the old position (lines skipped), and the table would have kept a
     * row per dated file for good. A retired file moved back under its path is read again from its start: duplicates
     * rather than a loss. Runs on the tailer's thread between its polls: nothing of the tailer runs meanwhile.
     *
     * @return whether it is retired (not to be scheduled again)
     */
    private boolean retiredIfGone(FileTailer tailer) {
        Instant since = tailer.goneSince();
        Rescan last = lastRescan;
        String path = tailer.source().path().toString();
        if (since == null || last == null || !last.started().isAfter(since) || last.found().contains(path)
                || Duration.between(since, Instant.now()).compareTo(config.tail().retireAfter()) < 0) {
            return false;
        }
        try {
            store.forgetCursor(path); // while the tailer is still in the map: no new one can read the cursor meanwhile
        } catch (RuntimeException e) {
            LOG.warnf("%s: gone since %s, not retired yet: %s", path, since, e.getMessage());
            return false;
        }
        tailer.close();
        tailers.remove(path, tailer);
        failures.remove(path);
        tailer.meters().retire(tailer);
        LOG.infof("stopped tailing %s: gone since %s", path, since);
        return true;
    }

    private long backoff(FileTailer tailer) {
        int f = failures.computeIfAbsent(tailer.source().path().toString(), k -> new AtomicInteger()).incrementAndGet();
        return Math.min(5000, config.tail().pollInterval().toMillis() * (1L << Math.min(f, 5)));
    }

    void publishAggregates() {
        for (LogWindowAggregate a : aggregates.close(Instant.now())) {
            events.publish(a).subscribe().with(x -> {
            }, err -> LOG.warnf("aggregate of %s not published: %s", a.component(), err.getMessage()));
        }
    }

    public Map<String, FileTailer> tailers() {
        return tailers;
    }

    public WindowAggregates aggregates() {
        return aggregates;
    }
}
