package io.jitsiops.health.probe;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.jitsiops.health.config.HealthConfig;

/**
 * A host's resource use, from /proc or from node_exporter. Published as measurements named like the seed's
 * alert thresholds ({@code cpu.usage_percent}, {@code memory.usage_percent}, {@code disk.usage_percent}) and
 * {@code cpu.steal_percent};
 * DEGRADED at the seed's critical levels, so that the overall status shows a host in trouble.
 *
 * @param cpuPercent      null on a first reading, which has nothing to compare with
 * @param cpuStealPercent share of CPU time the hypervisor gave to other guests (the "steal" column), null on a first
 *                        reading; a noisy neighbour shows here while this host's own busy share looks moderate, which
 *                        is why Jitsi's production alerts watch it apart from CPU use
 * @param diskPercent     by mount point
 */
public record HostUsage(Double cpuPercent, Double cpuStealPercent, double memoryPercent, Map<String, Double> diskPercent,
                        Double receiveBytesPerSecond, Double transmitBytesPerSecond, Double load1) {

    public ProbeOutcome toOutcome(long latencyMs, HealthConfig.Host limits) {
        Map<String, Double> m = new HashMap<>();
        if (cpuPercent != null) {
            m.put("cpu.usage_percent", round(cpuPercent));
        }
        if (cpuStealPercent != null) {
            m.put("cpu.steal_percent", round(cpuStealPercent));
        }
        m.put("memory.usage_percent", round(memoryPercent));
        double worstDisk = 0;
        for (Map.Entry<String, Double> d : diskPercent.entrySet()) {
            m.put("disk.usage_percent:" + d.getKey(), round(d.getValue()));
            worstDisk = Math.max(worstDisk, d.getValue());
        }
        if (!diskPercent.isEmpty()) {
            m.put("disk.usage_percent", round(worstDisk));
        }
        if (receiveBytesPerSecond != null) {
            m.put("network.receive_bytes_per_second", round(receiveBytesPerSecond));
            m.put("network.transmit_bytes_per_second", round(transmitBytesPerSecond));
        }
        if (load1 != null) {
            m.put("load.1m", load1);
        }
        List<String> why = new ArrayList<>();
        if (cpuPercent != null && cpuPercent >= limits.cpuDegradedPercent()) {
            why.add("CPU " + Math.round(cpuPercent) + "%");
        }
        if (memoryPercent >= limits.memoryDegradedPercent()) {
            why.add("memory " + Math.round(memoryPercent) + "%");
        }
        diskPercent.forEach((mount, pct) -> {
            if (pct >= limits.diskDegradedPercent()) {
                why.add("disk " + mount + " " + Math.round(pct) + "%");
            }
        });
        return why.isEmpty() ? ProbeOutcome.up(latencyMs, m)
                : ProbeOutcome.degraded(latencyMs, "high usage: " + String.join(", ", why), m);
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
