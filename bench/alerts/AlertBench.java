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
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;

/**
 * Drives one Alertmanager-compatible server (jitsi-ops' alert-service or Prometheus Alertmanager) the same way:
 *   intake URL TOKEN SECONDS          alerts/s through POST /api/v2/alerts in batches of 1, 100 and 1000
 *   fanout URL TOKEN SINK_PORT GROUPS GROUPS alerts, one group each → notifications/s at a local webhook sink
 *   latency-http URL TOKEN SINK_PORT N   POST one alert → its notification at the sink: p50/p99
 *   latency-kafka BOOTSTRAP SINK_PORT N  a DOWN status event produced on Kafka → its notification: p50/p99
 *   burst BOOTSTRAP SINK_PORT N PROGRESS_FILE  N DOWN events at once → counts lost and duplicated notifications
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
            case "intake" -> intake(args[1], args[2], Integer.parseInt(args[3]));
            case "fanout" -> fanout(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            case "latency-http" -> latencyHttp(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            case "latency-kafka" -> latencyKafka(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "burst" -> burst(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), args[4]);
            default -> throw new IllegalArgumentException(args[0]);
        }
        System.exit(0);
    }

    static String alert(String name, String id) {
        return "{\"labels\":{\"alertname\":\"" + name + "\",\"instance\":\"" + id + "\",\"severity\":\"warning\"},"
                + "\"annotations\":{\"summary\":\"bench " + id + "\"}}";
    }

    static String batch(String name, long from, int size) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(alert(name, "mark-" + (from + i)));
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

    /** Posts for {@code seconds} per batch size with 8 requests in flight; distinct alerts throughout. */
    static void intake(String url, String token, int seconds) throws Exception {
        AtomicLong counter = new AtomicLong();
        for (int size : new int[] {1, 100, 1000}) {
            for (int round = 0; round < 2; round++) { // the first round warms up
                Semaphore inFlight = new Semaphore(8);
                AtomicLong accepted = new AtomicLong();
                AtomicLong failed = new AtomicLong();
                long end = System.nanoTime() + Duration.ofSeconds(round == 0 ? Math.max(2, seconds / 3) : seconds).toNanos();
                long start = System.nanoTime();
                while (System.nanoTime() < end) {
                    inFlight.acquire();
                    String body = batch("BenchIntake", counter.getAndAdd(size), size);
                    HTTP.sendAsync(post(url, token, body), HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
                        if (e == null && r.statusCode() == 200) {
                            accepted.addAndGet(size);
                        } else {
                            failed.incrementAndGet();
                        }
                        inFlight.release();
                    });
                }
                inFlight.acquire(8);
                double secs = (System.nanoTime() - start) / 1e9;
                if (round == 1) {
                    System.out.printf("intake_batch_%d_alerts_per_s=%.0f failed_requests=%d%n", size, accepted.get() / secs, failed.get());
                }
            }
        }
    }

    static HttpServer sink(int port, java.util.function.Consumer<String> onBody) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 512);
        s.setExecutor(Executors.newFixedThreadPool(8));
        s.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, -1);
            ex.close();
            onBody.accept(body);
        });
        s.start();
        return s;
    }

    static void fanout(String url, String token, int sinkPort, int groups) throws Exception {
        String name = "BenchFanout" + UUID.randomUUID().toString().substring(0, 6);
        Map<String, Boolean> seen = new ConcurrentHashMap<>();
        AtomicLong requests = new AtomicLong();
        AtomicLong first = new AtomicLong();
        AtomicLong last = new AtomicLong();
        CountDownLatch all = new CountDownLatch(1);
        HttpServer s = sink(sinkPort, body -> {
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
        HttpServer s = sink(sinkPort, body -> record(body, name, sent, latencies));
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
        HttpServer s = sink(sinkPort, body -> record(body, "bench" + run, sent, latencies));
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("acks", "all");
        p.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        p.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
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
        HttpServer s = sink(sinkPort, body -> {
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
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("acks", "all");
        p.put("linger.ms", "5");
        p.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        p.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
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
}
