package io.jitsiops.backup.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs an external tool (pg_dump, pg_restore, luac, nginx, service commands) on the calling worker thread. */
public final class ProcessRunner {
    private ProcessRunner() {
    }

    /** A tool that failed: the message holds its exit status and the end of what it printed on stderr. */
    public static final class ToolFailedException extends IOException {
        public ToolFailedException(String message) {
            super(message);
        }
    }

    /**
     * Runs {@code command}, feeding {@code stdin} (may be null) and copying its stdout into {@code stdout} (may be
     * null: discarded) as it comes, so nothing is held whole in memory.
     */
    public static void run(List<String> command, Map<String, String> env, InputStream stdin, OutputStream stdout,
                           Duration timeout) throws IOException {
        Path err = Files.createTempFile("jitsi-ops-tool", ".err");
        try {
            ProcessBuilder b = new ProcessBuilder(command).redirectError(err.toFile());
            b.environment().putAll(env);
            if (stdin == null) {
                b.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            }
            if (stdout == null) {
                b.redirectOutput(ProcessBuilder.Redirect.DISCARD);
            }
            Process p = b.start();
            CompletableFuture<Void> feeder = CompletableFuture.completedFuture(null);
            if (stdin != null) {
                feeder = CompletableFuture.runAsync(() -> {
                    try (OutputStream toProcess = p.getOutputStream()) {
                        stdin.transferTo(toProcess);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
            }
            IOException copyFailure = null;
            if (stdout != null) {
                try (InputStream fromProcess = p.getInputStream()) {
                    fromProcess.transferTo(stdout);
                } catch (IOException e) {
                    copyFailure = e;
                    p.destroyForcibly();
                }
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new ToolFailedException(command.get(0) + " timed out after " + timeout.toSeconds() + " s");
            }
            if (copyFailure != null) {
                throw copyFailure;
            }
            try {
                feeder.get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                if (p.exitValue() == 0) {
                    throw new IOException("feeding " + Path.of(command.get(0)).getFileName() + " failed: "
                            + e.getCause().getMessage(), e.getCause());
                }
            } catch (java.util.concurrent.TimeoutException e) {
                throw new IOException("feeding " + command.get(0) + " did not finish");
            }
            if (p.exitValue() != 0) {
                throw new ToolFailedException(Path.of(command.get(0)).getFileName() + " exited with status " + p.exitValue()
                        + ": " + tail(err));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.get(0), e);
        } finally {
            Files.deleteIfExists(err);
        }
    }

    /** Runs a short command and answers its stdout (trimmed). */
    public static String output(List<String> command, Map<String, String> env, Duration timeout) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        run(command, env, null, out, timeout);
        return out.toString(StandardCharsets.UTF_8).trim();
    }

    private static String tail(Path err) throws IOException {
        String s = Files.readString(err, StandardCharsets.ISO_8859_1).trim();
        return s.length() > 600 ? "…" + s.substring(s.length() - 600) : s;
    }
}
