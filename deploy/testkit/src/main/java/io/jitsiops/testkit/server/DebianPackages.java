package io.jitsiops.testkit.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The Debian packages that tests and the local stack run as real servers or peers (PostgreSQL, prosody,
 * logrotate, restic, …). README command 2 must pass on a fresh machine with only Java 17: as root, a missing
 * package is installed here with {@code apt-get}; otherwise the test fails at once naming the command to run.
 * Installation is serialised across JVMs by a file lock, since apt itself refuses concurrent runs.
 */
public final class DebianPackages {
    private static final Path LOCK = Path.of(System.getProperty("java.io.tmpdir"), "jitsi-ops-apt.lock");
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(8);
    private static boolean listsUpdated;

    private DebianPackages() {
    }

    /** Makes sure {@code executable} exists, installing {@code debianPackage} when it does not. */
    public static void require(String debianPackage, String executable) {
        require(debianPackage, () -> Files.isExecutable(Path.of(executable)));
    }

    /**
     * Makes sure a package is there, as {@code present} tells, installing {@code debianPackage} when it is not.
     *
     * @throws IllegalStateException when it is missing and cannot be installed, naming the command to run
     */
    public static synchronized void require(String debianPackage, BooleanSupplier present) {
        if (present.getAsBoolean()) {
            return;
        }
        String command = "apt-get install -y " + debianPackage;
        if (!LocalServer.runningAsRoot()) {
            throw new IllegalStateException("Debian package '" + debianPackage + "' is missing and this is not root:"
                    + " run 'sudo " + command + "' once, then run the tests again");
        }
        try (FileChannel channel = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            if (present.getAsBoolean()) {
                return; // another JVM installed it while we waited
            }
            System.err.println("[testkit] installing Debian package " + debianPackage + " (" + command + ")");
            Path cwd = Path.of(System.getProperty("java.io.tmpdir"));
            if (!listsUpdated) {
                LocalServer.run(List.of("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "update", "-qq"), cwd,
                        INSTALL_TIMEOUT);
                listsUpdated = true;
            }
            // Install only: Debian starts a package's daemon by default; the tests run their own instance.
            LocalServer.run(List.of("env", "DEBIAN_FRONTEND=noninteractive", "RUNLEVEL=1", "apt-get", "install", "-y",
                    "-qq", "-o", "Dpkg::Options::=--force-confdef", "-o", "Dpkg::Options::=--force-confold",
                    debianPackage), cwd, INSTALL_TIMEOUT);
        } catch (IOException e) {
            throw new UncheckedIOException("could not install Debian package '" + debianPackage + "' (" + command
                    + "): " + e.getMessage(), e);
        }
        if (!present.getAsBoolean()) {
            throw new IllegalStateException("'" + command + "' ran but '" + debianPackage + "' is still not usable");
        }
    }
}
