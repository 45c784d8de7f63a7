package io.jitsiops.alert.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.jitsiops.alert.config.AlertConfigs;

/** The intake's bounds are checked when the service starts; a wrong one stops it, naming the key. */
class ExternalAlertIntakeSettingsTest {

    private static ExternalAlertIntake intake(Map<String, String> keys) {
        return new ExternalAlertIntake(null, null, null, null, null, AlertConfigs.of(keys));
    }

    @Test
    void startsWithFourWritersByDefaultAndWithAnyCountFromOneToSixteen() {
        assertThat(AlertConfigs.of(Map.of()).intake().writers()).isEqualTo(4);
        assertThatCode(() -> intake(Map.of()).stop()).doesNotThrowAnyException();
        assertThatCode(() -> intake(Map.of("jitsiops.alert.intake.writers", "1")).stop()).doesNotThrowAnyException();
        assertThatCode(() -> intake(Map.of("jitsiops.alert.intake.writers", "16")).stop()).doesNotThrowAnyException();
    }

    @Test
    void refusesNoWriterOrMoreThanSixteenNamingTheKey() {
        assertThatThrownBy(() -> intake(Map.of("jitsiops.alert.intake.writers", "0")))
                .hasMessageContaining("jitsiops.alert.intake.writers").hasMessageContaining("was 0");
        assertThatThrownBy(() -> intake(Map.of("jitsiops.alert.intake.writers", "17")))
                .hasMessageContaining("jitsiops.alert.intake.writers").hasMessageContaining("was 17");
    }

    @Test
    void refusesAnUnwrittenBoundBelowOneNamingTheKey() {
        assertThatThrownBy(() -> intake(Map.of("jitsiops.alert.intake.max-unwritten", "0")))
                .hasMessageContaining("jitsiops.alert.intake.max-unwritten");
    }

    @Test
    void lingersFiveMillisecondsByDefaultAndRefusesANegativeLingerNamingTheKey() {
        assertThat(AlertConfigs.of(Map.of()).intake().writeLinger()).isEqualTo(java.time.Duration.ofMillis(5));
        assertThatCode(() -> intake(Map.of("jitsiops.alert.intake.write-linger", "0s")).stop()).doesNotThrowAnyException();
        assertThatThrownBy(() -> intake(Map.of("jitsiops.alert.intake.write-linger", "-1s")))
                .hasMessageContaining("jitsiops.alert.intake.write-linger");
    }

    @Test
    void hasNoPerAlertnameLimitByDefaultAndRefusesANegativeOneNamingTheKey() {
        assertThat(AlertConfigs.of(Map.of()).intake().perAlertnameLimit()).isZero();
        assertThatCode(() -> intake(Map.of("jitsiops.alert.intake.per-alertname-limit", "500")).stop()).doesNotThrowAnyException();
        assertThatThrownBy(() -> intake(Map.of("jitsiops.alert.intake.per-alertname-limit", "-1")))
                .hasMessageContaining("jitsiops.alert.intake.per-alertname-limit").hasMessageContaining("was -1");
    }
}
