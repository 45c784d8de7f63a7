package io.jitsiops.health.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.jitsiops.health.config.HealthConfig;

/**
 * CPU steal, the share of time the hypervisor gave to other guests, read apart from CPU use from both host sources:
 * /proc/stat's eighth column (proc(5): user nice system idle iowait irq softirq steal guest guest_nice) and
 * node_exporter's {@code node_cpu_seconds_total{mode="steal"}}.
 */
class CpuStealTest {

    @Test
    void procStatStealIsTheStealColumnsShareOfAllTicksSinceTheLastReading() {
        HostResourcesProbe probe = new HostResourcesProbe(null, null, Path.of("/proc"), LIMITS);
        assertThat(probe.cpuPercent("cpu  1000 0 200 7000 100 0 0 0 0 0")).containsExactly(null, null);
        // +400 user, +100 system, +300 idle, +0 iowait, +200 steal: 1000 ticks, 70 % busy of which 20 % stolen
        Double[] next = probe.cpuPercent("cpu  1400 0 300 7300 100 0 0 200 0 0");
        assertThat(next[0]).isCloseTo(70.0, within(0.001));
        assertThat(next[1]).isCloseTo(20.0, within(0.001));
    }

    @Test
    void aKernelWithoutAStealColumnReportsNoSteal() {
        HostResourcesProbe probe = new HostResourcesProbe(null, null, Path.of("/proc"), LIMITS);
        probe.cpuPercent("cpu  1000 0 200 7000");
        assertThat(probe.cpuPercent("cpu  1500 0 200 7500")).containsExactly(50.0, null);
    }

    @Test
    void nodeExporterStealIsPublishedAsCpuStealPercent() {
        NodeExporterProbe probe = new NodeExporterProbe(null, null, null, null, null);
        probe.read(page(100, 50, 0), 1_000_000_000L);
        ProbeOutcome second = probe.read(page(180, 70, 20), 2_000_000_000L).toOutcome(1, LIMITS);
        // +80 idle, +20 user, +20 steal per CPU: 120 s of which 20 stolen, 40 busy
        assertThat(second.measurements().get("cpu.steal_percent")).isCloseTo(16.7, within(0.05));
        assertThat(second.measurements().get("cpu.usage_percent")).isCloseTo(33.3, within(0.05));
    }

    @Test
    void stealIsPublishedNextToCpuUseAndDoesNotByItselfDegradeTheHost() {
        ProbeOutcome outcome = new HostUsage(40.0, 35.0, 50.0, Map.of(), null, null, null).toOutcome(3, LIMITS);
        assertThat(outcome.measurements()).containsEntry("cpu.steal_percent", 35.0).containsEntry("cpu.usage_percent", 40.0);
        assertThat(outcome.failed()).isFalse();
    }

    /** The lines node_exporter writes for one CPU in the modes this probe reads, plus memory (required). */
    private static String page(double idle, double user, double steal) {
        return "# TYPE node_cpu_seconds_total counter\n"
                + "node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"} " + idle + "\n"
                + "node_cpu_seconds_total{cpu=\"0\",mode=\"steal\"} " + steal + "\n"
                + "node_cpu_seconds_total{cpu=\"0\",mode=\"user\"} " + user + "\n"
                + "node_memory_MemTotal_bytes 8.0e+09\nnode_memory_MemAvailable_bytes 4.0e+09\n";
    }

    private static final HealthConfig.Host LIMITS = new HealthConfig.Host() {
        @Override
        public boolean enabled() {
            return true;
        }

        @Override
        public Duration interval() {
            return Duration.ofSeconds(30);
        }

        @Override
        public List<String> diskPaths() {
            return List.of();
        }

        @Override
        public double cpuDegradedPercent() {
            return 90;
        }

        @Override
        public double memoryDegradedPercent() {
            return 95;
        }

        @Override
        public double diskDegradedPercent() {
            return 90;
        }
    };
}
