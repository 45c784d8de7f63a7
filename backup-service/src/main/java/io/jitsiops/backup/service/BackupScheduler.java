package io.jitsiops.backup.service;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.jitsiops.backup.config.BackupConfig;
import io.jitsiops.backup.config.BackupPlan;
import io.jitsiops.backup.repository.BackupCatalogue;
import io.jitsiops.backup.repository.BackupRecord;
import io.jitsiops.deployment.DeploymentDescription;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Runs the description's schedules with Quarkus' scheduler, in the backup section's time zone. At start-up, a
 * schedule whose last due time passed without a backup of it (the service was down) runs once, when
 * {@code jitsiops.backup.catch-up} is on.
 */
@ApplicationScoped
public class BackupScheduler {
    private static final Logger LOG = Logger.getLogger(BackupScheduler.class);
    private final BackupPlan plan;
    private final BackupService service;
    private final BackupCatalogue catalogue;
    private final BackupConfig config;
    private final Scheduler scheduler;

    public BackupScheduler(BackupPlan plan, BackupService service, BackupCatalogue catalogue, BackupConfig config,
                           Scheduler scheduler) {
        this.plan = plan;
        this.service = service;
        this.catalogue = catalogue;
        this.config = config;
        this.scheduler = scheduler;
    }

    void start(@Observes StartupEvent start) {
        if (!config.scheduleEnabled()) {
            LOG.info("Backup schedules are off (jitsiops.backup.schedule-enabled=false): backups run on demand only");
            return;
        }
        for (DeploymentDescription.BackupSchedule s : plan.schedules()) {
            String cron = BackupSchedules.cron(s);
            scheduler.newJob("backup-" + s.name()).setCron(cron).setTimeZone(plan.zone().getId())
                    .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                    .setTask(x -> run(s.name(), "scheduled"), true)
                    .schedule();
            LOG.infof("Backup schedule %s: %s (%s), keeps %d, next %s", s.name(), cron, plan.zone(), s.retention(),
                    BackupSchedules.nextDue(s, ZonedDateTime.now(plan.zone())).map(Object::toString).orElse("never"));
        }
        if (config.catchUp()) {
            Infrastructure.getDefaultWorkerPool().execute(this::catchUp);
        }
    }

    /** Runs, once each, the schedules that were due while the service was down. */
    void catchUp() {
        ZonedDateTime now = ZonedDateTime.now(plan.zone());
        for (DeploymentDescription.BackupSchedule s : plan.schedules()) {
            Optional<ZonedDateTime> due = BackupSchedules.lastDue(s, now);
            if (due.isEmpty()) {
                continue;
            }
            Instant since = due.get().toInstant();
            try {
                List<BackupRecord> after = BackupEngine.await(catalogue.list(
                        List.of("RUNNING", "COMPLETED", "VERIFIED", "VERIFICATION_FAILED", "FAILED"), s.name(), null, since, null, 1));
                List<BackupRecord> ever = BackupEngine.await(catalogue.list(
                        List.of("COMPLETED", "VERIFIED", "VERIFICATION_FAILED", "FAILED", "PRUNED"), s.name(), null, null, null, 1));
                if (after.isEmpty() && !ever.isEmpty()) {
                    LOG.infof("Backup %s was due at %s while the service was down: running it now", s.name(), due.get());
                    run(s.name(), "catch-up");
                } else if (ever.isEmpty()) {
                    LOG.infof("Backup schedule %s has never run; first run at its next due time", s.name());
                }
            } catch (RuntimeException e) {
                LOG.warnf("Catch-up of schedule %s skipped: %s", s.name(), e.getMessage());
            }
        }
    }

    private void run(String schedule, String why) {
        try {
            service.backup(schedule, null);
        } catch (BackupFailedException e) {
            // the failure is in the catalogue, the event and the log already
        } catch (RuntimeException e) {
            LOG.errorf("Scheduled (%s) backup %s could not run: %s", why, schedule, e.getMessage());
        }
    }
}
