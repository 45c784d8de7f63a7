package io.jitsiops.metrics.service;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A replica in a JVM of its own, so that a test can kill it with SIGKILL (no graceful leave of the group, no
 * last heartbeat). Prints {@code scrape TARGET EPOCH_MILLIS} per scrape and {@code owned N EPOCH_MILLIS} when its leases change, {@code gained N EPOCH_MILLIS} on each lease gain.
 * Arguments: bootstrap group topic partitions sessionMillis intervalMillis targetCount.
 */
public final class LeaseReplicaProcess {
    private LeaseReplicaProcess() {
    }

    public static void main(String[] a) throws InterruptedException {
        List<String> targets = IntStream.range(0, Integer.parseInt(a[6])).mapToObj(i -> "jvb/jvb-" + i).toList();
        LeasedScrapeLoop loop = new LeasedScrapeLoop("child", a[0], a[1], a[2], Integer.parseInt(a[3]), Duration.ofMillis(Long.parseLong(a[4])),
                Duration.ofMillis(Long.parseLong(a[5])), targets, s -> print("scrape " + s.target() + " " + s.atMillis()),
                gained -> print("gained " + gained.size() + " " + System.currentTimeMillis()));
        int last = -1;
        while (true) {
            int n = loop.owned().size();
            if (n != last) {
                print("owned " + n + " " + System.currentTimeMillis());
                last = n;
            }
            Thread.sleep(50);
        }
    }

    private static synchronized void print(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
