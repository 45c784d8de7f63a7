package io.jitsiops.metrics.service;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.jitsiops.metrics.repository.ReportRepository;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/** Shortly after midnight UTC: the performance report of the day before, stored (kind {@code daily}). */
@ApplicationScoped
public class DailyReportJob {
    private static final Logger LOG = Logger.getLogger(DailyReportJob.class);
    private final PerformanceAnalyzer analyzer;
    private final ReportRepository reports;

    public DailyReportJob(PerformanceAnalyzer analyzer, ReportRepository reports) {
        this.analyzer = analyzer;
        this.reports = reports;
    }

    @Scheduled(cron = "${jitsiops.metrics.daily-report-cron:0 5 0 * * ?}", timeZone = "UTC",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return store(LocalDate.now(ZoneOffset.UTC).minusDays(1)).onFailure().recoverWithItem(e -> {
            LOG.warnf("daily report failed: %s", e.getMessage());
            return null;
        });
    }

    /** Computes and stores the report of {@code day} (UTC midnight to midnight). */
    public Uni<Void> store(LocalDate day) {
        Instant end = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        return analyzer.analyze(end, Duration.ofDays(1))
                .flatMap(report -> reports.store("daily", end.minus(Duration.ofDays(1)), end, report.put("day", day.toString())));
    }
}
