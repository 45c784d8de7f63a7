package io.jitsiops.backup.unit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.jitsiops.backup.restore.control.SystemdController;

/**
 * The systemd control against the real {@code systemctl} of this machine. There is no systemd PID 1 here (no
 * container init, no VM boot), so what is proven is the command it runs and how a refusal is reported: systemctl
 * itself answers "System has not been booted with systemd", and that reaches the restore's reason unchanged. Stopping
 * and starting a real unit needs a systemd host and is not tested here.
 */
class SystemdControllerTest {
    static final Path SYSTEMCTL = Path.of("/usr/bin/systemctl");

    @Test
    void aRefusedStopNamesTheUnitTheCommandAndWhatSystemctlSaid() {
        assumeTrue(Files.isExecutable(SYSTEMCTL), "systemctl is not installed here");
        SystemdController jicofo = new SystemdController("jicofo", SYSTEMCTL.toString(), "jitsi-ops-test-jicofo.service",
                Duration.ofSeconds(20));
        assertThatThrownBy(jicofo::stop)
                .hasMessageStartingWith("systemctl stop jitsi-ops-test-jicofo.service failed: systemctl exited with status ")
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(e.getMessage())
                        .containsAnyOf("System has not been booted with systemd", "not loaded", "Access denied"));
        assertThatThrownBy(jicofo::probe).hasMessageStartingWith("systemctl is-active jitsi-ops-test-jicofo.service failed");
    }

    @Test
    void aMissingSystemctlIsAClearFailureNotAHang() {
        SystemdController prosody = new SystemdController("prosody", "/nonexistent/systemctl", "prosody.service", Duration.ofSeconds(5));
        assertThatThrownBy(prosody::start).hasMessageContaining("/nonexistent/systemctl");
    }
}
