package io.jitsiops.log.rotation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.jitsiops.deployment.DeploymentDescription;
import io.jitsiops.log.config.LogConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * When enabled, writes a logrotate configuration for the tailed files and runs the real logrotate with it
 * on a schedule, with its own state file — never {@code logrotate -f} on a log file: logrotate decides from
 * the size directive and its state, as cron's daily run would. The process runs on this bean's own thread.
 */
@ApplicationScoped
public class LogRotation {
    private static final Logger LOG = Logger.getLogger(LogRotation.class);

    private final LogConfig.Rotation config;
    private final DeploymentDescription deployment;
    private ScheduledExecutorService executor;
    private volatile String lastOutput = "";
    private volatile int lastExitCode = -1;

    public LogRotation(LogConfig config, DeploymentDescription deployment) {
        this.config = config.rotation();
        this.deployment = deployment;
    }

    void onStart(@Observes StartupEvent e) throws IOException {
        if (!config.enabled() || deployment.logs().isEmpty()) {
            return;
        }
        writeConfig();
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "logrotate");
            t.setDaemon(true);
            return t;
        });
        long every = config.interval().toMillis();
        executor.scheduleWithFixedDelay(this::runQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent e) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    public Path configFile() {
        return config.workDir().resolve("logrotate.conf");
    }

    public Path stateFile() {
        return config.workDir().resolve("logrotate.state");
    }

    /** Writes the configuration (logrotate refuses one that others may write: mode 0644). */
    public Path writeConfig() throws IOException {
        Files.createDirectories(config.workDir());
        String text = LogrotateConfig.render(deployment.logs(), config.size(), config.keep(), config.compress(),
                config.postrotate().orElse(null));
        Files.writeString(configFile(), text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(configFile(), PosixFilePermissions.fromString("rw-r--r--"));
        return configFile();
    }

    /** One logrotate run (blocking; called on this bean's thread, or by tests). */
    public int runOnce() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(config.logrotate(), "-s", stateFile().toString(), configFile().toString()))
                .redirectErrorStream(true).start();
        boolean done = p.waitFor(Duration.ofMinutes(5).toMillis(), TimeUnit.MILLISECONDS);
        if (!done) {
            p.destroyForcibly();
            throw new IOException("logrotate did not finish within 5 minutes");
        }
        lastOutput = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        lastExitCode = p.exitValue();
        if (lastExitCode != 0) {
            LOG.warnf("logrotate exited with %d: %s", lastExitCode, lastOutput.strip());
        }
        return lastExitCode;
    }

    private void runQuietly() {
        try {
            runOnce();
        } catch (IOException ex) {
            LOG.warnf("logrotate: %s", ex.getMessage());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    public String lastOutput() {
        return lastOutput;
    }
}
