package io.jitsiops.metrics.service;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.jitsiops.metrics.config.MetricsConfig;
import io.jitsiops.metrics.repository.QualityRepository;
import io.jitsiops.metrics.repository.SeriesRepository;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Every {@code jitsiops.metrics.retention.every}: rolls the last complete minutes up into 1-minute rollups (the last
 * five again, so that late rows and a missed run are covered; a rerun replaces a minute), then deletes raw rows older
 * than {@code retention.raw} and rollups older than {@code retention.rollup}.
 */
@ApplicationScoped
public class RetentionJob {
    private static final Logger LOG = Logger.getLogger(RetentionJob.class);
    private final SeriesRepository series;
    private final QualityRepository quality;
    private final MetricsConfig config;

    public RetentionJob(SeriesRepository series, QualityRepository quality, MetricsConfig config) {
        this.series = series;
        this.quality = quality;
        this.config = config;
    }

    @Scheduled(every = "${jitsiops.metrics.retention.every}", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return run(Instant.now()).onFailure().recoverWithItem(e -> {
            LOG.warnf("rollup/retention failed, retried on the next run: %s", e.getMessage());
            return null;
        }).replaceWithVoid();
    }

    /** Rollups up to the minute before {@code now}, then retention; the rows rolled up and deleted. */
    public Uni<long[]> run(Instant now) {
        Instant to = now.truncatedTo(ChronoUnit.MINUTES);
        Instant from = to.minus(Duration.ofMinutes(5));
        return series.rollup(from, to).flatMap(rolled -> series.deleteOlderThan(now.minus(config.retention().raw()),
                        now.minus(config.retention().rollup()))
                .flatMap(deleted -> quality.deleteOlderThan(now.minus(config.retention().raw()))
                        .map(deletedQuality -> new long[] { rolled, deleted + deletedQuality })));
    }
}
