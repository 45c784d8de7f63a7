package io.jitsiops.health.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.jitsiops.health.probe.CheckStatus;
import io.jitsiops.health.probe.CheckKey;
import io.jitsiops.health.probe.ProbeOutcome;

class FlapDamperTest {
    private static final CheckKey KEY = new CheckKey("jvb", "jvb-1", "about-health");
    private final FlapDamper damper = new FlapDamper(3, 2);
    private Instant t = Instant.parse("2026-11-28T10:00:00Z");

    @Test
    void goesDownOnlyAfterThreeFailuresInARowAndReportsWhenTheFailuresBegan() {
        step(up());
        Instant firstFailure = t.plusSeconds(60);
        assertThat(step(down()).state().status()).isEqualTo(CheckStatus.UP);
        assertThat(step(down()).state().status()).isEqualTo(CheckStatus.UP);
        FlapDamper.Step third = step(down());
        assertThat(third.state().status()).isEqualTo(CheckStatus.DOWN);
        assertThat(third.previous()).contains(CheckStatus.UP);
        assertThat(third.state().since()).isEqualTo(firstFailure);
    }

    @Test
    void aSingleFailureBetweenSuccessesChangesNothing() {
        step(up());
        step(down());
        FlapDamper.Step back = step(up());
        assertThat(back.state().status()).isEqualTo(CheckStatus.UP);
        assertThat(back.changed()).isFalse();
    }

    @Test
    void comesBackOnlyAfterTwoSuccessesInARow() {
        step(down());
        assertThat(step(up()).state().status()).isEqualTo(CheckStatus.DOWN);
        assertThat(step(down()).state().status()).isEqualTo(CheckStatus.DOWN);
        assertThat(step(up()).state().status()).isEqualTo(CheckStatus.DOWN);
        FlapDamper.Step recovered = step(up());
        assertThat(recovered.state().status()).isEqualTo(CheckStatus.UP);
        assertThat(recovered.previous()).contains(CheckStatus.DOWN);
    }

    @Test
    void aVerdictHeldBackByTheDampingAwaitsAConfirmingRunAndASettledOneDoesNot() {
        assertThat(ProbeScheduler.awaitsConfirmation(step(up()).state())).isFalse();
        assertThat(ProbeScheduler.awaitsConfirmation(step(down()).state())).as("1st failure: not DOWN yet").isTrue();
        assertThat(ProbeScheduler.awaitsConfirmation(step(down()).state())).as("2nd failure").isTrue();
        assertThat(ProbeScheduler.awaitsConfirmation(step(down()).state())).as("DOWN: settled").isFalse();
        assertThat(ProbeScheduler.awaitsConfirmation(step(down()).state())).as("still DOWN").isFalse();
        assertThat(ProbeScheduler.awaitsConfirmation(step(up()).state())).as("answering, not back yet").isTrue();
        assertThat(ProbeScheduler.awaitsConfirmation(step(up()).state())).as("back UP: settled").isFalse();
        assertThat(ProbeScheduler.awaitsConfirmation(step(ProbeOutcome.degraded(3000, "slow", null)).state()))
                .as("DEGRADED is followed at once: nothing to confirm").isFalse();
    }

    @Test
    void followsUpAndDegradedAtOnce() {
        step(up());
        assertThat(step(ProbeOutcome.degraded(3000, "slow", null)).state().status()).isEqualTo(CheckStatus.DEGRADED);
        assertThat(step(up()).state().status()).isEqualTo(CheckStatus.UP);
    }

    private FlapDamper.Step step(ProbeOutcome o) {
        t = t.plusSeconds(60);
        return damper.record(KEY, o, t);
    }

    private static ProbeOutcome up() {
        return ProbeOutcome.up(10, null);
    }

    private static ProbeOutcome down() {
        return ProbeOutcome.down(null, "refused");
    }
}
