package io.jitsiops.log.tail;

import static io.jitsiops.log.tail.TailFiles.append;
import static io.jitsiops.log.tail.TailFiles.delivery;
import static io.jitsiops.log.tail.TailFiles.drain;
import static io.jitsiops.log.tail.TailFiles.tailer;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.jitsiops.log.repository.LogStore;
import io.jitsiops.testkit.JitsiOpsTestResource;
import io.jitsiops.testkit.server.DebianPackages;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Debian's logrotate with {@code compress} (and {@code delaycompress}) rotating while the service is down: the
 * file the cursor points into is by then a {@code .gz}, read to its end through gzip, then every file rotated
 * after it, then the live one. Real files, the real broker and PostgreSQL; nothing lost, nothing twice.
 */
@QuarkusTest
@QuarkusTestResource(JitsiOpsTestResource.class)
class CompressedRotationTest {
    @Inject
    LogStore store;
    @Inject
    KafkaShipper shipper;

    @Test
    void aFileCompressedWhileTheServiceWasDownIsReadToItsEndThroughGzip() throws Exception {
        Path f = setUp("compress");
        Path conf = config(f, false);
        append(f, 0, 100);
        try (FileTailer t = tailer(f, store, shipper)) {
            t.start();
            drain(t);
            // rotated and compressed at once while it runs: the open file is finished, its .gz not read again
            append(f, 100, 120);
            logrotate(f, conf);
            append(f, 120, 140);
            drain(t);
            append(f, 140, 160); // written, then the service stops before reading it
        }
        logrotate(f, conf); // jvb.log (cursor inside, 20 lines unread) -> jvb.log.1.gz
        append(f, 160, 190);
        logrotate(f, conf); // -> jvb.log.2.gz, the next one -> jvb.log.1.gz
        append(f, 190, 200);
        assertThat(f.resolveSibling("jvb.log.3.gz")).exists();
        assertThat(f.resolveSibling("jvb.log.1")).doesNotExist();
        try (FileTailer t = tailer(f, store, shipper)) {
            t.start();
            drain(t);
            assertThat(t.lostFiles()).isZero();
        }
        assertThat(delivery(f.toString(), 200)).isEqualTo(new TailFiles.Delivery(List.of(), List.of()));
    }

    @Test
    void withDelaycompressThreeRotationsWhileDownLoseNothing() throws Exception {
        Path f = setUp("delaycompress");
        Path conf = config(f, true);
        append(f, 0, 50);
        try (FileTailer t = tailer(f, store, shipper)) {
            t.start();
            drain(t);
            append(f, 50, 70);
        }
        int written = 70;
        for (int i = 0; i < 3; i++) {
            logrotate(f, conf);
            append(f, written, written + 25);
            written += 25;
        }
        // the cursor's file is now jvb.log.3.gz; jvb.log.2.gz, the plain jvb.log.1 and jvb.log follow
        assertThat(f.resolveSibling("jvb.log.3.gz")).exists();
        assertThat(f.resolveSibling("jvb.log.1")).exists();
        try (FileTailer t = tailer(f, store, shipper)) {
            t.start();
            drain(t);
            assertThat(t.lostFiles()).isZero();
        }
        assertThat(delivery(f.toString(), written)).isEqualTo(new TailFiles.Delivery(List.of(), List.of()));
    }

    private static Path setUp(String name) throws Exception {
        DebianPackages.require("logrotate", "/usr/sbin/logrotate");
        return Files.createTempDirectory("gz-" + name + "-").resolve("jvb.log");
    }

    /** Rotate whenever there is a byte (size 1), keep 10, compress, create a new empty file. */
    private static Path config(Path f, boolean delaycompress) throws Exception {
        Path conf = f.resolveSibling("logrotate.conf");
        Files.writeString(conf, f + " {\n  size 1\n  rotate 10\n  compress\n" + (delaycompress ? "  delaycompress\n" : "")
                + "  create\n  missingok\n}\n");
        return conf;
    }

    private static void logrotate(Path f, Path conf) throws Exception {
        Process p = new ProcessBuilder("/usr/sbin/logrotate", "-s", f.resolveSibling("state").toString(), conf.toString())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
        Thread.sleep(50); // distinct modification times between generations (Linux file times tick in milliseconds)
    }
}
