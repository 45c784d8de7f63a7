package io.jitsiops.log;

import static io.jitsiops.log.tail.TailTestAccess.append;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.jitsiops.log.repository.LogStore;
import io.jitsiops.log.tail.FileTailer;
import io.jitsiops.log.tail.KafkaShipper;
import io.jitsiops.log.tail.TailTestAccess;
import io.jitsiops.testkit.JitsiOpsTestResource;
import io.jitsiops.testkit.LocalServers;
import io.jitsiops.testkit.server.KafkaServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Kafka stopped mid-test: steps fail, the cursor does not move; after Kafka returns nothing is missing. */
@QuarkusTest
@QuarkusTestResource(JitsiOpsTestResource.class)
class OutageTest {
    @Inject
    LogStore store;
    @Inject
    KafkaShipper shipper;

    @Test
    void whileKafkaIsAwayTheCursorStaysAndEveryLineArrivesAfterItsReturn() throws Exception {
        Path f = Files.createTempDirectory("outage-").resolve("jvb.log");
        append(f, 0, 100);
        KafkaServer kafka = LocalServers.kafka();
        long before;
        try (FileTailer t = TailTestAccess.tailer(f, store, shipper)) {
            t.start();
            TailTestAccess.drain(t);
            before = store.cursor(f.toString()).orElseThrow().position();
            assertThat(before).isEqualTo(Files.size(f));
            kafka.stop();
            try {
                append(f, 100, 300);
                // no poll blocks for the producer's delivery timeout: the step read waits, parked, for the
                // acknowledgement of the one before it; the failure shows once the producer gives the records up
                // (ack-timeout, 6 s in tests)
                long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
                while (t.failedSteps() == 0 && System.nanoTime() < deadline) {
                    t.poll();
                }
                assertThat(t.failedSteps()).isPositive();
                assertThat(t.lastError()).isNotNull();
                assertThat(store.cursor(f.toString()).orElseThrow().position()).isEqualTo(before);
                append(f, 300, 350);
            } finally {
                kafka.start();
            }
            TailTestAccess.drainUntilCaughtUp(t, Files.size(f));
        }
        assertThat(store.cursor(f.toString()).orElseThrow().position()).isEqualTo(Files.size(f));
        assertThat(TailTestAccess.lost(f.toString(), 350)).isEmpty();
    }
}
