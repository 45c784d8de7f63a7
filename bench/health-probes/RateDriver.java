import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drives a blackbox_exporter the way Prometheus would for N targets on one interval: N probe requests per
 * interval, evenly spread, bounded in count and time. Prints achieved probes/s, failures and latency p50/p99.
 * Run: java RateDriver.java EXPORTER_URL TARGET_URL_PATTERN(with %d) TARGETS INTERVAL_SECONDS DURATION_SECONDS
 */
public class RateDriver {
    public static void main(String[] args) throws Exception {
        String exporter = args[0];
        String targetPattern = args[1];
        int targets = Integer.parseInt(args[2]);
        int intervalSeconds = Integer.parseInt(args[3]);
        int durationSeconds = Integer.parseInt(args[4]);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).executor(Executors.newFixedThreadPool(4)).build();
        long total = (long) targets * durationSeconds / intervalSeconds;
        long periodNanos = TimeUnit.SECONDS.toNanos(intervalSeconds) / targets;
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicLong failures = new AtomicLong();
        AtomicLong lateStarts = new AtomicLong();
        CountDownLatch done = new CountDownLatch((int) total);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        long start = System.nanoTime();
        AtomicLong sent = new AtomicLong();
        ticker.scheduleAtFixedRate(() -> {
            long i = sent.getAndIncrement();
            if (i >= total) {
                return;
            }
            long planned = start + i * periodNanos;
            if (System.nanoTime() - planned > 1_000_000_000L) {
                lateStarts.incrementAndGet();
            }
            String target = String.format(targetPattern, i % targets);
            URI uri = URI.create(exporter + "/probe?module=http_2xx&target=" + java.net.URLEncoder.encode(target, java.nio.charset.StandardCharsets.UTF_8));
            long t0 = System.nanoTime();
            client.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((r, e) -> {
                        latencies.add(System.nanoTime() - t0);
                        if (e != null || r.statusCode() != 200 || !r.body().contains("probe_success 1")) {
                            failures.incrementAndGet();
                        }
                        done.countDown();
                    });
        }, 0, periodNanos, TimeUnit.NANOSECONDS);
        boolean finished = done.await(durationSeconds + 30L, TimeUnit.SECONDS);
        ticker.shutdownNow();
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        System.out.printf("probes=%d failures=%d late_starts=%d probes_per_second=%.1f p50_ms=%.1f p99_ms=%.1f finished=%s%n",
                sorted.size(), failures.get(), lateStarts.get(), sorted.size() / seconds,
                pct(sorted, 0.50), pct(sorted, 0.99), finished);
        System.exit(0);
    }

    private static double pct(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1)) / 1e6;
    }
}
