package io.jitsiops.backup.restore;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.jitsiops.backup.archive.ProcessRunner;
import io.jitsiops.backup.config.BackupConfig;

/**
 * Stops, starts and checks the services a restore touches, by the shell commands configured per service
 * ({@code jitsiops.backup.restore.services.<name>.stop|start|check}): {@code systemctl stop prosody},
 * {@code kubectl -n jitsi scale deploy/prosody --replicas=0}, or any script. Run with {@code /bin/sh -c}.
 */
public final class ServiceControl {
    private final Map<String, BackupConfig.ServiceCommands> services;
    private final Duration startTimeout;

    public ServiceControl(Map<String, BackupConfig.ServiceCommands> services, Duration startTimeout) {
        this.services = services;
        this.startTimeout = startTimeout;
    }

    /** The services whose components intersect {@code components}, in name order. */
    public List<String> affected(List<String> components) {
        return services.entrySet().stream().filter(e -> e.getValue().components().stream().anyMatch(components::contains))
                .map(Map.Entry::getKey).sorted().toList();
    }

    public void stop(String service) throws IOException {
        sh(services.get(service).stop(), Duration.ofSeconds(60));
    }

    public void start(String service) throws IOException {
        sh(services.get(service).start(), Duration.ofSeconds(60));
    }

    /** Waits until the service's check succeeds; fails with the check's last output after the start timeout. */
    public void awaitHealthy(String service) throws IOException {
        Instant deadline = Instant.now().plus(startTimeout);
        IOException last = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                sh(services.get(service).check(), Duration.ofSeconds(30));
                return;
            } catch (IOException e) {
                last = e;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        throw new IOException(service + " is not healthy after " + startTimeout.toSeconds() + " s: "
                + (last == null ? "" : last.getMessage()));
    }

    private static void sh(String command, Duration timeout) throws IOException {
        ProcessRunner.run(List.of("/bin/sh", "-c", command), Map.of(), null, null, timeout);
    }
}
