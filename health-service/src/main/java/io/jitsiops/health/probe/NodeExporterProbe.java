package io.jitsiops.health.probe;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.jitsiops.health.config.HealthConfig;
import io.smallrye.mutiny.Uni;

/**
 * A remote host's resources from a node_exporter-style {@code /metrics} page: CPU from
 * {@code node_cpu_seconds_total} (rate between two scrapes; mode {@code steal} apart as well), memory from {@code node_memory_MemTotal_bytes}
 * and {@code node_memory_MemAvailable_bytes}, disk from {@code node_filesystem_*_bytes} of real file systems,
 * network from {@code node_network_*_bytes_total} (not lo), and {@code node_load1}.
 */
public final class NodeExporterProbe extends HttpProbe {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)\\})?\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private double[] lastCpu;
    private double[] lastNet;
    private long lastAtNanos;

    public NodeExporterProbe(CheckKey key, ProbeSettings settings, URI uri, HttpProber http, HealthConfig config) {
        super(key, settings, uri, http, config);
    }

    @Override
    public Uni<ProbeOutcome> run() {
        return http.get(uri, settings.timeout(), Map.of("Accept", "text/plain; version=0.0.4")).map(a -> {
            ProbeOutcome base = HttpOutcomes.evaluate(a, 200, config, Map.of());
            if (base.failed()) {
                return base;
            }
            return parse(a.body(), System.nanoTime(), a.latencyMs());
        });
    }

    synchronized ProbeOutcome parse(String text, long nowNanos, long latencyMs) {
        HostUsage usage = read(text, nowNanos);
        return usage == null
                ? ProbeOutcome.down(latencyMs, "not a node_exporter page: no node_memory_MemTotal_bytes/MemAvailable_bytes")
                : usage.toOutcome(latencyMs, config.host());
    }

    /** The host's use from one page; rates against the previous page. Null when the page is not node_exporter's. */
    synchronized HostUsage read(String text, long nowNanos) {
        double cpuTotal = 0;
        double cpuIdle = 0;
        double cpuSteal = 0;
        double memTotal = -1;
        double memAvailable = -1;
        double rx = 0;
        double tx = 0;
        Double load1 = null;
        Map<String, double[]> fs = new HashMap<>(); // mountpoint -> size, free, avail
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.find()) {
                continue;
            }
            String name = m.group(1);
            Map<String, String> labels = labels(m.group(3));
            double value;
            try {
                value = Double.parseDouble(m.group(4));
            } catch (NumberFormatException e) {
                continue;
            }
            switch (name) {
                case "node_cpu_seconds_total" -> {
                    cpuTotal += value;
                    String mode = labels.getOrDefault("mode", "");
                    if (mode.equals("idle") || mode.equals("iowait")) {
                        cpuIdle += value;
                    } else if (mode.equals("steal")) {
                        cpuSteal += value;
                    }
                }
                case "node_memory_MemTotal_bytes" -> memTotal = value;
                case "node_memory_MemAvailable_bytes" -> memAvailable = value;
                case "node_network_receive_bytes_total" -> rx += "lo".equals(labels.get("device")) ? 0 : value;
                case "node_network_transmit_bytes_total" -> tx += "lo".equals(labels.get("device")) ? 0 : value;
                case "node_load1" -> load1 = value;
                case "node_filesystem_size_bytes", "node_filesystem_free_bytes", "node_filesystem_avail_bytes" -> {
                    String type = labels.getOrDefault("fstype", "");
                    if (type.equals("tmpfs") || type.equals("overlay") || type.equals("squashfs") || type.equals("ramfs")) {
                        continue;
                    }
                    double[] f = fs.computeIfAbsent(labels.getOrDefault("mountpoint", "?"), k -> new double[3]);
                    f[name.endsWith("size_bytes") ? 0 : name.endsWith("free_bytes") ? 1 : 2] = value;
                }
                default -> {
                }
            }
        }
        if (memTotal <= 0 || memAvailable < 0) {
            return null;
        }
        Double cpu = null;
        Double steal = null;
        Double rxRate = null;
        Double txRate = null;
        if (lastCpu != null && nowNanos > lastAtNanos) {
            double dTotal = cpuTotal - lastCpu[0];
            double dIdle = cpuIdle - lastCpu[1];
            cpu = dTotal <= 0 ? 0.0 : 100.0 * (dTotal - dIdle) / dTotal;
            steal = dTotal <= 0 ? 0.0 : 100.0 * (cpuSteal - lastCpu[2]) / dTotal;
            double seconds = (nowNanos - lastAtNanos) / 1e9;
            rxRate = Math.max(0, rx - lastNet[0]) / seconds;
            txRate = Math.max(0, tx - lastNet[1]) / seconds;
        }
        lastCpu = new double[] { cpuTotal, cpuIdle, cpuSteal };
        lastNet = new double[] { rx, tx };
        lastAtNanos = nowNanos;
        Map<String, Double> disks = new HashMap<>();
        fs.forEach((mount, f) -> {
            double used = f[0] - f[1];
            double denominator = used + f[2];
            if (f[0] > 0 && denominator > 0) {
                disks.put(mount, 100.0 * used / denominator);
            }
        });
        return new HostUsage(cpu, steal, 100.0 * (memTotal - memAvailable) / memTotal, disks, rxRate, txRate, load1);
    }

    private static Map<String, String> labels(String text) {
        Map<String, String> labels = new HashMap<>();
        if (text != null) {
            Matcher m = LABEL.matcher(text);
            while (m.find()) {
                labels.put(m.group(1), m.group(2));
            }
        }
        return labels;
    }
}
