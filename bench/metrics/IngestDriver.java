import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Posts batches of browser samples to POST /api/video-metrics from several connections for a while; every sample
 * is distinct (room, participant) so that each one becomes a row. A 503 (PostgreSQL behind) is honoured: the batch is
 * sent again after Retry-After. Prints samples accepted, the HTTP-side rate, 503s and the driver's own CPU seconds.
 * Usage: java IngestDriver.java URL TOKEN SECONDS CONNECTIONS BATCH
 */
public class IngestDriver {
    public static void main(String[] a) throws Exception {
        String url = a[0];
        String token = a[1];
        long seconds = Long.parseLong(a[2]);
        int connections = Integer.parseInt(a[3]);
        int batch = Integer.parseInt(a[4]);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        AtomicLong accepted = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong seq = new AtomicLong();
        Pattern acc = Pattern.compile("\"accepted\":(\\d+)");
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        long t0 = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        // One body template, built once: every request copies it and writes its sequence number into fixed-width
        // places (room and participant), so that each sample is distinct (a row of its own) and the driver spends its
        // CPU on sending, not on formatting JSON beside the service on the same cores.
        StringBuilder sb = new StringBuilder(batch * 200).append("{\"samples\":[");
        List<Integer> roomAt = new ArrayList<>();
        List<Integer> seqAt = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append("{\"room\":\"bench-");
            roomAt.add(sb.length());
            sb.append("000\",\"participant\":\"p");
            seqAt.add(sb.length());
            sb.append("0000000000-").append(i)
                    .append("\",\"direction\":\"receive\",\"bitrateKbps\":").append(800 + i % 700)
                    .append(",\"fps\":30,\"resolution\":\"1280x720\",\"packetLossPercent\":").append((i % 50) / 10.0)
                    .append(",\"jitterMs\":").append(3 + i % 20).append(",\"rttMs\":").append(30 + i % 90).append('}');
        }
        byte[] template = sb.append("]}").toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        AtomicLong throttled = new AtomicLong();
        for (int c = 0; c < connections; c++) {
            Thread t = new Thread(() -> {
                while (System.nanoTime() < deadline) {
                    long n = seq.getAndIncrement();
                    byte[] body = template.clone();
                    for (int at : roomAt) {
                        digits(body, at, 3, n % 500);
                    }
                    for (int at : seqAt) {
                        digits(body, at, 10, n);
                    }
                    try {
                        while (true) {
                            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() == 503) { // PostgreSQL behind: keep the batch, send it again after Retry-After
                                throttled.incrementAndGet();
                                Thread.sleep(1000L * Long.parseLong(r.headers().firstValue("Retry-After").orElse("1")));
                                continue;
                            }
                            Matcher m = acc.matcher(r.body());
                            if (r.statusCode() == 202 && m.find()) {
                                accepted.addAndGet(Long.parseLong(m.group(1)));
                            } else {
                                errors.incrementAndGet();
                                if (errors.get() < 3) {
                                    System.err.println("HTTP " + r.statusCode() + ": " + r.body().substring(0, Math.min(200, r.body().length())));
                                }
                            }
                            break;
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        double s = (System.nanoTime() - t0) / 1e9;
        double cpu = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
        System.out.printf("accepted=%d errors=%d seconds=%.1f http_rate=%.0f throttled_503=%d driver_cpu_s=%.1f%n", accepted.get(), errors.get(), s,
                accepted.get() / s, throttled.get(), cpu);
    }

    private static void digits(byte[] body, int at, int width, long value) {
        for (int k = width - 1; k >= 0; k--) {
            body[at + k] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }
}
