package io.jitsiops.backup.unit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.jitsiops.backup.client.HealthServiceClient;
import io.jitsiops.backup.client.HealthServiceClient.Verdict;
import io.jitsiops.backup.client.HealthServiceReport;
import io.jitsiops.backup.config.BackupConfig;
import io.jitsiops.backup.restore.ServiceControl;
import io.jitsiops.backup.restore.control.SystemdController;

/** Service control settings are checked at start-up naming the key; health-service's report read as a verdict. */
class ServiceControlTest {

    record Settings(BackupConfig.ControlType type, List<String> components, Optional<String> stop, Optional<String> start,
                    Optional<String> check, Optional<String> unit, Optional<String> namespace, Optional<String> deployment,
                    Optional<String> healthComponent, Optional<String> healthTarget) implements BackupConfig.RestoredService {

        static Settings of(BackupConfig.ControlType type) {
            return new Settings(type, List.of("configurations"), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        }

        Settings commands(String stop, String start, String check) {
            return new Settings(type, components, Optional.ofNullable(stop), Optional.ofNullable(start), Optional.ofNullable(check),
                    unit, namespace, deployment, healthComponent, healthTarget);
        }

        Settings unit(String u) {
            return new Settings(type, components, stop, start, check, Optional.of(u), namespace, deployment, healthComponent,
                    healthTarget);
        }

        Settings deployment(String d) {
            return new Settings(type, components, stop, start, check, unit, namespace, Optional.of(d), healthComponent,
                    healthTarget);
        }

        Settings components(String... c) {
            return new Settings(type, List.of(c), stop, start, check, unit, namespace, deployment, healthComponent, healthTarget);
        }
    }

    static Object build(String name, BackupConfig.RestoredService s) {
        return ServiceControl.controllers(Map.of(name, s), "systemctl", Duration.ofSeconds(5), () -> {
            throw new AssertionError("no Kubernetes client needed");
        });
    }

    @Test
    void aCommandServiceNeedsStopStartAndCheckAndTheErrorNamesTheMissingKey() {
        assertThatThrownBy(() -> build("prosody", Settings.of(BackupConfig.ControlType.COMMAND).commands("stop it", "start it", null)))
                .hasMessage("jitsiops.backup.restore.services.prosody.check: required when type is command");
        assertThat(build("prosody", Settings.of(BackupConfig.ControlType.COMMAND).commands("a", "b", "c"))).asString().contains("prosody");
    }

    @Test
    void aSystemdServiceRefusesCommandKeysAndBadUnitNamesAndDefaultsTheUnitToTheName() {
        assertThatThrownBy(() -> build("jicofo", Settings.of(BackupConfig.ControlType.SYSTEMD).commands("systemctl stop jicofo", null, null)))
                .hasMessage("jitsiops.backup.restore.services.jicofo.stop: only for type command");
        assertThatThrownBy(() -> build("jicofo", Settings.of(BackupConfig.ControlType.SYSTEMD).unit("--force")))
                .hasMessage("jitsiops.backup.restore.services.jicofo.unit: '--force' is not a systemd unit name");
        assertThatThrownBy(() -> build("jicofo", Settings.of(BackupConfig.ControlType.SYSTEMD).unit("jicofo; rm -rf /")))
                .hasMessageStartingWith("jitsiops.backup.restore.services.jicofo.unit:");
        assertThat(new SystemdController("jicofo", "systemctl", "jicofo.service", Duration.ofSeconds(5)).command("stop"))
                .containsExactly("systemctl", "--no-ask-password", "stop", "jicofo.service");
    }

    @Test
    void aKubernetesServiceNeedsADeploymentNameKubernetesAccepts() {
        assertThatThrownBy(() -> build("jvb", Settings.of(BackupConfig.ControlType.KUBERNETES).deployment("JVB_1")))
                .hasMessage("jitsiops.backup.restore.services.jvb.deployment: 'JVB_1' is not a Deployment name (lower-case DNS label)");
        assertThatThrownBy(() -> build("jvb", Settings.of(BackupConfig.ControlType.KUBERNETES).unit("jvb.service")))
                .hasMessage("jitsiops.backup.restore.services.jvb.unit: only for type systemd");
    }

    @Test
    void componentsMustBeOnesABackupHas() {
        assertThatThrownBy(() -> build("web", Settings.of(BackupConfig.ControlType.SYSTEMD).components("configurations", "logs")))
                .hasMessage("jitsiops.backup.restore.services.web.components: 'logs' is not one of [configurations, certificates, databases]");
    }

    static HealthServiceReport.Check check(String target, String status, Instant at) {
        return new HealthServiceReport.Check("prosody", target, "bosh-session", status, "DOWN".equals(status) ? "connection refused" : null, at);
    }

    @Test
    void healthServiceDecidesOnlyWithChecksRunSinceTheRestart() {
        Instant restart = Instant.parse("2026-11-29T10:00:00Z");
        Instant before = restart.minusSeconds(30);
        Instant after = restart.plusSeconds(2);
        HealthServiceReport jvbOnly = new HealthServiceReport("UP", after, List.of(
                new HealthServiceReport.Check("jvb", "jvb-1", "health", "UP", null, after)));
        assertThat(HealthServiceClient.judge(jvbOnly, "prosody", Optional.empty(), restart).kind()).isEqualTo(Verdict.Kind.NOT_WATCHED);

        HealthServiceReport stale = new HealthServiceReport("UP", before, List.of(check("prosody-1", "UP", before)));
        assertThat(HealthServiceClient.judge(stale, "prosody", Optional.empty(), restart).kind()).isEqualTo(Verdict.Kind.STALE);

        HealthServiceReport down = new HealthServiceReport("DOWN", after, List.of(check("prosody-1", "UP", after),
                check("prosody-2", "DOWN", after)));
        Verdict v = HealthServiceClient.judge(down, "prosody", Optional.empty(), restart);
        assertThat(v.kind()).isEqualTo(Verdict.Kind.NOT_UP);
        assertThat(v.detail()).isEqualTo("prosody-2 bosh-session DOWN: connection refused");
        assertThat(HealthServiceClient.judge(down, "prosody", Optional.of("prosody-1"), restart).kind()).isEqualTo(Verdict.Kind.UP);
    }

    @Test
    void anUpCheckFromJustBeforeTheRestartNeverJudgesTheRestartedServiceHealthy() {
        // stop and start 0.8 s apart (the stack test's restore): the check ran before the stop, 0.5 s before the start
        Instant restart = Instant.parse("2026-11-29T16:53:07.800Z");
        HealthServiceReport report = new HealthServiceReport("UP", restart, List.of(check("prosody-1", "UP", restart.minusMillis(500))));
        assertThat(HealthServiceClient.judge(report, "prosody", Optional.empty(), restart).kind()).isEqualTo(Verdict.Kind.STALE);
    }
}
