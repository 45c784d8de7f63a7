package io.jitsiops.log.tail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jitsiops.deployment.DeploymentDescription.LogFormat;
import io.jitsiops.log.analysis.Categorizer;
import io.jitsiops.log.analysis.CategoryRules;
import io.jitsiops.testkit.LocalServers;

/** Test helpers: numbered JVB lines written to real files, tailers on them, and the entries topic read back. */
final class TailFiles {
    static final String TOPIC = "jitsi-ops.log-entries";
    private static final Pattern NUMBER = Pattern.compile("line (\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private TailFiles() {
    }

    static String line(int n) {
        return "JVB 2026-11-29 08:00:00.000 INFO: [1] [confId=c1] Test.run#1: line " + n + "\n";
    }

    static String errorWithTrace(int n) {
        return "JVB 2026-11-29 08:00:00.000 SEVERE: [1] Test.run#1: line " + n + " failed\n"
                + "java.lang.IllegalStateException: boom\n\tat a.b.C.m(C.java:1)\nCaused by: java.io.IOException: x\n\t... 1 more\n";
    }

    static void append(Path file, int from, int to) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            sb.append(line(i));
        }
        Files.writeString(file, sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** The service's default steps in flight (jitsiops.logs.tail.steps-in-flight): the tailers of these tests use it. */
    static final int STEPS_IN_FLIGHT = 1;

    /** logrotate's copytruncate: the file copied beside it as name.1 (its times kept), then truncated in place. */
    static void copytruncate(Path file) throws IOException {
        Files.copy(file, file.resolveSibling(file.getFileName() + ".1"), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        try (var ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
    }

    static FileTailer tailer(Path file, CursorStore store, Shipper shipper) {
        return tailer(file, store, shipper, false, LogFormat.jvb);
    }

    static FileTailer tailer(Path file, CursorStore store, Shipper shipper, boolean cri, LogFormat format) {
        return tailer(file, store, shipper, cri, format, STEPS_IN_FLIGHT);
    }

    static FileTailer tailer(Path file, CursorStore store, Shipper shipper, int stepsInFlight) {
        return tailer(file, store, shipper, false, LogFormat.jvb, stepsInFlight);
    }

    static FileTailer tailer(Path file, CursorStore store, Shipper shipper, boolean cri, LogFormat format, int stepsInFlight) {
        TailSettings s = new TailSettings(65536, 262144, 64 * 1024, 1024, Duration.ZERO, 20, Duration.ofMinutes(1), stepsInFlight);
        // each tailer with meters of its own (as a configured source of one file), on a registry of its own
        SourceMeters meters = SourceMeters.register(new io.micrometer.core.instrument.simple.SimpleMeterRegistry(),
                new io.jitsiops.deployment.DeploymentDescription.LogSource(format.name(), file.toString(), format), Clock.systemUTC());
        return new FileTailer(new TailSource(format.name(), format, file, ZoneOffset.UTC, cri), s,
                new Categorizer(CategoryRules.load(java.util.Optional.empty())), store, shipper,
                new WindowAggregates(20, java.time.Instant.now()), Clock.systemUTC(), meters);
    }

    /** Polls until two polls in a row did nothing. */
    static void drain(FileTailer t) throws IOException {
        int idle = 0;
        for (int i = 0; i < 10_000 && idle < 2; i++) {
            boolean progress = t.poll();
            if (!progress && t.waitingForKafka()) {
                // only cursor commits in flight: a poll returns at once, so wait for them instead of spinning through
                // the 10,000 polls before a slow machine stored them
                try {
                    t.awaitCommits(java.time.Duration.ofSeconds(30));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
            idle = progress || t.waitingForKafka() ? 0 : idle + 1;
        }
    }

    /** How many times each line number arrived on the entries topic under this key. */
    static Map<Integer, Integer> shipped(String key) {
        Map<Integer, Integer> counts = new HashMap<>();
        for (JsonNode n : records(key)) {
            Matcher m = NUMBER.matcher(n.path("message").asText());
            if (m.find()) {
                counts.merge(Integer.parseInt(m.group(1)), 1, Integer::sum);
            }
        }
        return counts;
    }

    static List<JsonNode> records(String key) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalServers.kafka().bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "tail-test-" + UUID.randomUUID());
        // nothing to commit: closing must not wait for a group coordinator (just after a broker restart it may
        // take half a minute to be found)
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<JsonNode> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            for (PartitionInfo i : c.partitionsFor(TOPIC, Duration.ofSeconds(10))) {
                parts.add(new TopicPartition(TOPIC, i.partition()));
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (key.equals(r.key())) {
                        out.add(JSON.readTree(r.value()));
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** The stored cursor's position for {@code key}, read with psql (-1 when there is none). */
    static long cursorPosition(String key) throws Exception {
        String out = LocalServers.postgres().psql("jitsiops",
                "SELECT coalesce(max(position), -1) FROM logs.tail_cursor WHERE path = '" + key.replace("'", "''") + "'").trim();
        return Long.parseLong(out);
    }

    /** Lost and duplicated line numbers of [0, n). */
    record Delivery(List<Integer> lost, List<Integer> duplicated) {
    }

    static Delivery delivery(String key, int n) {
        Map<Integer, Integer> counts = shipped(key);
        List<Integer> lost = new ArrayList<>();
        List<Integer> dup = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int c = counts.getOrDefault(i, 0);
            if (c == 0) {
                lost.add(i);
            } else if (c > 1) {
                dup.add(i);
            }
        }
        return new Delivery(lost, dup);
    }

    /**
     * The real cursor store, except that a commit fails with what {@code failure} answers (null: it goes through) — a
     * process killed after Kafka acknowledged a step and before its cursor was stored.
     */
    static CursorStore failingCommits(CursorStore real, java.util.function.Supplier<RuntimeException> failure) {
        return new CursorStore() {
            @Override
            public java.util.Optional<io.jitsiops.log.repository.TailCursor> cursor(String path) {
                return real.cursor(path);
            }

            @Override
            public void commitStep(io.jitsiops.log.repository.TailCursor c, java.util.Collection<io.jitsiops.log.analysis.MinuteCounts> m,
                                   List<io.jitsiops.log.repository.LogStore.StoredError> e) {
                RuntimeException dies = failure.get();
                if (dies != null) {
                    throw dies;
                }
                real.commitStep(c, m, e);
            }
        };
    }
}
