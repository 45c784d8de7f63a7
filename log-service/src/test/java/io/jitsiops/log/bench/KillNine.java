package io.jitsiops.log.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
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

import io.jitsiops.testkit.LocalServers;
import io.jitsiops.testkit.server.KafkaServer;
import io.jitsiops.testkit.server.Ports;
import io.jitsiops.testkit.server.PostgresServer;

/**
 * bench/logs/kill9.sh: kill -9 of the PACKAGED log-service ({@code java -jar quarkus-run.jar}), CYCLES times, on
 * three files it tails at once, each rotated its own way: {@code rename/jvb.log} renamed away and recreated while
 * the service runs, {@code copytruncate/jvb.log} copied and truncated while it runs, {@code down/jvb.log}
 * rotated twice (with lines between) while it is dead. Lines are appended all the time, also while it is
 * dead. Each cycle: start the service (real Kafka and PostgreSQL of the test kit), let it run a random time
 * (sometimes killed while still starting), rotate at random moments, SIGKILL. At the end a last service
 * catches up and the entries topic is read back: every line must be there, and how many came twice is counted.
 * Usage: KillNine CYCLES WORKDIR QUARKUS_RUN_JAR
 */
public final class KillNine {
    private static final Pattern NUMBER = Pattern.compile("line (\\d+)$");
    private static final String TOPIC = "jitsi-ops.log-entries";

    private KillNine() {
    }

    /** One watched file, its writer's count and a lock that keeps writes and rotations apart. */
    static final class Watched {
        final String kind;
        final Path path;
        int written;
        int rotations;

        Watched(String kind, Path path) {
            this.kind = kind;
            this.path = path;
        }

        synchronized void append(int n) throws IOException {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < n; i++) {
                sb.append("JVB 2026-11-29 08:00:00.000 INFO: [1] [confId=c1] Test.run#1: line ").append(written++).append('\n');
            }
            Files.writeString(path, sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }

        /** logrotate's rename + create (rotate 999: nothing unread is deleted). */
        synchronized void rename() throws IOException {
            shift();
            Files.move(path, sibling(1));
            Files.createFile(path);
            rotations++;
        }

        /** logrotate's copytruncate, done between two writes (logrotate's own copy-to-truncate gap aside). */
        synchronized void copytruncate() throws IOException {
            shift();
            Files.copy(path, sibling(1), StandardCopyOption.COPY_ATTRIBUTES);
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
                ch.truncate(0);
            }
            rotations++;
        }

        private void shift() throws IOException {
            for (int i = 998; i >= 1; i--) {
                if (Files.exists(sibling(i))) {
                    Files.move(sibling(i), sibling(i + 1), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }

        private Path sibling(int i) {
            return path.resolveSibling(path.getFileName() + "." + i);
        }
    }

    public static void main(String[] args) throws Exception {
        int cycles = Integer.parseInt(args[0]);
        Path work = Path.of(args[1]).toAbsolutePath();
        Path jar = Path.of(args[2]).toAbsolutePath();
        KafkaServer kafka = LocalServers.kafka();
        PostgresServer postgres = LocalServers.postgres();
        Random random = new Random(20261129);
        Watched rename = new Watched("rename", Files.createDirectories(work.resolve("rename")).resolve("jvb.log"));
        Watched copytruncate = new Watched("copytruncate", Files.createDirectories(work.resolve("copytruncate")).resolve("jvb.log"));
        Watched down = new Watched("rotated-while-down", Files.createDirectories(work.resolve("down")).resolve("jvb.log"));
        List<Watched> all = List.of(rename, copytruncate, down);
        Path deployment = work.resolve("deployment.yaml");
        StringBuilder y = new StringBuilder("name: kill9\nlogs:\n");
        for (Watched w : all) {
            w.append(1);
            y.append("  - component: jvb\n    path: ").append(w.path).append("\n    format: jvb\n    timeZone: UTC\n");
        }
        Files.writeString(deployment, y);
        Path log = work.resolve("service.log");
        Map<String, String> env = new HashMap<>();
        env.put("JITSIOPS_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
        env.put("JITSIOPS_DB_REACTIVE_URL", postgres.reactiveUrl());
        env.put("JITSIOPS_DB_JDBC_URL", postgres.jdbcUrl());
        env.put("JITSIOPS_DB_USER", PostgresServer.USER);
        env.put("JITSIOPS_DEPLOYMENT_FILE", deployment.toString());
        env.put("JITSIOPS_OIDC_ISSUER", "http://127.0.0.1:" + Ports.free() + "/none"); // no mutation is made here
        env.put("QUARKUS_OIDC_CONNECTION_DELAY", "0s");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

        // Lines keep coming to the two files rotated while the service runs, whether it runs or not.
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread writer = new Thread(() -> {
            while (!stop.get()) {
                try {
                    rename.append(3);
                    copytruncate.append(3);
                    Thread.sleep(5);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }, "writer");
        writer.start();

        long t0 = System.nanoTime();
        int killedStarting = 0;
        for (int cycle = 0; cycle < cycles; cycle++) {
            int port = Ports.free();
            Process p = start(jar, env, port, log);
            boolean whileStarting = random.nextInt(5) == 0;
            if (whileStarting) {
                Thread.sleep(200 + random.nextInt(1200));
                killedStarting++;
            } else {
                awaitLive(http, port, p);
                long runFor = 100 + random.nextInt(1500);
                long renameAt = random.nextInt((int) runFor);
                long truncateAt = random.nextInt((int) runFor);
                long start = System.currentTimeMillis();
                boolean renamed = false;
                boolean truncated = false;
                while (System.currentTimeMillis() - start < runFor) {
                    long at = System.currentTimeMillis() - start;
                    if (!renamed && at >= renameAt) {
                        rename.rename();
                        renamed = true;
                    }
                    if (!truncated && at >= truncateAt) {
                        copytruncate.copytruncate();
                        truncated = true;
                    }
                    down.append(2);
                    Thread.sleep(5);
                }
            }
            p.destroyForcibly(); // SIGKILL
            p.waitFor();
            // dead: the third file is rotated twice, with lines before, between and after
            down.append(5 + random.nextInt(40));
            down.rename();
            down.append(5 + random.nextInt(40));
            down.rename();
            down.append(5 + random.nextInt(40));
            if (cycle % 10 == 9) {
                System.out.printf("cycle %d/%d (%.0f s)%n", cycle + 1, cycles, (System.nanoTime() - t0) / 1e9);
            }
        }
        stop.set(true);
        writer.join();

        // a last service catches up with every file
        int port = Ports.free();
        Process last = start(jar, env, port, log);
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!caughtUp(postgres, all) && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        boolean caughtUp = caughtUp(postgres, all);
        last.destroy();
        last.waitFor();
        double secs = (System.nanoTime() - t0) / 1e9;

        Map<String, Map<Integer, String>> where = new HashMap<>();
        Map<String, Map<Integer, Integer>> shipped = readBack(kafka.bootstrapServers(), where);
        int totalLost = 0;
        int totalDup = 0;
        int totalLines = 0;
        System.out.printf("%d cycles of start + SIGKILL of the packaged service (%d of them while it was starting) in %.0f s%n",
                cycles, killedStarting, secs);
        for (Watched w : all) {
            Map<Integer, Integer> counts = shipped.getOrDefault(w.path.toString(), Map.of());
            List<Integer> lost = new ArrayList<>();
            int dup = 0;
            for (int i = 0; i < w.written; i++) {
                int c = counts.getOrDefault(i, 0);
                if (c == 0) {
                    lost.add(i);
                } else if (c > 1) {
                    dup += c - 1;
                }
            }
            totalLost += lost.size();
            totalDup += dup;
            totalLines += w.written;
            System.out.printf("%-20s %8d lines, %4d rotations: lost %d%s, duplicated %d%n", w.kind, w.written, w.rotations,
                    lost.size(), lost.isEmpty() ? "" : " (first " + lost.subList(0, Math.min(10, lost.size())) + ")", dup);
            // where the copies of the first duplicated lines came from: file generation and position of each
            Map<Integer, String> seen = where.getOrDefault(w.path.toString(), Map.of());
            counts.entrySet().stream().filter(c -> c.getValue() > 1).map(Map.Entry::getKey).sorted().limit(5)
                    .forEach(line -> System.out.printf("    line %d shipped as: %s%n", line, seen.get(line)));
        }
        System.out.printf("KILL9_CYCLES=%d%nKILL9_LINES=%d%nKILL9_LOST=%d%nKILL9_DUPLICATED=%d%nKILL9_CAUGHT_UP=%s%n",
                cycles, totalLines, totalLost, totalDup, caughtUp);
        System.exit(totalLost == 0 && totalDup <= 1 && caughtUp ? 0 : 1);
    }

    private static Process start(Path jar, Map<String, String> env, int port, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(javaBinary(), "-Xmx256m", "-jar", jar.toString());
        pb.environment().putAll(env);
        pb.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return pb.start();
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void awaitLive(HttpClient http, int port, Process p) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/live"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("the service exited with " + p.exitValue() + " (see service.log)");
            }
            try {
                if (http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the service was not live within 60 s");
    }

    /** Every live file's cursor stands at its end, on that very file. */
    private static boolean caughtUp(PostgresServer postgres, List<Watched> all) {
        try {
            for (Watched w : all) {
                String row = postgres.psql("jitsiops", "SELECT file_key || ' ' || position FROM logs.tail_cursor WHERE path = '"
                        + w.path + "'").trim();
                String key = Files.getAttribute(w.path, "unix:dev", LinkOption.NOFOLLOW_LINKS) + ":"
                        + Files.getAttribute(w.path, "unix:ino", LinkOption.NOFOLLOW_LINKS);
                if (!row.equals(key + " " + Files.size(w.path))) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Per record key (the file), how many times each line number arrived. */
    private static Map<String, Map<Integer, Integer>> readBack(String bootstrap, Map<String, Map<Integer, String>> where)
            throws IOException {
        ObjectMapper json = new ObjectMapper();
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "kill9-" + UUID.randomUUID());
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<String, Map<Integer, Integer>> out = new HashMap<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            for (PartitionInfo i : c.partitionsFor(TOPIC, Duration.ofSeconds(10))) {
                parts.add(new TopicPartition(TOPIC, i.partition()));
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    JsonNode n = json.readTree(r.value());
                    Matcher m = NUMBER.matcher(n.path("message").asText());
                    if (m.find()) {
                        int line = Integer.parseInt(m.group(1));
                        out.computeIfAbsent(r.key(), k -> new HashMap<>()).merge(line, 1, Integer::sum);
                        where.computeIfAbsent(r.key(), k -> new HashMap<>()).merge(line,
                                n.path("fileKey").asText() + "/" + n.path("fingerprint").asText() + "@" + n.path("position").asLong()
                                        + " (offset " + r.offset() + ")", (a, b) -> a + " | " + b);
                    }
                }
            }
        }
        return out;
    }
}
