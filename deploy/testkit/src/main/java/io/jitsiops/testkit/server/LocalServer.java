package io.jitsiops.testkit.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real server run as a child process on loopback. Subclasses say how to prepare its folder, how to run
 * it and how to tell that it is ready. The process either lives as long as this JVM (tests) or is left
 * running with a PID file (the local stack), and in both cases is stopped with its whole process tree.
 */
public abstract class LocalServer {
    protected final String name;
    protected final Path dir;
    private Process process;
    /** The environment variable that named this server when it already exists elsewhere; null for a local process. */
    private String existingFrom;

    protected LocalServer(String name, Path dir) {
        this.name = name;
        this.dir = dir;
    }

    public String name() {
        return name;
    }

    public Path dir() {
        return dir;
    }

    public Path logFile() {
        return dir.resolve(name + ".log");
    }

    /** Writes configuration, formats storage: whatever must exist before the first start. Idempotent. */
    protected void prepare() throws IOException {
    }

    protected abstract List<String> command() throws IOException;

    protected Map<String, String> environment() {
        return Map.of();
    }

    /** True once the server answers as a client would use it. */
    public abstract boolean ready();

    protected Duration startTimeout() {
        return Duration.ofSeconds(90);
    }

    /** What a user should see in the stack's summary: a URL or host:port. */
    public abstract String endpoint();

    /**
     * Marks this server as one that already exists (named by {@code variable}, see {@code TestServers}): {@link #start}
     * only checks that it answers, {@link #stop} cannot stop it.
     */
    protected void existing(String variable) {
        this.existingFrom = variable;
    }

    /** True when this is a server that already existed (given by an environment variable), not a local process. */
    public boolean isExisting() {
        return existingFrom != null;
    }

    /** Starts the server and waits until it is ready (an existing server: checks that it answers). */
    public synchronized LocalServer start() {
        if (existingFrom != null) {
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            while (!ready()) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException(name + " named by " + existingFrom + " does not answer at " + endpoint());
                }
                sleep(500);
            }
            return this;
        }
        launch(false);
        awaitReady();
        return this;
    }

    /** What the test kit does at the end of the JVM: stops a local process, leaves an existing server alone. */
    public synchronized void release() {
        if (existingFrom == null) {
            stop();
        }
    }

    /**
     * Starts the process without waiting. {@code detached}: in a session of its own (setsid), so that it
     * outlives the launcher and a Ctrl-C in the launching terminal, as the local stack wants.
     */
    public synchronized void launch(boolean detached) {
        try {
            Files.createDirectories(dir);
            prepare();
            List<String> command = new java.util.ArrayList<>();
            if (detached) {
                command.add("setsid");
            }
            command.addAll(command());
            Files.createDirectories(logFile().getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().putAll(environment());
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    public void awaitReady() {
        Instant deadline = Instant.now().plus(startTimeout());
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue()
                        + " while starting; last lines of " + logFile() + ":\n" + tail(logFile(), 30));
            }
            if (ready()) {
                return;
            }
            sleep(150);
        }
        stop();
        throw new IllegalStateException(name + " was not ready within " + startTimeout().toSeconds()
                + " s; last lines of " + logFile() + ":\n" + tail(logFile(), 30));
    }

    /** Records the running process as {@code pid startMillis}, so that a later stop can tell it from a reused PID. */
    public void writePidFile(Path pidFile) throws IOException {
        ProcessHandle h = process.toHandle();
        long started = h.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        write(pidFile, h.pid() + " " + started + "\n");
    }

    /** The process a PID file names, when it is still that same process. */
    public static Optional<ProcessHandle> fromPidFile(Path pidFile) {
        try {
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            String[] parts = Files.readString(pidFile).trim().split("\\s+");
            long pid = Long.parseLong(parts[0]);
            long started = parts.length > 1 ? Long.parseLong(parts[1]) : 0L;
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(h -> started == 0L
                    || h.info().startInstant().map(i -> Math.abs(i.toEpochMilli() - started) < 2000).orElse(true));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Stops the process this object started, children first (a server may be a wrapper around its worker). An existing
     * server cannot be stopped by a test: the calling test is aborted (skipped, as a failed JUnit assumption) with
     * the reason, since what it means to prove (an outage) cannot happen.
     */
    public synchronized void stop() {
        if (existingFrom != null) {
            throw aborted(name + " is an existing server (" + existingFrom + "): a test cannot stop it; run this test"
                    + " with local processes (unset " + existingFrom + ")");
        }
        if (process != null) {
            stop(process.toHandle());
            process = null;
        }
    }

    /** Stops a process of this server (ours, or one named by a PID file), children first. */
    public void stop(ProcessHandle handle) {
        stopTree(handle, Duration.ofSeconds(20));
    }

    /** SIGTERM to the tree, then SIGKILL to whatever is still there after {@code grace}. */
    public static void stopTree(ProcessHandle root, Duration grace) {
        List<ProcessHandle> tree = new java.util.ArrayList<>(root.descendants().toList());
        tree.add(root);
        tree.forEach(ProcessHandle::destroy);
        Instant deadline = Instant.now().plus(grace);
        for (ProcessHandle p : tree) {
            try {
                long left = Math.max(1, Duration.between(Instant.now(), deadline).toMillis());
                p.onExit().get(left, TimeUnit.MILLISECONDS);
            } catch (Exception timeoutOrInterrupt) {
                p.destroyForcibly();
            }
        }
    }

    /**
     * JUnit's TestAbortedException when JUnit is on the class path (tests), else an IllegalStateException: the
     * server classes stay free of test dependencies so that StackCli runs from the test kit's jar alone.
     */
    static RuntimeException aborted(String message) {
        try {
            return (RuntimeException) Class.forName("org.opentest4j.TestAbortedException").getConstructor(String.class)
                    .newInstance(message);
        } catch (ReflectiveOperationException | ClassCastException e) {
            return new IllegalStateException(message);
        }
    }

    protected static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public static String tail(Path file, int lines) {
        try {
            if (!Files.exists(file)) {
                return "(no log)";
            }
            List<String> all = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read log: " + e.getMessage() + ")";
        }
    }

    /** PostgreSQL refuses to run as root and prosody should not: as root, they run as their own users. */
    protected static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /**
     * {@code command} run as {@code user} when we are root (setpriv execs, so the PID we hold is the server's),
     * unchanged otherwise.
     */
    protected static List<String> asUser(String user, List<String> command) {
        if (!runningAsRoot()) {
            return command;
        }
        List<String> wrapped = new java.util.ArrayList<>(List.of("setpriv", "--reuid=" + user, "--regid=" + user,
                "--clear-groups", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    /** Makes {@code user} (and its group of the same name) own {@code path}. */
    protected static void giveTo(String user, Path path) throws IOException {
        java.nio.file.attribute.UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
        java.nio.file.attribute.PosixFileAttributeView view = Files.getFileAttributeView(path,
                java.nio.file.attribute.PosixFileAttributeView.class);
        view.setOwner(lookup.lookupPrincipalByName(user));
        view.setGroup(lookup.lookupPrincipalByGroupName(user));
    }

    protected static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    /** Runs a short command to completion, failing with its output when it fails. */
    protected static String run(List<String> command, Path workDir, Duration timeout) throws IOException {
        return run(command, workDir, timeout, Map.of());
    }

    /** {@link #run(List, Path, Duration)} with extra environment variables (e.g. PGPASSWORD, never on the command line). */
    protected static String run(List<String> command, Path workDir, Duration timeout, Map<String, String> environment)
            throws IOException {
        Path out = Files.createTempFile("jitsi-ops-cmd", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile());
            builder.environment().putAll(environment);
            Process p = builder.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + String.join(" ", command));
            }
            String output = Files.readString(out, StandardCharsets.ISO_8859_1);
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed (" + p.exitValue() + "):\n" + output);
            }
            return output;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
