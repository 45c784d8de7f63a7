package io.jitsiops.backup.restore.control;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.jitsiops.backup.archive.ProcessRunner;

/**
 * A systemd unit: {@code systemctl --no-ask-password stop|start UNIT} (both wait for the unit's job to finish, as
 * systemctl does by default) and {@code systemctl is-active UNIT} as its own probe (exit status 0 only for
 * "active"). Needs a host where systemd is PID 1 and the right to manage the unit (root, or a polkit rule).
 */
public final class SystemdController implements ServiceController {
    private final String name;
    private final String systemctl;
    private final String unit;
    private final Duration timeout;

    public SystemdController(String name, String systemctl, String unit, Duration timeout) {
        this.name = name;
        this.systemctl = systemctl;
        this.unit = unit;
        this.timeout = timeout;
    }

    /** The command line of one verb ({@code stop}, {@code start}, {@code is-active}). */
    public List<String> command(String verb) {
        return "is-active".equals(verb) ? List.of(systemctl, verb, unit) : List.of(systemctl, "--no-ask-password", verb, unit);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String describe() {
        return "systemd unit " + unit;
    }

    @Override
    public void stop() throws IOException {
        run("stop");
    }

    @Override
    public void start() throws IOException {
        run("start");
    }

    @Override
    public void probe() throws IOException {
        String state = run("is-active");
        if (!"active".equals(state)) {
            throw new IOException("systemctl is-active " + unit + ": " + state);
        }
    }

    /** Runs a verb; a failure names the command, its exit status, and what systemctl printed (state or error). */
    private String run(String verb) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ProcessRunner.run(command(verb), Map.of("SYSTEMD_PAGER", "", "LC_ALL", "C"), null, out, timeout);
        } catch (ProcessRunner.ToolFailedException e) {
            String printed = out.toString(StandardCharsets.UTF_8).trim();
            throw new IOException("systemctl " + verb + " " + unit + " failed: " + e.getMessage()
                    + (printed.isEmpty() ? "" : " (printed '" + printed + "')"), e);
        }
        return out.toString(StandardCharsets.UTF_8).trim();
    }
}
