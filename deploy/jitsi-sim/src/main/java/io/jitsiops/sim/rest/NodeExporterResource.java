package io.jitsiops.sim.rest;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;

import io.jitsiops.sim.service.FaultRegistry;
import io.smallrye.mutiny.Uni;

/**
 * A host's node_exporter ({@code :9100/metrics}) under {@code /node/{host}/metrics}, with the series
 * node_exporter names: {@code node_cpu_seconds_total{cpu,mode}}, {@code node_memory_MemTotal_bytes},
 * {@code node_memory_MemAvailable_bytes}, {@code node_filesystem_{size,free,avail}_bytes{device,fstype,mountpoint}},
 * {@code node_network_{receive,transmit}_bytes_total{device}}, {@code node_load1}. Counters advance with time
 * at about 35 % CPU busy. Fault target: the host name.
 */
@Path("/node/{host}/metrics")
public class NodeExporterResource {
    private final FaultRegistry faults;
    private final Map<String, Long> startedAt = new ConcurrentHashMap<>();

    public NodeExporterResource(FaultRegistry faults) {
        this.faults = faults;
    }

    @GET
    @Produces("text/plain; version=0.0.4; charset=utf-8")
    public Uni<Response> metrics(@PathParam("host") String host) {
        return faults.answer(host, () -> Response.ok(page(host)).build(), ProsodyResource::unavailable);
    }

    private String page(String host) {
        double up = (System.currentTimeMillis() - startedAt.computeIfAbsent(host, h -> System.currentTimeMillis() - 600_000)) / 1000.0;
        StringBuilder sb = new StringBuilder();
        sb.append("# HELP node_cpu_seconds_total Seconds the CPUs spent in each mode.\n# TYPE node_cpu_seconds_total counter\n");
        for (int cpu = 0; cpu < 2; cpu++) {
            // every mode node_exporter's cpu collector writes on Linux, in its order; 2 % steal as on a shared VM
            sb.append(cpuLine(cpu, "idle", up * 0.63)).append(cpuLine(cpu, "iowait", up * 0.01))
                    .append(cpuLine(cpu, "irq", 0)).append(cpuLine(cpu, "nice", 0))
                    .append(cpuLine(cpu, "softirq", up * 0.005)).append(cpuLine(cpu, "steal", up * 0.02))
                    .append(cpuLine(cpu, "system", up * 0.085)).append(cpuLine(cpu, "user", up * 0.25));
        }
        sb.append("# TYPE node_memory_MemTotal_bytes gauge\nnode_memory_MemTotal_bytes 8.253640704e+09\n");
        sb.append("# TYPE node_memory_MemAvailable_bytes gauge\nnode_memory_MemAvailable_bytes 5.1e+09\n");
        for (String[] fs : new String[][] { { "/dev/sda1", "ext4", "/", "5.0e+10", "2.0e+10", "1.75e+10" },
                { "tmpfs", "tmpfs", "/run", "8.0e+08", "7.9e+08", "7.9e+08" } }) {
            String labels = "{device=\"" + fs[0] + "\",fstype=\"" + fs[1] + "\",mountpoint=\"" + fs[2] + "\"}";
            sb.append("node_filesystem_size_bytes").append(labels).append(' ').append(fs[3]).append('\n')
                    .append("node_filesystem_free_bytes").append(labels).append(' ').append(fs[4]).append('\n')
                    .append("node_filesystem_avail_bytes").append(labels).append(' ').append(fs[5]).append('\n');
        }
        sb.append("node_network_receive_bytes_total{device=\"eth0\"} ").append((long) (up * 1_250_000)).append('\n')
                .append("node_network_transmit_bytes_total{device=\"eth0\"} ").append((long) (up * 2_500_000)).append('\n')
                .append("node_network_receive_bytes_total{device=\"lo\"} ").append((long) (up * 9_000_000)).append('\n')
                .append("# TYPE node_load1 gauge\nnode_load1 0.71\n");
        return sb.toString();
    }

    private static String cpuLine(int cpu, String mode, double seconds) {
        return "node_cpu_seconds_total{cpu=\"" + cpu + "\",mode=\"" + mode + "\"} " + String.format(java.util.Locale.ROOT, "%.6f", seconds) + "\n";
    }
}
