package io.jitsiops.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class PortsTest {

    @Test
    void handsOutBindableLoopbackPortsBelowTheEphemeralRangeNeverTheSameTwice() throws IOException {
        int ephemeralStart = Ports.ephemeralRangeStart();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            int port = Ports.free();
            assertThat(port).isBetween(10_000, ephemeralStart - 1);
            assertThat(seen.add(port)).as("port %d handed out twice", port).isTrue();
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            }
        }
    }

    @Test
    void readsWhereTheKernelsEphemeralPortsStart() {
        // Linux's default is 32768; whatever this machine is set to, it is a port number above the kit's lowest
        assertThat(Ports.ephemeralRangeStart()).isBetween(1024, 65_535);
    }
}
