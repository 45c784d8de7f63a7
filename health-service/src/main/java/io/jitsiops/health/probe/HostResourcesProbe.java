package io.jitsiops.health.probe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.jitsiops.health.config.HealthConfig;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * This host's CPU, memory, disk and network, read from /proc and the file systems' own figures (not by
 * parsing top or free). CPU and network are rates between two readings, so the first run reports neither.
 * File reads run on a worker thread, never on the event loop.
 */
public final class HostResourcesProbe extends AbstractProbe {
    private final Path proc;
    private final List<String> diskPaths;
    private final HealthConfig.Host limits;
    private long[] lastCpu;
    private long[] lastNet;
    private long lastNetAtNanos;

    public HostResourcesProbe(CheckKey key, ProbeSettings settings, Path proc, HealthConfig.Host limits) {
        super(key, settings);
        this.proc = proc;
        this.diskPaths = limits.diskPaths();
        this.limits = limits;
    }

    @Override
    public Uni<ProbeOutcome> run() {
        return Uni.createFrom().item(this::read).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private synchronized ProbeOutcome read() {
        long started = System.nanoTime();
        try {
            Double[] cpu = cpuPercent(Files.readAllLines(proc.resolve("stat")).get(0));
            double memory = memoryPercent(Files.readAllLines(proc.resolve("meminfo")));
            Map<String, Double> disks = new LinkedHashMap<>();
            for (String mount : diskPaths) {
                FileStore store = Files.getFileStore(Path.of(mount));
                long used = store.getTotalSpace() - store.getUnallocatedSpace();
                long denominator = used + store.getUsableSpace();
                disks.put(mount, denominator == 0 ? 0 : 100.0 * used / denominator);
            }
            Double[] net = networkRates(Files.readAllLines(proc.resolve("net/dev")), System.nanoTime());
            String[] load = Files.readString(proc.resolve("loadavg")).trim().split("\\s+");
            HostUsage usage = new HostUsage(cpu[0], cpu[1], memory, disks, net[0], net[1], Double.parseDouble(load[0]));
            return usage.toOutcome(elapsedMs(started), limits);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * /proc/stat "cpu user nice system idle iowait irq softirq steal guest guest_nice" (proc(5)): the busy share
     * and the stolen share since the last reading, both null on the first one. Steal counts as busy, as in
     * node_exporter's usual {@code 1 - idle - iowait}; kernels before 2.6.11 have no steal column (null then).
     */
    Double[] cpuPercent(String cpuLine) {
        String[] f = cpuLine.trim().split("\\s+");
        long[] now = new long[f.length - 1];
        for (int i = 1; i < f.length; i++) {
            now[i - 1] = Long.parseLong(f[i]);
        }
        long[] before = lastCpu;
        lastCpu = now;
        if (before == null || before.length != now.length) {
            return new Double[] { null, null };
        }
        long total = 0;
        for (int i = 0; i < Math.min(8, now.length); i++) { // guest time is already inside user time
            total += now[i] - before[i];
        }
        long idle = (now[3] - before[3]) + (now.length > 4 ? now[4] - before[4] : 0);
        Double steal = now.length > 7 ? (total <= 0 ? 0.0 : 100.0 * (now[7] - before[7]) / total) : null;
        return new Double[] { total <= 0 ? 0.0 : 100.0 * (total - idle) / total, steal };
    }

    static double memoryPercent(List<String> meminfo) {
        long total = 0;
        long available = -1;
        for (String line : meminfo) {
            if (line.startsWith("MemTotal:")) {
                total = Long.parseLong(line.replaceAll("\\D+", ""));
            } else if (line.startsWith("MemAvailable:")) {
                available = Long.parseLong(line.replaceAll("\\D+", ""));
            }
        }
        if (total == 0 || available < 0) {
            throw new IllegalStateException("/proc/meminfo lacks MemTotal or MemAvailable");
        }
        return 100.0 * (total - available) / total;
    }

    /** Received and transmitted bytes per second over every interface but loopback, since the last reading. */
    Double[] networkRates(List<String> netDev, long nowNanos) {
        long rx = 0;
        long tx = 0;
        for (String line : netDev) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String iface = line.substring(0, colon).trim();
            if (iface.equals("lo")) {
                continue;
            }
            String[] f = line.substring(colon + 1).trim().split("\\s+");
            rx += Long.parseLong(f[0]);
            tx += Long.parseLong(f[8]);
        }
        long[] before = lastNet;
        long beforeAt = lastNetAtNanos;
        lastNet = new long[] { rx, tx };
        lastNetAtNanos = nowNanos;
        if (before == null || nowNanos <= beforeAt) {
            return new Double[] { null, null };
        }
        double seconds = (nowNanos - beforeAt) / 1e9;
        return new Double[] { Math.max(0, rx - before[0]) / seconds, Math.max(0, tx - before[1]) / seconds };
    }
}
