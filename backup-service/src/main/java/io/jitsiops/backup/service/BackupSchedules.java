package io.jitsiops.backup.service;

import java.time.DayOfWeek;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Optional;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

import io.jitsiops.deployment.DeploymentDescription;

/**
 * A schedule of the description as a Quartz cron expression (what Quarkus' scheduler runs), and its last due
 * time (what the catch-up after a down time compares with), computed by cron-utils, the library Quarkus'
 * scheduler itself parses cron with.
 */
public final class BackupSchedules {
    private static final CronParser QUARTZ = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

    private BackupSchedules() {
    }

    /** {@code 02:00} → {@code 0 0 2 * * ?}; day Sunday → {@code 0 0 3 ? * SUN}; day 1 → {@code 0 0 4 1 * ?}. */
    public static String cron(DeploymentDescription.BackupSchedule s) {
        String[] hm = s.time().split(":");
        int hour = Integer.parseInt(hm[0]);
        int minute = Integer.parseInt(hm[1]);
        String day = s.day();
        if (day == null || day.isBlank()) {
            return "0 " + minute + " " + hour + " * * ?";
        }
        if (day.matches("\\d+")) {
            return "0 " + minute + " " + hour + " " + Integer.parseInt(day) + " * ?";
        }
        String dow = DayOfWeek.valueOf(day.toUpperCase(Locale.ROOT)).name().substring(0, 3);
        return "0 " + minute + " " + hour + " ? * " + dow;
    }

    /** The last time the schedule was due at or before {@code now} (in the schedule's zone). */
    public static Optional<ZonedDateTime> lastDue(DeploymentDescription.BackupSchedule s, ZonedDateTime now) {
        return ExecutionTime.forCron(QUARTZ.parse(cron(s))).lastExecution(now.plusSeconds(1));
    }

    public static Optional<ZonedDateTime> nextDue(DeploymentDescription.BackupSchedule s, ZonedDateTime now) {
        return ExecutionTime.forCron(QUARTZ.parse(cron(s))).nextExecution(now);
    }
}
