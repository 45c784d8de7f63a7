package io.jitsiops.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How the stack's backup-service stops, starts and checks "jicofo" around a restore (its restore service control of
 * type command): the simulator's jicofo is stopped and started through its admin API, checked on its health endpoint.
 * A marker file in the state folder makes the next start fail once, so that a test can fail a restore step on purpose.
 */
final class StackRestoreControl {
    /** While this file exists in the state folder, the next start of jicofo fails (and removes it). */
    static final String FAIL_NEXT_START = "restore-fail-next-start";
    /** How many manual backups the stack's backup-service keeps (besides the newest verified one of each component). */
    static final int MANUAL_RETENTION = 2;

    private StackRestoreControl() {
    }

    /** Quarkus reads {@code config/application.properties} in the service's working folder (its state folder). */
    static void writeBackupServiceConfig(Path state, int simulatorPort) throws IOException {
        String jicofo = "http://127.0.0.1:" + simulatorPort;
        Path marker = state.resolve(FAIL_NEXT_START);
        Path dir = state.resolve("backup-service/config");
        Files.createDirectories(dir);
        String prefix = "jitsiops.backup.restore.services.jicofo.";
        Files.writeString(dir.resolve("application.properties"), String.join("\n",
                prefix + "type=command",
                prefix + "components=configurations,databases",
                prefix + "stop=curl -fsS -X PUT -H 'Content-Type: application/json' -d '{\"kind\":\"DOWN\",\"message\":\"stopped for a restore\"}' "
                        + jicofo + "/admin/faults/jicofo",
                prefix + "start=if [ -e '" + marker + "' ]; then rm -f '" + marker + "'; echo 'jicofo failed to start (on purpose, by the stack test)' >&2; exit 1; fi; "
                        + "curl -fsS -X DELETE " + jicofo + "/admin/faults/jicofo",
                prefix + "check=curl -fsS -o /dev/null " + jicofo + "/jicofo/about/health",
                "jitsiops.backup.restore.start-timeout=90s",
                // scenario 4's retention on the backups the test makes itself (manual ones; default 10)
                "jitsiops.backup.manual-retention=" + MANUAL_RETENTION, ""));
    }
}
