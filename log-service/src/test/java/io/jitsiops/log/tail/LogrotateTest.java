package io.jitsiops.log.tail;

import static io.jitsiops.log.tail.TailFiles.append;
import static io.jitsiops.log.tail.TailFiles.drain;
import static io.jitsiops.log.tail.TailFiles.tailer;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.jitsiops.deployment.DeploymentDescription.LogFormat;
import io.jitsiops.deployment.DeploymentDescription.LogSource;
import io.jitsiops.log.repository.LogStore;
import io.jitsiops.log.rotation.LogrotateConfig;
import io.jitsiops.testkit.JitsiOpsTestResource;
import io.jitsiops.testkit.server.DebianPackages;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The generated configuration run by Debian's real logrotate (no -f): the rotations it makes lose nothing. */
@QuarkusTest
@QuarkusTestResource(JitsiOpsTestResource.class)
class LogrotateTest {
    @Inject
    LogStore store;
    @Inject
    KafkaShipper shipper;

    @Test
    void copytruncateForJvbAndRenameForNginxUnderRealLogrotateLoseNothing() throws Exception {
        DebianPackages.require("logrotate", "/usr/sbin/logrotate");
        Path dir = Files.createTempDirectory("logrotate-");
        Path jvb = dir.resolve("jvb.log");
        Path nginx = dir.resolve("access.log");
        Path conf = dir.resolve("logrotate.conf");
        Files.writeString(conf, LogrotateConfig.render(List.of(new LogSource("jvb", jvb.toString(), LogFormat.jvb),
                new LogSource("nginx", nginx.toString(), LogFormat.nginx_access)), "4k", 50, true, null));
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(Files.readString(conf)).contains("copytruncate").contains("create").doesNotContain("-f");
        int jvbLines = 0;
        int nginxLines = 0;
        try (FileTailer tj = tailer(jvb, store, shipper); FileTailer tn = tailer(nginx, store, shipper, false, LogFormat.nginx_access)) {
            append(jvb, 0, 1);
            appendNginx(nginx, 0, 1);
            jvbLines = 1;
            nginxLines = 1;
            tj.start();
            tn.start();
            for (int round = 0; round < 12; round++) {
                append(jvb, jvbLines, jvbLines + 40); // about 4 KiB per round: logrotate's size 4k is reached
                jvbLines += 40;
                appendNginx(nginx, nginxLines, nginxLines + 40);
                nginxLines += 40;
                if (round % 2 == 0) {
                    drain(tj); // sometimes the tailer is behind when logrotate runs, sometimes not
                    drain(tn);
                }
                Process p = new ProcessBuilder("/usr/sbin/logrotate", "-s", dir.resolve("state").toString(), conf.toString())
                        .redirectErrorStream(true).start();
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
                Thread.sleep(5);
            }
            drain(tj);
            drain(tn);
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).contains("jvb.log.1", "access.log.1", "jvb.log.2.gz");
        }
        assertThat(TailFiles.delivery(jvb.toString(), jvbLines)).isEqualTo(new TailFiles.Delivery(List.of(), List.of()));
        assertThat(TailFiles.delivery(nginx.toString(), nginxLines)).isEqualTo(new TailFiles.Delivery(List.of(), List.of()));
    }

    private static void appendNginx(Path f, int from, int to) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            sb.append("10.0.0.1 - - [29/Nov/2026:08:00:00 +0000] \"GET /line ").append(i)
                    .append(" HTTP/1.1\" 200 5 \"-\" \"curl\"\n");
        }
        Files.writeString(f, sb, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }
}
