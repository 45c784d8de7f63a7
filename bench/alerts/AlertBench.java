import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;


/**
 * Drives one Alertmanager-compatible server (jitsi-ops' alert-service or Prometheus Alertmanager) the same way:
 *   intake URL TOKEN SECONDS [SIZES [DISTINCT]]  alerts/s through POST /api/v2/alerts in batches of 1, 100 and 1000 (or SIZES);
 *                                    DISTINCT > 0 cycles through that many alerts (re-posts) instead of new ones
 *   fanout URL TOKEN SINK_PORT GROUPS GROUPS alerts, one group each → notifications/s at a local webhook sink
 *   latency-http URL TOKEN SINK_PORT N   POST one alert → its notification at the sink: p50/p99
 *   latency-kafka BOOTSTRAP SINK_PORT N  a DOWN status event produced on Kafka → its notification: p50/p99
 *   sink-alone SINK_PORT CONNECTIONS SECONDS  the webhook sink alone: webhook-sized POSTs/s over keep-alive connections
 *   burst BOOTSTRAP SINK_PORT N PROGRESS_FILE  N DOWN events at once → counts lost and duplicated notifications
 *   events BOOTSTRAP GROUP N BRIDGES STATS_JSON [PID]  N healthy bridge samples on jitsi-ops.metrics → evaluated events/s
 * Run: java -cp 'deploy/servers/kafka/target/lib/*' bench/alerts/AlertBench.java MODE ARGS
 */
public class AlertBench {
    // HTTP/1.1 as Prometheus' notifier speaks to an http:// Alertmanager (Go's client does no h2c upgrade). The JDK
    // client's default (HTTP/2 with an h2c upgrade) was accepted by Quarkus and refused by Alertmanager, which put all
    // of jitsi-ops' requests on one multiplexed connection (one event loop) and Alertmanager's on eight.
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newFixedThreadPool(4)).connectTimeout(Duration.ofSeconds(5)).build();
    static final Pattern MARK = Pattern.compile("mark-([0-9]+)");

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "intake" -> intake(args[1], args[2], Integer.parseInt(args[3]), args.length > 4 ? args[4] : "1,100,1000",
                    args.length > 5 ? Long.parseLong(args[5]) : 0);
            case "fanout" -> fanout(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            case "latency-http" -> latencyHttp(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            case "latency-kafka" -> latencyKafka(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "sink-alone" -> sinkAlone(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "burst" -> burst(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), args[4]);
            case "group-lag" -> groupLag(args[1], args[2], args[3], Integer.parseInt(args[4]));
            case "events" -> events(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]), args[5],
                    args.length > 6 ? args[6] : null);
            default -> throw new IllegalArgumentException(args[0]);
        }
        System.exit(0);
    }

    /**
     * {@code group-lag BOOTSTRAP GROUP TOPIC SECONDS}: every SECONDS, until killed, the records of TOPIC the consumer
     * group has not committed yet (the sum over its partitions of end offset − committed offset; a partition with
     * nothing committed counts from 0). One process: a JVM started per sample cost seconds of the cores under test.
     */
    static void groupLag(String bootstrap, String group, String topic, int seconds) throws Exception {
        try (org.apache.kafka.clients.admin.Admin admin = admin(bootstrap)) {
            while (true) {
                System.out.println(uncommitted(admin, group, endOffsets(admin, topic)));
                Thread.sleep(seconds * 1000L);
            }
        }
    }

    static org.apache.kafka.clients.admin.Admin admin(String bootstrap) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        return org.apache.kafka.clients.admin.Admin.create(p);
    }

    /** Each partition of TOPIC with its end offset now. */
    static Map<org.apache.kafka.common.TopicPartition, Long> endOffsets(org.apache.kafka.clients.admin.Admin admin, String topic)
            throws Exception {
        Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new java.util.HashMap<>();
        admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                .forEach(i -> latest.put(new org.apache.kafka.common.TopicPartition(topic, i.partition()),
                        org.apache.kafka.clients.admin.OffsetSpec.latest()));
        Map<org.apache.kafka.common.TopicPartition, Long> ends = new java.util.HashMap<>();
        admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }

    /**
     * The records up to {@code ends} that GROUP has not committed yet: the sum over the partitions of end offset −
     * committed offset (a partition with nothing committed counts from 0).
     */
    static long uncommitted(org.apache.kafka.clients.admin.Admin admin, String group,
                            Map<org.apache.kafka.common.TopicPartition, Long> ends) throws Exception {
        var committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        long lag = 0;
        for (var e : ends.entrySet()) {
            var c = committed.get(e.getKey());
            lag += e.getValue() - (c == null ? 0 : c.offset());
        }
        return lag;
    }

    static String alert(String name, String id) {
        return "{\"labels\":{\"alertname\":\"" + name + "\",\"instance\":\"" + id + "\",\"severity\":\"warning\"},"
                + "\"annotations\":{\"summary\":\"bench " + id + "\"}}";
    }

    static String batch(String name, long from, int size) {
        return batch(name, "mark-", from, size, 0);
    }

    /**
     * {@code distinct} > 0: the ids cycle through that many alerts (re-posts, as Prometheus sends them); 0: all new.
     * {@code idPrefix} starts every id ({@code instance} label).
     */
    static String batch(String name, String idPrefix, long from, int size, long distinct) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(alert(name, idPrefix + (distinct > 0 ? (from + i) % distinct : from + i)));
        }
        return b.append(']').toString();
    }

    static HttpRequest post(String url, String token, String body) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url + "/api/v2/alerts")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (!token.isEmpty() && !token.equals("-")) {
            r.header("Authorization", "Bearer " + token);
        }
        return r.build();
    }

    /**
     * Posts for {@code seconds} per batch size with 8 requests in flight (8 keep-alive connections, one request at a
     * time each, as Prometheus' notifier keeps one connection per Alertmanager); distinct alerts throughout.
     * <p>
     * Written on plain sockets, not the JDK HttpClient: that client sends a POST's headers and body in two writes
     * from two threads and hands every answer to its executor, and on this 2-core machine it could not drive more
     * than ~1,900 requests/s even against an nginx {@code return 200} (which answers without reading the body); a
     * single-alert figure driven by it measured the driver (Alertmanager reached ~75% of that ceiling, jitsi-ops
     * less as it also competed with the client's threads for the CPU). Here each request is one write of headers
     * and body (as Go's net/http flushes a small request, which is what Prometheus sends with), and each connection
     * thread reads the answer itself; the figure is then the server's.
     */
    static void intake(String url, String token, int seconds, String sizes, long distinct) throws Exception {
        URI u = URI.create(url);
        AtomicLong counter = new AtomicLong();
        // new alerts must be new across runs too: INTERLEAVE runs this once per round against the same servers, and
        // ids counted from 0 again re-posted the round before's alerts (until session 39: rounds 2 and 3 of an
        // interleaved "new alert" run were mostly re-posts, on both sides). Re-posts (distinct > 0) keep their ids.
        String idPrefix = distinct > 0 ? "mark-" : "mark-" + UUID.randomUUID().toString().substring(0, 6) + "-";
        long acceptedInAllRounds = 0;
        for (int size : java.util.Arrays.stream(sizes.split(",")).mapToInt(Integer::parseInt).toArray()) {
            // the first round warms up, as long as the measured one (since session 20; was a third of it, 2 s): the
            // single-alert round came first in a fresh JVM and was measured while the JIT still compiled the request
            // path (run.sh: 2,719 and 3,384 alerts/s where a warm service took 7,474-14,656/s); Prometheus posts to a
            // long-running Alertmanager, so the steady state is the figure that matters, for both sides alike
            for (int round = 0; round < 2; round++) {
                AtomicLong accepted = new AtomicLong();
                AtomicLong failed = new AtomicLong();
                long start = System.nanoTime();
                long end = start + Duration.ofSeconds(seconds).toNanos();
                List<Thread> connections = new ArrayList<>();
                for (int c = 0; c < 8; c++) {
                    Thread t = new Thread(() -> {
                        try (KeepAlive conn = new KeepAlive(u.getHost(), u.getPort())) {
                            while (System.nanoTime() < end) {
                                int status = conn.post("/api/v2/alerts", token, batch("BenchIntake", idPrefix, counter.getAndAdd(size), size, distinct));
                                if (status == 200) {
                                    accepted.addAndGet(size);
                                } else {
                                    failed.incrementAndGet();
                                }
                            }
                        } catch (IOException e) {
                            failed.incrementAndGet();
                        }
                    });
                    t.start();
                    connections.add(t);
                }
                for (Thread t : connections) {
                    t.join();
                }
                double secs = (System.nanoTime() - start) / 1e9;
                acceptedInAllRounds += accepted.get();
                if (round == 1) {
                    System.out.printf("intake_batch_%d_alerts_per_s=%.0f failed_requests=%d%n", size, accepted.get() / secs, failed.get());
                }
            }
        }
        // warm-up rounds included: what run.sh divides the servers' CPU-s over the whole intake by
        System.out.printf("intake_accepted_all_rounds=%d%n", acceptedInAllRounds);
    }

    /** One keep-alive HTTP/1.1 connection: a POST written at once, its answer (status, Content-Length body) read back. */
    static final class KeepAlive implements AutoCloseable {
        private final java.net.Socket socket;
        private final java.io.OutputStream out;
        private final java.io.InputStream in;
        private final String host;

        KeepAlive(String host, int port) throws IOException {
            this.host = host + ":" + port;
            socket = new java.net.Socket(host, port);
            socket.setTcpNoDelay(true);
            out = socket.getOutputStream();
            in = new java.io.BufferedInputStream(socket.getInputStream(), 8192);
        }

        int post(String path, String token, String body) throws IOException {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            StringBuilder h = new StringBuilder(256).append("POST ").append(path).append(" HTTP/1.1\r\nHost: ").append(host)
                    .append("\r\nContent-Type: application/json\r\nContent-Length: ").append(b.length).append("\r\n");
            if (!token.isEmpty() && !token.equals("-")) {
                h.append("Authorization: Bearer ").append(token).append("\r\n");
            }
            byte[] head = h.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
            byte[] request = java.util.Arrays.copyOf(head, head.length + b.length);
            System.arraycopy(b, 0, request, head.length, b.length);
            out.write(request);
            out.flush();
            String status = line();
            int length = 0;
            boolean chunked = false;
            for (String l = line(); !l.isEmpty(); l = line()) {
                String lower = l.toLowerCase(java.util.Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            if (chunked) {
                for (int n = Integer.parseInt(line().trim(), 16); n > 0; n = Integer.parseInt(line().trim(), 16)) {
                    in.readNBytes(n);
                    line();
                }
                line();
            } else {
                in.readNBytes(length);
            }
            return Integer.parseInt(status.split(" ")[1]);
        }

        private String line() throws IOException {
            StringBuilder b = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c == -1) {
                    throw new IOException("connection closed");
                }
                if (c != '\r') {
                    b.append((char) c);
                }
            }
            return b.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /**
     * The webhook sink both servers notify: a thread per keep-alive connection reads each POST (Content-Length or
     * chunked body), answers 200 with an empty body at once and hands the body to {@code onBody} on that thread.
     * <p>
     * Until session 20 this was the JDK's HttpServer (8 handler threads), which alone, driven by 8 or 64 keep-alive
     * connections posting webhook-sized bodies, answered ~6,400-6,800 requests/s on this 2-core machine: the ceiling
     * of every fan-out figure, and below the issue's goal (10x Alertmanager's ~1,700/s). A blocking thread per
     * connection has no hand-off between a selector and a pool; both servers keep at most as many connections as
     * they have notifications in flight (the alert-service its receiver's max-in-flight, Alertmanager one per
     * concurrent webhook), so the thread count stays bounded.
     */
    static Sink sink(int port, java.util.function.Consumer<String> onBody) throws IOException {
        return new Sink(port, onBody);
    }

    static final class Sink {
        private final java.net.ServerSocket server;
        private final java.util.Set<java.net.Socket> open = ConcurrentHashMap.newKeySet();

        Sink(int port, java.util.function.Consumer<String> onBody) throws IOException {
            server = new java.net.ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress("127.0.0.1", port), 512);
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        java.net.Socket c = server.accept();
                        c.setTcpNoDelay(true); // the answer goes at once, not after the sender's delayed ACK
                        open.add(c);
                        Thread t = new Thread(() -> serve(c, onBody), "sink-connection");
                        t.setDaemon(true);
                        t.start();
                    } catch (IOException e) {
                        return; // closed
                    }
                }
            }, "sink-acceptor");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private void serve(java.net.Socket c, java.util.function.Consumer<String> onBody) {
            byte[] ok = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            try (c) {
                java.io.InputStream in = new java.io.BufferedInputStream(c.getInputStream(), 16384);
                java.io.OutputStream out = c.getOutputStream();
                while (true) {
                    String requestLine = line(in);
                    if (requestLine == null) {
                        return; // the client closed its keep-alive connection
                    }
                    int length = 0;
                    boolean chunked = false;
                    boolean close = false;
                    for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
                        String lower = h.toLowerCase(java.util.Locale.ROOT);
                        if (lower.startsWith("content-length:")) {
                            length = Integer.parseInt(lower.substring(15).trim());
                        } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                            chunked = true;
                        } else if (lower.startsWith("connection:") && lower.contains("close")) {
                            close = true;
                        }
                    }
                    byte[] body;
                    if (chunked) {
                        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
                        for (int n = Integer.parseInt(line(in).split(";")[0].trim(), 16); n > 0;
                             n = Integer.parseInt(line(in).split(";")[0].trim(), 16)) {
                            all.write(in.readNBytes(n));
                            line(in);
                        }
                        for (String t = line(in); t != null && !t.isEmpty(); t = line(in)) {
                            // trailers
                        }
                        body = all.toByteArray();
                    } else {
                        body = in.readNBytes(length);
                    }
                    out.write(ok);
                    out.flush();
                    onBody.accept(new String(body, StandardCharsets.UTF_8));
                    if (close) {
                        return;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // the client went away, or the sink was stopped
            } finally {
                open.remove(c);
            }
        }

        /** A header line without its CRLF; null at the end of the stream before any byte. */
        private static String line(java.io.InputStream in) throws IOException {
            StringBuilder b = new StringBuilder(64);
            for (int ch = in.read(); ch != '\n'; ch = in.read()) {
                if (ch == -1) {
                    if (b.length() == 0) {
                        return null;
                    }
                    throw new java.io.EOFException();
                }
                if (ch != '\r') {
                    b.append((char) ch);
                }
            }
            return b.toString();
        }

        void stop(int ignored) {
            try {
                server.close();
            } catch (IOException e) {
                // already closed
            }
            for (java.net.Socket c : open) {
                try {
                    c.close();
                } catch (IOException e) {
                    // already closed
                }
            }
        }
    }

    /**
     * The sink's own ceiling on this machine: CONNECTIONS keep-alive connections post an Alertmanager webhook
     * document (version 4, one alert, ~600 bytes) as fast as it answers; the driver shares the CPU with it, as the
     * servers under test do in the fan-out run.
     */
    static void sinkAlone(int sinkPort, int connections, int seconds) throws Exception {
        AtomicLong received = new AtomicLong();
        Sink s = sink(sinkPort, body -> {
            if (MARK.matcher(body).find()) {
                received.incrementAndGet();
            }
        });
        String doc = "{\"version\":\"4\",\"groupKey\":\"{}:{alertname=\\\"BenchFanout\\\", instance=\\\"mark-1\\\"}\","
                + "\"status\":\"firing\",\"receiver\":\"sink\",\"groupLabels\":{\"alertname\":\"BenchFanout\",\"instance\":\"mark-1\"},"
                + "\"commonLabels\":{\"alertname\":\"BenchFanout\",\"instance\":\"mark-1\",\"severity\":\"warning\"},"
                + "\"commonAnnotations\":{\"summary\":\"bench mark-1\"},\"externalURL\":\"http://127.0.0.1:9093\",\"truncatedAlerts\":0,"
                + "\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"BenchFanout\",\"instance\":\"mark-1\",\"severity\":\"warning\"},"
                + "\"annotations\":{\"summary\":\"bench mark-1\"},\"startsAt\":\"2026-11-29T22:00:00Z\",\"endsAt\":\"0001-01-01T00:00:00Z\","
                + "\"generatorURL\":\"\",\"fingerprint\":\"0123456789abcdef\"}]}";
        for (int round = 0; round < 2; round++) { // the first round warms up
            AtomicLong answered = new AtomicLong();
            long start = System.nanoTime();
            long end = start + Duration.ofSeconds(round == 0 ? 2 : seconds).toNanos();
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                Thread t = new Thread(() -> {
                    try (KeepAlive conn = new KeepAlive("127.0.0.1", sinkPort)) {
                        while (System.nanoTime() < end) {
                            if (conn.post("/hook", "-", doc) == 200) {
                                answered.incrementAndGet();
                            }
                        }
                    } catch (IOException e) {
                        // counted by what was answered
                    }
                });
                t.start();
                threads.add(t);
            }
            for (Thread t : threads) {
                t.join();
            }
            if (round == 1) {
                System.out.printf("sink_alone_connections=%d sink_requests_per_s=%.0f%n", connections,
                        answered.get() / ((System.nanoTime() - start) / 1e9));
            }
        }
        s.stop(0);
    }

    static void fanout(String url, String token, int sinkPort, int groups) throws Exception {
        String name = "BenchFanout" + UUID.randomUUID().toString().substring(0, 6);
        Map<String, Boolean> seen = new ConcurrentHashMap<>();
        AtomicLong requests = new AtomicLong();
        AtomicLong first = new AtomicLong();
        AtomicLong last = new AtomicLong();
        CountDownLatch all = new CountDownLatch(1);
        Sink s = sink(sinkPort, body -> {
            if (!body.contains(name)) {
                return;
            }
            long now = System.nanoTime();
            first.compareAndSet(0, now);
            last.set(now);
            requests.incrementAndGet();
            Matcher m = MARK.matcher(body);
            while (m.find()) {
                seen.put(m.group(1), true);
            }
            if (seen.size() >= groups) {
                all.countDown();
            }
        });
        long start = System.nanoTime();
        for (int i = 0; i < groups; i += 1000) {
            HttpResponse<Void> r = HTTP.send(post(url, token, batch(name, i, Math.min(1000, groups - i))),
                    HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("POST answered " + r.statusCode());
            }
        }
        long posted = System.nanoTime();
        boolean done = all.await(180, java.util.concurrent.TimeUnit.SECONDS);
        s.stop(0);
        double spread = (last.get() - first.get()) / 1e9;
        System.out.printf("fanout_groups=%d notifications=%d complete=%s post_s=%.2f first_after_s=%.2f all_after_s=%.2f "
                        + "fanout_notifications_per_s=%.0f%n", groups, requests.get(), done, (posted - start) / 1e9,
                (first.get() - start) / 1e9, (last.get() - start) / 1e9, requests.get() / Math.max(spread, 0.001));
    }

    static void latencyHttp(String url, String token, int sinkPort, int n) throws Exception {
        String name = "BenchLatency" + UUID.randomUUID().toString().substring(0, 6);
        Map<String, Long> sent = new ConcurrentHashMap<>();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        Sink s = sink(sinkPort, body -> record(body, name, sent, latencies));
        for (int i = 0; i < n; i++) {
            String body = "[" + alert(name, "mark-" + i) + "]";
            sent.put(String.valueOf(i), System.nanoTime());
            HTTP.send(post(url, token, body), HttpResponse.BodyHandlers.discarding());
            Thread.sleep(50);
        }
        await(latencies, n);
        s.stop(0);
        print(latencies, n);
    }

    static void latencyKafka(String bootstrap, int sinkPort, int n) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        Map<String, Long> sent = new ConcurrentHashMap<>();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        Sink s = sink(sinkPort, body -> record(body, "bench" + run, sent, latencies));
        Properties p = producer(bootstrap, 5);
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(p)) {
            for (int i = 0; i < n; i++) {
                String target = "bench" + run + "-mark-" + i;
                String event = "{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID() + "\",\"source\":\"/bench\","
                        + "\"type\":\"io.jitsiops.health.status-changed.v1\",\"time\":\"" + Instant.now() + "\","
                        + "\"subject\":\"jvb/" + target + "\",\"datacontenttype\":\"application/json\",\"data\":{"
                        + "\"component\":\"jvb\",\"target\":\"" + target + "\",\"previous\":\"UP\",\"current\":\"DOWN\","
                        + "\"error\":\"bench\",\"since\":\"" + Instant.now() + "\"}}";
                sent.put(String.valueOf(i), System.nanoTime());
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("jitsi-ops.health", "jvb/" + target, event));
                Thread.sleep(50);
            }
        }
        await(latencies, n);
        s.stop(0);
        print(latencies, n);
    }

    /** N DOWN events as fast as Kafka takes them; every notification counted by mark (progress written to a file). */
    static void burst(String bootstrap, int sinkPort, int n, String progressFile) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        Map<String, AtomicLong> seen = new ConcurrentHashMap<>();
        AtomicLong last = new AtomicLong(System.nanoTime());
        Sink s = sink(sinkPort, body -> {
            if (!body.contains("burst" + run)) {
                return;
            }
            last.set(System.nanoTime());
            // a mark appears several times in one message (labels, group labels, summary, group key): count it once
            java.util.Set<String> inThisMessage = new java.util.HashSet<>();
            Matcher m = MARK.matcher(body);
            while (m.find()) {
                inThisMessage.add(m.group(1));
            }
            inThisMessage.forEach(k -> seen.computeIfAbsent(k, x -> new AtomicLong()).incrementAndGet());
        });
        Properties p = producer(bootstrap, 5);
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(p)) {
            for (int i = 0; i < n; i++) {
                String target = "burst" + run + "-mark-" + i;
                String event = "{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID() + "\",\"source\":\"/bench\","
                        + "\"type\":\"io.jitsiops.health.status-changed.v1\",\"time\":\"" + Instant.now() + "\","
                        + "\"subject\":\"jvb/" + target + "\",\"datacontenttype\":\"application/json\",\"data\":{"
                        + "\"component\":\"jvb\",\"target\":\"" + target + "\",\"previous\":\"UP\",\"current\":\"DOWN\","
                        + "\"error\":\"bench\",\"since\":\"" + Instant.now() + "\"}}";
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("jitsi-ops.health", "jvb/" + target, event));
            }
        }
        long start = System.nanoTime();
        while (seen.size() < n && System.nanoTime() - last.get() < Duration.ofSeconds(90).toNanos()
                && System.nanoTime() - start < Duration.ofMinutes(6).toNanos()) {
            java.nio.file.Files.writeString(java.nio.file.Path.of(progressFile), String.valueOf(seen.size()));
            Thread.sleep(200);
        }
        s.stop(0);
        long duplicates = seen.values().stream().mapToLong(c -> c.get() - 1).sum();
        System.out.printf("burst_events=%d notified=%d lost=%d duplicates=%d duplicates_per_10000=%.2f%n", n, seen.size(),
                n - seen.size(), duplicates, duplicates * 10000.0 / n);
    }

    static void record(String body, String name, Map<String, Long> sent, List<Long> latencies) {
        if (!body.contains(name)) {
            return;
        }
        long now = System.nanoTime();
        Matcher m = MARK.matcher(body);
        while (m.find()) {
            Long t = sent.remove(m.group(1));
            if (t != null) {
                latencies.add(now - t);
            }
        }
    }

    static void await(List<Long> latencies, int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (latencies.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    static void print(List<Long> latencies, int n) {
        List<Long> l = new ArrayList<>(latencies);
        Collections.sort(l);
        if (l.isEmpty()) {
            System.out.println("latency_received=0 of " + n);
            return;
        }
        System.out.printf("latency_received=%d of %d p50_ms=%.0f p99_ms=%.0f max_ms=%.0f%n", l.size(), n,
                l.get(l.size() / 2) / 1e6, l.get(Math.min(l.size() - 1, (int) Math.ceil(l.size() * 0.99) - 1)) / 1e6,
                l.get(l.size() - 1) / 1e6);
    }

    /**
     * {@code events BOOTSTRAP GROUP N BRIDGES STATS_JSON}: the alert-service's main input, the metrics-service's
     * component samples, N of them for BRIDGES bridges in turn, produced as fast as the producer goes; timed until the
     * consumer GROUP has committed them all (it commits once an event's effects are written), so the figure is events
     * evaluated per second. Each sample holds the numeric keys of STATS_JSON (the recorded JVB /colibri/stats document
     * of metrics-service's test resources) named jitsi_jvb_KEY, plus jitsi_jvb_healthy 1 and jitsi_jvb_stress 0.3: a
     * bridge that is well, so no rule fires and the figure is evaluation alone. A load shape, not a recorded scrape.
     * With PID (the service, stopped with SIGSTOP by the caller) the clock starts when the service is resumed
     * (SIGCONT) after the last record is written: the figure is then the service's alone, not bounded by this
     * producer, which shares the two cores (it took ~4 s for 20,000 samples while the service ran).
     */
    static void events(String bootstrap, String group, int n, int bridges, String statsJson, String resumePid) throws Exception {
        String topic = "jitsi-ops.metrics";
        Matcher kv = Pattern.compile("\"([a-z0-9_]+)\"\\s*:\\s*(-?[0-9]+(?:\\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)\\s*[,}\\n]")
                .matcher(java.nio.file.Files.readString(java.nio.file.Path.of(statsJson)));
        Map<String, Double> numbers = new java.util.LinkedHashMap<>();
        while (kv.find()) {
            numbers.put("jitsi_jvb_" + kv.group(1), Double.parseDouble(kv.group(2)));
        }
        numbers.put("jitsi_jvb_healthy", 1.0);
        numbers.put("jitsi_jvb_stress", 0.3);
        StringBuilder values = new StringBuilder();
        numbers.forEach((k, v) -> values.append(values.length() == 0 ? "" : ",").append('"').append(k).append("\":").append(v));
        Properties p = producer(bootstrap, 5);
        long start = System.nanoTime();
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(p)) {
            for (int i = 0; i < n; i++) {
                // the same bridges every round: a bridge of an earlier round gone quiet would fire an absence alert
                String target = "bench-jvb-" + (i % bridges);
                String now = Instant.now().toString();
                String event = "{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID() + "\",\"source\":\"/bench\","
                        + "\"type\":\"io.jitsiops.metrics.component-sample.v1\",\"time\":\"" + now + "\","
                        + "\"subject\":\"jvb/" + target + "\",\"datacontenttype\":\"application/json\",\"data\":{"
                        + "\"component\":\"jvb\",\"target\":\"" + target + "\",\"sampledAt\":\"" + now + "\",\"values\":{"
                        + values + "}}}";
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, "jvb/" + target, event));
            }
        }
        double produced = (System.nanoTime() - start) / 1e9;
        if (resumePid != null) {
            if (new ProcessBuilder("kill", "-CONT", resumePid).inheritIO().start().waitFor() != 0) {
                throw new IllegalStateException("could not resume " + resumePid);
            }
            start = System.nanoTime();
        }
        try (org.apache.kafka.clients.admin.Admin admin = admin(bootstrap)) {
            var ends = endOffsets(admin, topic);
            long lag = Long.MAX_VALUE;
            while (lag > 0 && System.nanoTime() - start < Duration.ofMinutes(5).toNanos()) {
                lag = uncommitted(admin, group, ends);
                if (lag > 0) {
                    Thread.sleep(20);
                }
            }
            double all = (System.nanoTime() - start) / 1e9;
            System.out.printf("events=%d bridges=%d values_per_event=%d produce_s=%.2f %s=%.2f lag_left=%d events_per_s=%.0f%n",
                    n, bridges, numbers.size(), produced, resumePid == null ? "all_committed_after_s" : "all_committed_after_resume_s",
                    all, lag, lag == 0 ? n / all : 0.0);
        }
    }

    /** A string producer's settings: every record acknowledged by the broker, sent after at most lingerMs (5: kafka-clients 4.x's default). */
    static Properties producer(String bootstrap, int lingerMs) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("acks", "all");
        p.put("linger.ms", String.valueOf(lingerMs));
        p.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        p.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        return p;
    }
}
