package io.jitsiops.log.tail;

import static io.jitsiops.log.tail.TailFiles.append;
import static io.jitsiops.log.tail.TailFiles.delivery;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.jitsiops.deployment.DeploymentDescription;
import io.jitsiops.deployment.DeploymentDescription.LogFormat;
import io.jitsiops.deployment.DeploymentDescription.LogSource;
import io.jitsiops.events.kafka.EventPublisher;
import io.jitsiops.log.analysis.CategoryRules;
import io.jitsiops.log.config.LogConfig;
import io.jitsiops.log.repository.LogStore;
import io.jitsiops.testkit.JitsiOpsTestResource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * A tail service of its own on a glob of dated files in a temp dir (real files, the real broker and PostgreSQL): a file
 * that is gone is read to its end and its tailer retired after the grace period; one only missing for a moment is not;
 * a path that comes back is tailed again, no line shipped twice, none lost. A configured path that is not a glob is never
 * retired.
 */
@QuarkusTest
@QuarkusTestResource(JitsiOpsTestResource.class)
class RetiredTailersTest {
    @Inject
    LogStore store;
    @Inject
    KafkaShipper shipper;
    @Inject
    EventPublisher events;
    @Inject
    CategoryRules rules;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private TailService service;
    /** The configured path of the source followed (its meters' tag). */
    /** The path or glob configured (the tag of the source's meters). */
    private String configured;

    @AfterEach
    void stop() {
        if (service != null) {
            service.onStop(new ShutdownEvent());
        }
    }

    /** Settings of the service's own: fast polls and rescans, and the grace period given. */
    private static LogConfig config(String retireAfter) {
        Map<String, String> p = new HashMap<>();
        p.put("jitsiops.logs.tail.poll-interval", "50ms");
        p.put("jitsiops.logs.tail.rescan-interval", "200ms");
        p.put("jitsiops.logs.tail.multiline-flush", "100ms");
        p.put("jitsiops.logs.tail.retire-after", retireAfter);
        return new SmallRyeConfigBuilder().withMapping(LogConfig.class).withSources(new PropertiesConfigSource(p, "test", 100))
                .withConverter(Duration.class, 100, new DurationConverter()).build().getConfigMapping(LogConfig.class);
    }

    /** Starts a tail service following {@code dir/jvb-*.log}. */
    private TailService start(Path dir, String retireAfter) {
        return follow(dir.resolve("jvb-*.log").toString(), retireAfter);
    }

    /** Starts a tail service following {@code path} (a glob or not). */
    private TailService follow(String path, String retireAfter) {
        configured = path;
        DeploymentDescription deployment = new DeploymentDescription("retire", null, null,
                List.of(new LogSource("jvb", configured, LogFormat.jvb)), null, null);
        service = new TailService(config(retireAfter), deployment, store, shipper, events, rules, registry);
        service.onStart(new StartupEvent());
        return service;
    }

    private double meter(String name) {
        var counter = registry.find(name).tag("source", configured).counter();
        return counter != null ? counter.count() : registry.find(name).tag("source", configured).gauge().value();
    }

    private static void awaitCaughtUp(Path f) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(TailFiles.cursorPosition(f.toString())).isEqualTo(Files.size(f)));
    }

    @Test
    void retiresTheTailerOfADeletedDatedFileAfterItWasReadToTheEnd() throws Exception {
        Path dir = Files.createTempDirectory("retire-deleted-");
        Path old = dir.resolve("jvb-2026-11-28.log");
        Path today = dir.resolve("jvb-2026-11-29.log");
        append(old, 0, 100);
        append(today, 0, 40);
        TailService tails = start(dir, "1s");
        awaitCaughtUp(old);
        awaitCaughtUp(today);
        FileTailer oldTailer = tails.tailers().get(old.toString());

        append(old, 100, 150); // written just before the operator's cron deletes the file: still read, from the open file
        Files.delete(old);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(tails.tailers()).doesNotContainKey(old.toString()).containsKey(today.toString()));
        assertThat(delivery(old.toString(), 150)).isEqualTo(new TailFiles.Delivery(List.of(), List.of()));
        assertThat(oldTailer.fileOpen()).isFalse();
        assertThat(meter("jitsiops.log.files.retired")).isEqualTo(1);
        assertThat(meter("jitsiops.log.files.open")).isEqualTo(1);
        assertThat(meter("jitsiops.log.bytes.behind")).isZero();
        assertThat(oldTailer.meters().following()).isEqualTo(1); // the source's gauges no longer read the retired tailer
        assertThat(store.cursor(old.toString())).isEmpty(); // no row left per dated file

        append(today, 40, 60); // the file still there is followed as before
        awaitCaughtUp(today);
        assertThat(delivery(today.toString(), 60)).isEqualTo(new TailFiles.Delivery(List.of(), List.of()));
        assertThat(tails.tailers()).hasSize(1);
    }

    @Test
    void aGracePeriodOfZeroFailsTheStartUpNamingItsKey() {
        assertThatThrownBy(() -> start(Files.createTempDirectory("retire-zero-"), "0s"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jitsiops.logs.tail.retire-after");
        service = null;
    }

    /** {@code jvb-2026-11-29.log} of 100 lines in a new temp dir, followed by a new service until its cursor is at its end. */
    private Path followedDatedFile(String test, String retireAfter) throws Exception {
        Path dir = Files.createTempDirectory(test);
        Path f = dir.resolve("jvb-2026-11-29.log");
        append(f, 0, 100);
        start(dir, retireAfter);
        awaitCaughtUp(f);
        return f;
    }

    @Test
    void keepsTailingThroughARenameAndReopenWithinTheGracePeriod() throws Exception {
        Path f = followedDatedFile("retire-rename-", "1m");
        Path dir = f.getParent();
        FileTailer tailer = service.tailers().get(f.toString());

        append(f, 100, 120);
        Files.move(f, dir.resolve("jvb-2026-11-29.log.1")); // logrotate's rename (no longer matched by the glob) ...
        // ... and the writer reopening its file only after the old one was read to its end and rescans missed the path
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(TailFiles.cursorPosition(f.toString())).isEqualTo(Files.size(dir.resolve("jvb-2026-11-29.log.1"))));
        Thread.sleep(1000);
        assertWrittenAgainAndReadBy(tailer, f, 120, 200);
    }

    /** Lines [from, to) written to {@code f} again are read by the same {@code tailer}: none retired, every line shipped once. */
    private void assertWrittenAgainAndReadBy(FileTailer tailer, Path f, int from, int to) throws Exception {
        append(f, from, to);
        awaitCaughtUp(f);
        assertThat(service.tailers().get(f.toString())).isSameAs(tailer);
        assertThat(meter("jitsiops.log.files.retired")).isZero();
        assertThat(delivery(f.toString(), to)).isEqualTo(new TailFiles.Delivery(List.of(), List.of()));
    }

    @Test
    void neverRetiresAConfiguredPathThatIsNotAGlob() throws Exception {
        Path f = Files.createTempDirectory("retire-plain-").resolve("jvb.log");
        append(f, 0, 50);
        TailService tails = follow(f.toString(), "1s");
        awaitCaughtUp(f);
        FileTailer tailer = tails.tailers().get(f.toString());
        Files.delete(f);
        await().atMost(Duration.ofSeconds(60)).until(() -> tailer.goneSince() != null);
        Thread.sleep(3000); // three grace periods and many rescans with the file absent
        assertWrittenAgainAndReadBy(tailer, f, 50, 80);
    }

    @Test
    void startsAgainFromTheStartOfTheFileWhenARetiredPathReappears() throws Exception {
        Path f = followedDatedFile("retire-again-", "1s");
        TailService tails = service;
        FileTailer first = tails.tailers().get(f.toString());
        Files.delete(f);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(tails.tailers()).doesNotContainKey(f.toString()));
        assertThat(store.cursor(f.toString())).isEmpty();

        append(f, 100, 250); // the same name again (new first bytes: a new file, whatever inode it gets)
        awaitCaughtUp(f);
        assertThat(tails.tailers().get(f.toString())).isNotNull().isNotSameAs(first);
        // read from its start as a new file: no warning of a lost file (the retired one was read to its end)
        assertThat(tails.tailers().get(f.toString()).lostFiles()).isZero();
        assertThat(delivery(f.toString(), 250)).isEqualTo(new TailFiles.Delivery(List.of(), List.of()));
        assertThat(meter("jitsiops.log.files.retired")).isEqualTo(1);
        assertThat(meter("jitsiops.log.files.open")).isEqualTo(1);
    }
}
