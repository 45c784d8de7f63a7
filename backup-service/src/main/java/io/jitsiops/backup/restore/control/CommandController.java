package io.jitsiops.backup.restore.control;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.jitsiops.backup.archive.ProcessRunner;

/** A service controlled by shell commands ({@code /bin/sh -c}): stop, start, and a check whose exit status 0 means up. */
public final class CommandController implements ServiceController {
    private final String name;
    private final String stop;
    private final String start;
    private final String check;
    private final Duration timeout;

    public CommandController(String name, String stop, String start, String check, Duration timeout) {
        this.name = name;
        this.stop = stop;
        this.start = start;
        this.check = check;
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String describe() {
        return "commands";
    }

    @Override
    public void stop() throws IOException {
        sh(stop, timeout);
    }

    @Override
    public void start() throws IOException {
        sh(start, timeout);
    }

    @Override
    public void probe() throws IOException {
        sh(check, Duration.ofSeconds(30));
    }

    private static void sh(String command, Duration timeout) throws IOException {
        ProcessRunner.run(List.of("/bin/sh", "-c", command), Map.of(), null, null, timeout);
    }
}
