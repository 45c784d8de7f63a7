package io.jitsiops.health.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.jitsiops.health.probe.CheckKey;
import io.jitsiops.health.probe.ProbeOutcome;
import io.jitsiops.health.service.FlapDamper;

class HealthReportTest {
    private final FlapDamper damper = new FlapDamper(1, 1);
    private final Instant start = Instant.parse("2026-11-29T08:00:00Z");

    @Test
    void listsPendingChecksAsUnknownAndNeverSaysUpWhileAnyIsPending() {
        CheckKey jicofo = new CheckKey("jicofo", "jicofo", "about-health");
        CheckKey jvb = new CheckKey("jvb", "jvb-1", "about-health");
        damper.pending(jicofo, start);
        damper.pending(jvb, start);
        damper.record(jicofo, ProbeOutcome.up(12, null), start.plusSeconds(1));

        HealthReport report = HealthReport.of(damper.states());

        assertThat(report.status()).isEqualTo("UNKNOWN");
        assertThat(report.checks()).extracting(CheckView::target, CheckView::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("jicofo", "UP"),
                        org.assertj.core.groups.Tuple.tuple("jvb-1", "UNKNOWN"));
        assertThat(report.checkedAt()).isEqualTo(start.plusSeconds(1));
    }

    @Test
    void aFirstResultAfterPendingIsNoStatusChange() {
        CheckKey jvb = new CheckKey("jvb", "jvb-1", "about-health");
        damper.pending(jvb, start);
        assertThat(damper.record(jvb, ProbeOutcome.down(3L, "connection refused"), start.plusSeconds(2)).changed()).isFalse();
        assertThat(HealthReport.of(damper.states()).status()).isEqualTo("DOWN");
    }

    @Test
    void isUnknownWhenNothingIsConfigured() {
        assertThat(HealthReport.of(List.of()).status()).isEqualTo("UNKNOWN");
    }
}
