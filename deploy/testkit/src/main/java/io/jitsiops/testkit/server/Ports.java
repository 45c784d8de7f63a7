package io.jitsiops.testkit.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports for the test kit's servers, chosen <em>below</em> the kernel's ephemeral range.
 * <p>
 * A port is found free, closed, and only later bound by the server it was meant for. {@code new ServerSocket(0)}
 * takes it from the ephemeral range, the very range the kernel hands to every outgoing connection's local port, so on
 * a busy machine a client socket could take it in that gap: twice in session 29 a server started by the kit exited with
 * "Port … seems to be in use". Below the range no client connection is ever given a port, so only a process that binds
 * a listening port of its own choice can still take it (what {@code LocalServers} still retries). Each port is handed
 * out once per JVM, so two servers of one run never get the same one.
 */
public final class Ports {
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    /** Above the well-known and most registered service ports a test machine may run (prometheus 9090, …). */
    private static final int LOWEST = 10_000;
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private Ports() {
    }

    /** A loopback port that was free a moment ago, outside the ephemeral range when the kernel says where it starts. */
    public static synchronized int free() {
        int below = ephemeralRangeStart();
        if (below - LOWEST >= 1000) {
            for (int attempt = 0; attempt < 200; attempt++) {
                int port = ThreadLocalRandom.current().nextInt(LOWEST, below);
                if (!HANDED_OUT.contains(port) && bindable(port)) {
                    HANDED_OUT.add(port);
                    return port;
                }
            }
        }
        // no room below the ephemeral range (an unusual kernel setting): the kernel's choice, as before
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            HANDED_OUT.add(socket.getLocalPort());
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the kernel's ephemeral (client) ports start; Linux's default when it cannot be read. */
    static int ephemeralRangeStart() {
        try {
            // readAllLines, not readString: JDK 17's readString returned "3" for this /proc file here (it reports size 0)
            String[] range = Files.readAllLines(EPHEMERAL_RANGE).get(0).trim().split("\\s+");
            return Integer.parseInt(range[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }

    private static boolean bindable(int port) {
        // the same bind the servers do (the loopback address), without SO_REUSEADDR: a port in TIME_WAIT is skipped
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
