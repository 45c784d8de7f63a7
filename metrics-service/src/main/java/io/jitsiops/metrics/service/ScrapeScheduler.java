package io.jitsiops.metrics.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.jitsiops.deployment.DeploymentDescription;
import io.jitsiops.deployment.DurationParser;
import io.jitsiops.metrics.config.MetricsConfig;
import io.jitsiops.metrics.quality.BridgeDebugQuality;
import io.jitsiops.metrics.scrape.Findings;
import io.jitsiops.metrics.scrape.HttpFetcher;
import io.jitsiops.metrics.scrape.ScrapeStats;
import io.jitsiops.metrics.scrape.ScrapeTarget;
import io.jitsiops.metrics.scrape.StatsScraper;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Scrapes each target this replica owns on its own timer — statistics every {@code metricsInterval} (default
 * 15 s), a JVB's per-conference quality every {@code qualityInterval} (default 5 s) — so that a slow or dead
 * target only ever delays itself: each scrape is bounded by the target's timeout, and a target whose previous
 * scrape is still running skips a turn instead of piling requests up. Start times are spread over the interval.
 */
@ApplicationScoped
public class ScrapeScheduler {
    static final String KAFKA = "kafka";
    private static final Logger LOG = Logger.getLogger(ScrapeScheduler.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<ScrapeTarget> targets;
    private final MetricsConfig config;
    private final StatsScraper scraper;
    private final HttpFetcher http;
    private final MetricsPipeline metrics;
    private final QualityPipeline quality;
    private final Findings findings;
    private final ScrapeStats stats;
    private final Vertx vertx;
    private final Map<String, Boolean> running = new ConcurrentHashMap<>();
    private final List<Long> timers = java.util.Collections.synchronizedList(new ArrayList<>());
    /** Each target's ticks (statistics, quality) once its timer runs, by target key: run at once on a lease taken over. */
    private final Map<String, List<Runnable>> ticks = new ConcurrentHashMap<>();
    private final String bootstrapServers;
    private volatile KafkaTargetLeases leases;
    private final HeldTargets held;

    public ScrapeScheduler(DeploymentDescription deployment, MetricsConfig config, StatsScraper scraper, HttpFetcher http,
                           MetricsPipeline metrics, QualityPipeline quality, Findings findings, ScrapeStats stats, Vertx vertx,
                           @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.config = config;
        this.scraper = scraper;
        this.http = http;
        this.metrics = metrics;
        this.quality = quality;
        this.findings = findings;
        this.stats = stats;
        this.vertx = vertx;
        this.targets = owned(deployment, config);
        this.bootstrapServers = bootstrapServers;
        this.held = new HeldTargets(this::leaseCounts, key -> {
            KafkaTargetLeases l = leases;
            return l == null || l.holdsLease(key);
        }, this::forget);
    }

    static List<ScrapeTarget> owned(DeploymentDescription deployment, MetricsConfig config) {
        List<ScrapeTarget> all = new ArrayList<>();
        DeploymentDescription.Jitsi jitsi = deployment.jitsi();
        if (jitsi != null) {
            jitsi.jvb().forEach(t -> all.add(target("jvb", t, config)));
            jitsi.jicofo().forEach(t -> all.add(target("jicofo", t, config)));
            jitsi.prosody().forEach(t -> all.add(target("prosody", t, config)));
            jitsi.web().forEach(t -> all.add(target("web", t, config)));
        }
        String membership = config.replicas().membership();
        if (membership.equals(KAFKA)) {
            return all; // every replica keeps every target; the leases it holds say which it scrapes
        }
        if (!membership.equals("static")) {
            throw new IllegalArgumentException("jitsiops.metrics.replicas.membership must be static or kafka, got '" + membership + "'");
        }
        TargetRing ring = new TargetRing(config.replicas().count());
        int me = config.replicas().index();
        if (me < 0 || me >= config.replicas().count()) {
            throw new IllegalArgumentException("jitsiops.metrics.replicas.index must be 0.." + (config.replicas().count() - 1) + ", got " + me);
        }
        return all.stream().filter(t -> ring.owner(t.key()) == me).toList();
    }

    private static ScrapeTarget target(String component, DeploymentDescription.Target t, MetricsConfig config) {
        return new ScrapeTarget(component, t.name(), t.url(),
                t.metricsInterval() == null ? config.statsInterval() : DurationParser.parse(t.metricsInterval()),
                t.qualityInterval() == null ? config.qualityInterval() : DurationParser.parse(t.qualityInterval()),
                t.timeout() == null ? config.timeout() : DurationParser.parse(t.timeout()));
    }

    void onStart(@Observes StartupEvent start) {
        if (config.replicas().membership().equals(KAFKA)) {
            LOG.infof("Scraping those of %d targets whose Kafka lease this replica holds: %s", targets.size(),
                    targets.stream().map(ScrapeTarget::key).toList());
        } else {
            LOG.infof("Scraping %d targets (replica %d of %d): %s", targets.size(), config.replicas().index(), config.replicas().count(),
                    targets.stream().map(ScrapeTarget::key).toList());
        }
        if (!config.scheduleEnabled()) {
            return;
        }
        if (config.replicas().membership().equals(KAFKA)) {
            int partitions = config.replicas().leasePartitions();
            leases = new KafkaTargetLeases(bootstrapServers, "jitsi-ops-metrics-scrapers", KafkaTargetLeases.TOPIC, partitions,
                    config.replicas().sessionTimeout(), this::scrapeTakenOver, this::released);
            // the topic is checked on the lease thread once Kafka answers (start-up does not wait for Kafka): a topic
            // with fewer partitions than configured is a configuration error found after start-up, so the replica
            // stops as if its start-up had failed, rather than run holding no lease (its log names the key and fix)
            leases.topicChecked().whenComplete((ok, refused) -> {
                if (refused != null) {
                    LOG.error("Stopping: this replica cannot hold scrape leases on the lease topic as configured (above)");
                    Quarkus.asyncExit(1);
                }
            });
        }
        for (ScrapeTarget t : targets) {
            every(t.statsInterval(), t.key(), t.key(), () -> statsOnce(t));
            if (t.component().equals("jvb")) {
                every(t.qualityInterval(), t.key() + "#quality", t.key(), () -> qualityOnce(t));
            }
        }
    }

    void onStop(@Observes ShutdownEvent stop) {
        timers.forEach(vertx::cancelTimer);
        if (leases != null) {
            leases.close();
        }
    }

    /**
     * The targets of lease partitions just gained are scraped now, not at their next tick: a dead replica's targets
     * then miss at most the time Kafka takes to hand its leases over, not that plus an interval.
     */
    private void scrapeTakenOver(java.util.Set<Integer> gained) {
        int partitions = config.replicas().leasePartitions();
        ticks.forEach((ownerKey, list) -> {
            if (gained.contains(KafkaTargetLeases.partition(ownerKey, partitions))) {
                list.forEach(tick -> vertx.runOnContext(v -> tick.run()));
            }
        });
    }

    /**
     * The targets of lease partitions just given up are another replica's now: what this one kept of them leaves
     * /q/metrics and the APIs (HeldTargets), so that only their new holder exports them.
     */
    private void released(java.util.Set<Integer> lost) {
        int partitions = config.replicas().leasePartitions();
        List<ScrapeTarget> gone = targets.stream().filter(t -> lost.contains(KafkaTargetLeases.partition(t.key(), partitions))).toList();
        if (!gone.isEmpty()) {
            LOG.infof("Released the leases of %d targets: no longer scraped or exported here: %s", gone.size(),
                    gone.stream().map(ScrapeTarget::key).toList());
            gone.forEach(held::release);
        }
    }

    /** Everything this replica kept of one target whose lease it released (see HeldTargets). */
    private void forget(ScrapeTarget t) {
        stats.forget(t);
        findings.forget(t);
        scraper.forget(t);
        metrics.forget(t);
        if (t.component().equals("jvb")) {
            quality.forgetBridge(t.name());
        }
        LOG.debugf("%s: forgotten on this replica", t.key());
    }

    private void every(Duration interval, String key, String ownerKey, java.util.function.Supplier<Uni<Void>> scrape) {
        long period = Math.max(100, interval.toMillis());
        long offset = 1 + Math.floorMod(key.hashCode(), period); // spread the targets' start over the interval
        timers.add(vertx.setTimer(offset, first -> {
            Runnable tick = () -> {
                if (!leaseCounts(ownerKey)) {
                    return; // another replica holds this target's lease
                }
                if (running.putIfAbsent(key, Boolean.TRUE) != null) {
                    return; // previous scrape still within its timeout: skip a turn
                }
                scrape.get().onTermination().invoke(() -> running.remove(key)).subscribe().with(x -> { }, e -> LOG.debug(key, e));
            };
            tick.run();
            ticks.computeIfAbsent(ownerKey, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(tick);
            synchronized (timers) {
                timers.add(vertx.setPeriodic(period, id -> tick.run()));
            }
        }));
    }

    public List<ScrapeTarget> targets() {
        return targets;
    }

    /** Whether this replica scrapes the target now: with Kafka membership, while the target's lease counts here. */
    public boolean scrapesHere(ScrapeTarget t) {
        return leaseCounts(t.key());
    }

    /** Whether a scrape of the target key may start here: always without Kafka membership, else while its lease counts. */
    private boolean leaseCounts(String key) {
        KafkaTargetLeases l = leases;
        return l == null || l.owns(key);
    }

    /** Scrapes every owned target once (statistics and quality), all at the same time. */
    public Uni<Void> runAll() {
        List<Uni<Void>> all = new ArrayList<>();
        for (ScrapeTarget t : targets) {
            all.add(statsOnce(t));
            if (t.component().equals("jvb")) {
                all.add(qualityOnce(t));
            }
        }
        return all.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(all).andCollectFailures().replaceWithVoid();
    }

    /** One scrape of the target's statistics, if this replica holds its lease (always without Kafka membership). */
    public Uni<Void> statsOnce(ScrapeTarget t) {
        return held.scrape(t, () -> scraper.scrape(t).invoke(r -> {
            if (r != null) {
                metrics.accept(r);
            } else {
                metrics.acceptUnmeasured(t, Instant.now());
            }
        }).replaceWithVoid());
    }

    /** A JVB's {@code /debug?full=true}: per-conference quality where the real bridge exposes it (if its lease is held). */
    public Uni<Void> qualityOnce(ScrapeTarget t) {
        return held.scrape(t, () -> quality(t));
    }

    private Uni<Void> quality(ScrapeTarget t) {
        String path = "/debug";
        Instant at = Instant.now();
        return http.get(t.url() + path + "?full=true", "application/json", t.timeout(), config.maxBodyBytes()).map(f -> {
            if (f.status() == 404) {
                stats.record(t, path, f.elapsedMillis(), "HTTP 404");
                findings.raise(t, path, "404: the debug interface is switched off, so per-conference quality cannot be read",
                        "videobridge.rest.debug.enabled = true (jvb.conf)");
                return null;
            }
            if (!f.ok()) {
                stats.record(t, path, f.elapsedMillis(), "HTTP " + f.status());
                return null;
            }
            try {
                JsonNode debug = JSON.readTree(f.body());
                if (debug == null || !debug.isObject()) {
                    throw new IllegalArgumentException("not a JSON object");
                }
                BridgeDebugQuality.Result result = BridgeDebugQuality.read(debug, t.name(), at);
                stats.record(t, path, f.elapsedMillis(), null);
                findings.clear(t, path);
                return result;
            } catch (Exception e) {
                stats.record(t, path, f.elapsedMillis(), "not a debug document: " + e.getMessage());
                return null;
            }
        }).onFailure().recoverWithItem(e -> {
            stats.record(t, path, t.timeout().toMillis(), e.getMessage());
            return null;
        }).invoke(result -> {
            if (result != null) {
                quality.acceptBridge(result);
            }
        }).replaceWithVoid();
    }
}
