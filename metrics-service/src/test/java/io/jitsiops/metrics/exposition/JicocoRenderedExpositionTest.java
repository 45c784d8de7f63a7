package io.jitsiops.metrics.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.jitsi.metrics.HistogramMetric;
import org.jitsi.metrics.MetricsContainer;
import org.junit.jupiter.api.Test;

import io.jitsiops.metrics.exposition.ExpositionParser.Format;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;

/**
 * The parser on genuine JVB/jicofo output: jicoco's {@code MetricsContainer} (org.jitsi:jicoco-metrics, the class the
 * bridge's {@code VideobridgeMetricsContainer} and jicofo's {@code JicofoMetricsContainer} extend) renders the metrics
 * the bridge registers (names and types from jitsi-videobridge {@code VideobridgePeriodicMetrics.kt},
 * {@code VideobridgeMetrics.kt}, {@code PacketTransitStats.kt}) in both formats it negotiates.
 */
public class JicocoRenderedExpositionTest {

    public static MetricsContainer jvbLike() {
        MetricsContainer c = new MetricsContainer(new CollectorRegistry(), "jitsi_jvb");
        c.registerDoubleGauge("stress", "Current stress (between 0 and 1).").set(0.31);
        c.registerLongGauge("current_endpoints", "Number of current endpoints (local and relayed).").set(12);
        c.registerLongGauge("incoming_bitrate", "Incoming RTP/RTCP bitrate in bps.").set(4_500_000);
        c.registerDoubleGauge("incoming_loss_fraction", "Fraction of incoming RTP packets that are lost.").set(0.012);
        c.registerDoubleGauge("average_rtt", "Average RTT across all local endpoints in ms.").set(Double.NaN);
        c.registerBooleanMetric("drain_mode", "Whether the bridge is in drain shutdown mode.").set(false);
        c.registerBooleanMetric("healthy", "Whether the bridge is healthy.").set(true);
        c.registerCounter("conferences_created", "Number of conferences created.").add(42, List.of());
        c.registerInfo("version", "The version of jitsi-videobridge.", "2.3.160-gabcdef \"q\" {x}", List.of());
        HistogramMetric sizes = c.registerHistogram("conferences_by_size", "Histogram of conferences by total number of endpoints.",
                0, 1, 2, 3, 5, 10, 20, 50, 100, 200, 500);
        sizes.getHistogram().observe(3);
        sizes.getHistogram().observe(12);
        HistogramMetric transit = c.registerHistogram("rtp_transit_time", "Packet transit time in ms", 0, 5, 50, 500);
        transit.getHistogram().observe(0.7);
        return c;
    }

    private static Map<String, MetricFamily> parse(String contentType) {
        String text = jvbLike().getPrometheusMetrics(contentType);
        return ExpositionParser.parse(text, Format.fromContentType(TextFormat.chooseContentType(contentType))).stream()
                .collect(Collectors.toMap(MetricFamily::name, Function.identity()));
    }

    @Test
    void readsTheBridgesPrometheusTextFormat() {
        Map<String, MetricFamily> f = parse("text/plain; version=0.0.4; charset=utf-8");
        assertThat(f.get("jitsi_jvb_stress").type()).isEqualTo(MetricType.GAUGE);
        assertThat(f.get("jitsi_jvb_stress").samples().get(0).value()).isEqualTo(0.31);
        assertThat(f.get("jitsi_jvb_current_endpoints").samples().get(0).value()).isEqualTo(12);
        assertThat(f.get("jitsi_jvb_average_rtt").samples().get(0).value()).isNaN();
        assertThat(f.get("jitsi_jvb_healthy").samples().get(0).value()).isEqualTo(1);
        MetricFamily created = f.get("jitsi_jvb_conferences_created_total");
        assertThat(created.type()).isEqualTo(MetricType.COUNTER);
        assertThat(created.samples().get(0).value()).isEqualTo(42);
        MetricFamily hist = f.get("jitsi_jvb_conferences_by_size");
        assertThat(hist.type()).isEqualTo(MetricType.HISTOGRAM);
        assertThat(hist.samples().stream().filter(s -> s.name().endsWith("_bucket")).count()).isEqualTo(12); // 11 + +Inf
        assertThat(hist.samples().stream().filter(s -> s.name().endsWith("_count")).findFirst().orElseThrow().value()).isEqualTo(2);
        MetricFamily version = f.values().stream().filter(m -> m.name().startsWith("jitsi_jvb_version")).findFirst().orElseThrow();
        assertThat(version.samples().get(0).labels().get("version")).isEqualTo("2.3.160-gabcdef \"q\" {x}", List.of());
    }

    @Test
    void readsTheBridgesOpenMetricsText() {
        Map<String, MetricFamily> f = parse("application/openmetrics-text; version=1.0.0; charset=utf-8");
        MetricFamily created = f.get("jitsi_jvb_conferences_created");
        assertThat(created.type()).isEqualTo(MetricType.COUNTER);
        assertThat(created.samples()).extracting(Sample::name).contains("jitsi_jvb_conferences_created_total");
        assertThat(f.get("jitsi_jvb_version").type()).isEqualTo(MetricType.INFO);
        assertThat(f.get("jitsi_jvb_version").samples().get(0).labels().get("version")).isEqualTo("2.3.160-gabcdef \"q\" {x}", List.of());
        assertThat(f.get("jitsi_jvb_rtp_transit_time").samples()).extracting(Sample::name)
                .contains("jitsi_jvb_rtp_transit_time_bucket", "jitsi_jvb_rtp_transit_time_count", "jitsi_jvb_rtp_transit_time_created");
    }
}
