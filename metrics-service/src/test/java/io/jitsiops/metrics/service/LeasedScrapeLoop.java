package io.jitsiops.metrics.service;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A replica's scraping as {@link ScrapeScheduler} does it, reduced to the lease decision: every interval each target
 * whose lease this replica holds is "scraped" (reported to the sink with the wall-clock time), and the targets of
 * lease partitions just gained are scraped at once. Used in-process (the survivor) and in a child JVM
 * ({@link LeaseReplicaProcess}, the replica that is killed).
 */
final class LeasedScrapeLoop implements AutoCloseable {
    record Scrape(String replica, String target, long atMillis) {
    }

    private final String replica;
    private final List<String> targets;
    private final int partitions;
    private final Consumer<Scrape> sink;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "leased-scrape-loop");
        t.setDaemon(true);
        return t;
    });
    private final KafkaTargetLeases leases;

    LeasedScrapeLoop(String replica, String bootstrap, String group, String topic, int partitions, Duration session, Duration interval,
                     List<String> targets, Consumer<Scrape> sink) {
        this(replica, bootstrap, group, topic, partitions, session, interval, targets, sink, gained -> { });
    }

    /** @param gainedSink told of each lease gain (before the gained targets are scraped) */
    LeasedScrapeLoop(String replica, String bootstrap, String group, String topic, int partitions, Duration session, Duration interval,
                     List<String> targets, Consumer<Scrape> sink, Consumer<Set<Integer>> gainedSink) {
        this.replica = replica;
        this.targets = targets;
        this.partitions = partitions;
        this.sink = sink;
        this.leases = new KafkaTargetLeases(bootstrap, group, topic, partitions, session,
                gained -> {
                    gainedSink.accept(gained);
                    timer.execute(() -> scrapeGained(gained));
                });
        timer.scheduleAtFixedRate(this::tick, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void tick() {
        for (String t : targets) {
            if (leases.owns(t)) {
                sink.accept(new Scrape(replica, t, System.currentTimeMillis()));
            }
        }
    }

    private void scrapeGained(Set<Integer> gained) {
        for (String t : targets) {
            if (gained.contains(KafkaTargetLeases.partition(t, partitions)) && leases.owns(t)) {
                sink.accept(new Scrape(replica, t, System.currentTimeMillis()));
            }
        }
    }

    Set<Integer> owned() {
        return leases.owned();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        leases.close();
    }
}
