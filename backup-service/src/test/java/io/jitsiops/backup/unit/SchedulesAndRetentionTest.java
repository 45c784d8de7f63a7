package io.jitsiops.backup.unit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.jitsiops.backup.repository.BackupRecord;
import io.jitsiops.backup.service.BackupSchedules;
import io.jitsiops.backup.service.Retention;
import io.jitsiops.deployment.DeploymentDescription;

class SchedulesAndRetentionTest {
    private static final List<DeploymentDescription.BackupSchedule> DESIGN = DeploymentDescription.Backup.DEFAULT_SCHEDULES;

    @Test
    void theDesignNotesSchedulesAreDailyWeeklyOnSundayAndMonthlyOnTheFirst() {
        assertThat(DESIGN.stream().map(BackupSchedules::cron)).containsExactly("0 0 2 * * ?", "0 0 3 ? * SUN", "0 0 4 1 * ?");
    }

    @Test
    void lastDueTimeIsInTheConfiguredZoneAcrossADaylightSavingChange() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        // Sunday 2026-03-29: clocks go 02:00 -> 03:00 in Berlin; the weekly run at 03:00 local is 01:00Z
        ZonedDateTime now = ZonedDateTime.parse("2026-03-29T10:00:00+02:00[Europe/Berlin]");
        assertThat(BackupSchedules.lastDue(DESIGN.get(1), now).orElseThrow().toInstant()).isEqualTo(Instant.parse("2026-03-29T01:00:00Z"));
        assertThat(BackupSchedules.lastDue(DESIGN.get(2), now.withZoneSameInstant(berlin)).orElseThrow().toInstant())
                .isEqualTo(Instant.parse("2026-03-01T03:00:00Z"));
        assertThat(BackupSchedules.nextDue(DESIGN.get(0), now).orElseThrow().toInstant()).isEqualTo(Instant.parse("2026-03-30T00:00:00Z"));
    }

    @Test
    void retentionKeepsTheNewestPerScheduleButNeverTheNewestVerifiedOfAComponentNorOneInUse() {
        List<BackupRecord> all = new ArrayList<>();
        for (int day = 1; day <= 10; day++) {
            // only day 2 verified for databases: it must survive although 8 newer dailies exist
            String status = day == 2 ? "VERIFIED" : "COMPLETED";
            List<String> comps = day == 2 ? List.of("databases") : List.of("configurations");
            all.add(record("d" + day, "daily", status, comps, day));
        }
        all.add(record("w1", "weekly", "COMPLETED", List.of("configurations"), 1));
        all.add(record("old-schedule", "hourly", "COMPLETED", List.of("configurations"), 1));
        List<String> pruned = Retention.candidates(all, Map.of("daily", 7, "weekly", 4, "manual", 10), Set.of("d1"))
                .stream().map(BackupRecord::id).toList();
        assertThat(pruned).containsExactly("d3"); // d4..d10 kept (7), d2 newest verified databases, d1 in use
    }

    private static BackupRecord record(String id, String schedule, String status, List<String> components, int day) {
        Instant t = Instant.parse("2026-11-01T02:00:00Z").plusSeconds(86400L * day);
        return new BackupRecord(id, schedule, status, components, null, null, 1L, null, null, t, t, "k", null, null, null, null, null);
    }
}
