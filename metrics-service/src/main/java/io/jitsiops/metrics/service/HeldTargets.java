package io.jitsiops.metrics.service;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.jitsiops.metrics.scrape.ScrapeTarget;
import io.smallrye.mutiny.Uni;

/**
 * What this replica keeps of a target — its scrape counts and last scrape (jitsi_ops_metrics_scrape_*), its findings,
 * its last readings (re-exported on /q/metrics), counter and signal history, its bridge's conferences — lives only
 * while it holds the target's lease. A scrape starts only while the lease counts; when the lease is released (moved
 * to another replica, or lost), the target's state is forgotten, so that the replica stops exporting a frozen
 * {@code scrape_up} or last reading of a target it no longer scrapes and its counters do not outlive the target, and
 * a target whose lease comes back starts afresh. Forgetting while a scrape of the target is still in flight would
 * let that scrape bring the state back when it finishes: the forgetting then waits for the last such scrape (at most
 * the target's timeout), and is skipped if the lease came back meanwhile.
 * <p>
 * A monitor per target rather than a queue: under it there is only a count and a flag, and the forgetting removes
 * the target's entries from in-memory maps, so neither the event loop starting or ending a scrape nor the lease
 * thread releasing ever waits on I/O, and a check of the lease and the start of a scrape cannot be split by a release.
 */
final class HeldTargets {
    private final Predicate<String> mayScrape;
    private final Predicate<String> leaseHeld;
    private final Consumer<ScrapeTarget> forget;
    private final Map<String, Tenure> tenures = new ConcurrentHashMap<>();

    /** One target's scrapes in flight, and whether its state is to be forgotten when the last has finished. */
    private static final class Tenure {
        private int inFlight;
        private boolean forgetWhenIdle;
    }

    /**
     * @param mayScrape whether a scrape of the target key may start now (its lease counts)
     * @param leaseHeld whether the target key's lease is held at all: its state is forgotten only once it is not
     * @param forget    drops everything kept of the target (called under the target's monitor)
     */
    HeldTargets(Predicate<String> mayScrape, Predicate<String> leaseHeld, Consumer<ScrapeTarget> forget) {
        this.mayScrape = mayScrape;
        this.leaseHeld = leaseHeld;
        this.forget = forget;
    }

    /** Runs the scrape if the target's lease counts when it is subscribed to; an empty result if not. */
    Uni<Void> scrape(ScrapeTarget t, Supplier<Uni<Void>> scrape) {
        return Uni.createFrom().deferred(() -> {
            Tenure tenure = tenures.computeIfAbsent(t.key(), k -> new Tenure());
            synchronized (tenure) {
                if (!mayScrape.test(t.key())) {
                    return Uni.createFrom().voidItem();
                }
                tenure.inFlight++;
            }
            Uni<Void> running;
            try {
                running = scrape.get();
            } catch (RuntimeException e) {
                finished(t, tenure);
                throw e;
            }
            return running.onTermination().invoke(() -> finished(t, tenure));
        });
    }

    /** The target's lease was released: its state is forgotten now, or when its last scrape in flight has finished. */
    void release(ScrapeTarget t) {
        Tenure tenure = tenures.computeIfAbsent(t.key(), k -> new Tenure());
        synchronized (tenure) {
            if (leaseHeld.test(t.key())) {
                return; // assigned back before this release was told
            }
            if (tenure.inFlight > 0) {
                tenure.forgetWhenIdle = true;
            } else {
                forget.accept(t);
            }
        }
    }

    private void finished(ScrapeTarget t, Tenure tenure) {
        synchronized (tenure) {
            tenure.inFlight--;
            if (tenure.inFlight == 0 && tenure.forgetWhenIdle) {
                tenure.forgetWhenIdle = false;
                if (!leaseHeld.test(t.key())) {
                    forget.accept(t);
                }
            }
        }
    }
}
