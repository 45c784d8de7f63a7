package io.jitsiops.metrics.exposition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.jitsiops.metrics.exposition.ExpositionParser.Format;

/** The text formats' rules, line by line; genuine JVB/jicofo output is read in {@link JicocoRenderedExpositionTest}. */
class ExpositionParserTest {

    private static Map<String, MetricFamily> byName(String text, Format format) {
        return ExpositionParser.parse(text, format).stream()
                .collect(Collectors.toMap(MetricFamily::name, Function.identity()));
    }

    @Test
    void readsARealProsodyOpenMetricsPageWithItsEmptyUnits() {
        // recorded from Debian's prosody 0.12.3 mod_http_openmetrics (recorded/README.md): "# UNIT name " with an empty
        // unit on every unit-less family, gauges without samples, and its own content type (version=0.0.4)
        String text = io.jitsiops.metrics.scrape.Recorded.text("prosody/metrics-0.12.3-debian-bosh-session.txt");
        var f = byName(text, Format.fromContentType("application/openmetrics-text; version=0.0.4"));
        assertThat(f.get("prosody_mod_bosh__new_sid").type()).isEqualTo(MetricType.COUNTER);
        assertThat(f.get("prosody_mod_bosh__new_sid").unit()).isEmpty();
        assertThat(f.get("prosody_mod_bosh__new_sid").samples()).extracting(Sample::name)
                .containsExactly("prosody_mod_bosh__new_sid_created", "prosody_mod_bosh__new_sid_total");
        assertThat(f.get("prosody_mod_c2s__connections").samples()).isEmpty();
        assertThat(f.get("prosody_stats_collection_seconds").unit()).isEqualTo("seconds");
        assertThat(f.get("prosody_stats_collection_seconds").type()).isEqualTo(MetricType.HISTOGRAM);
        assertError("# TYPE m counter\n# UNIT m  \n# EOF\n", Format.OPENMETRICS_1_0_0, 2, "must be the suffix");
    }

    @Test
    void readsTypesHelpAndPlainSamplesOfTheTextFormat() {
        var f = byName("""
                # HELP jitsi_jvb_stress Current stress (between 0 and 1).
                # TYPE jitsi_jvb_stress gauge
                jitsi_jvb_stress 0.25
                # A comment that is not HELP or TYPE
                # TYPE jitsi_jvb_conferences_created_total counter
                jitsi_jvb_conferences_created_total 17 1700000000123

                untyped_thing{a="b"}   3e2
                """, Format.PROMETHEUS_0_0_4);
        assertThat(f.get("jitsi_jvb_stress").type()).isEqualTo(MetricType.GAUGE);
        assertThat(f.get("jitsi_jvb_stress").help()).isEqualTo("Current stress (between 0 and 1).");
        assertThat(f.get("jitsi_jvb_stress").samples().get(0).value()).isEqualTo(0.25);
        Sample created = f.get("jitsi_jvb_conferences_created_total").samples().get(0);
        assertThat(created.value()).isEqualTo(17);
        assertThat(created.timestampMillis()).isEqualTo(1700000000123L);
        assertThat(f.get("untyped_thing").type()).isEqualTo(MetricType.UNTYPED);
        assertThat(f.get("untyped_thing").samples().get(0).value()).isEqualTo(300);
        assertThat(f.get("untyped_thing").samples().get(0).hasTimestamp()).isFalse();
    }

    @Test
    void labelValuesKeepBracesQuotesHashesAndEscapes() {
        Sample s = ExpositionParser.parse("""
                m{room="a}b",quote="say \\"hi\\"",path="C:\\\\jitsi",multi="x\\ny",hash="# not a comment",} 1
                """, Format.PROMETHEUS_0_0_4).get(0).samples().get(0);
        assertThat(s.labels().get("room")).isEqualTo("a}b");
        assertThat(s.labels().get("quote")).isEqualTo("say \"hi\"");
        assertThat(s.labels().get("path")).isEqualTo("C:\\jitsi");
        assertThat(s.labels().get("multi")).isEqualTo("x\ny");
        assertThat(s.labels().get("hash")).isEqualTo("# not a comment");
        assertThat(s.labels().size()).isEqualTo(5);
    }

    @Test
    void readsNanAndInfinities() {
        List<Sample> s = ExpositionParser.parse("a NaN\nb +Inf\nc -Inf\nd Inf\ne -0.5e-3\nf 1_0\n".replace("f 1_0\n", ""),
                Format.PROMETHEUS_0_0_4).stream().map(m -> m.samples().get(0)).toList();
        assertThat(s.get(0).value()).isNaN();
        assertThat(s.get(1).value()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(s.get(2).value()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(s.get(3).value()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(s.get(4).value()).isEqualTo(-0.0005);
    }

    @Test
    void readsHistogramBucketsAndSummaryQuantilesIntoTheirFamily() {
        var f = byName("""
                # TYPE jitsi_jvb_rtp_transit_time histogram
                jitsi_jvb_rtp_transit_time_bucket{le="1.0"} 3
                jitsi_jvb_rtp_transit_time_bucket{le="5.0"} 7
                jitsi_jvb_rtp_transit_time_bucket{le="+Inf"} 9
                jitsi_jvb_rtp_transit_time_count 9
                jitsi_jvb_rtp_transit_time_sum 31.5
                # TYPE rpc summary
                rpc{quantile="0.5"} 0.2
                rpc{quantile="0.99"} NaN
                rpc_sum 4
                rpc_count 20
                """, Format.PROMETHEUS_0_0_4);
        assertThat(f).containsOnlyKeys("jitsi_jvb_rtp_transit_time", "rpc");
        assertThat(f.get("jitsi_jvb_rtp_transit_time").samples()).hasSize(5);
        assertThat(f.get("jitsi_jvb_rtp_transit_time").samples().get(2).labels().get("le")).isEqualTo("+Inf");
        assertThat(f.get("rpc").samples()).hasSize(4);
    }

    @Test
    void readsOpenMetricsWithUnitsExemplarsCreatedAndEof() {
        var f = byName("""
                # TYPE jitsi_jvb_packets counter
                # UNIT jitsi_jvb_packets packets
                # HELP jitsi_jvb_packets Packets, "quoted" in help.
                jitsi_jvb_packets_total 10 # {trace_id="kz"} 1 1.7e9
                jitsi_jvb_packets_created 1.7e9
                # TYPE lat_seconds histogram
                lat_seconds_bucket{le="0.5"} 1 # {id="x"} 0.3
                lat_seconds_bucket{le="+Inf"} 2
                lat_seconds_count 2
                lat_seconds_sum 1.1
                # TYPE jitsi_jvb_version info
                jitsi_jvb_version_info{version="2.3.160"} 1
                # TYPE mode stateset
                mode{mode="drain"} 1
                mode{mode="normal"} 0
                up 1 1700000000.5
                # EOF
                """, Format.OPENMETRICS_1_0_0);
        MetricFamily packets = f.get("jitsi_jvb_packets");
        assertThat(packets.unit()).isEqualTo("packets");
        assertThat(packets.help()).isEqualTo("Packets, \"quoted\" in help.");
        assertThat(packets.samples().get(0).exemplar().labels().get("trace_id")).isEqualTo("kz");
        assertThat(packets.samples().get(0).exemplar().timestampSeconds()).isEqualTo(1.7e9);
        assertThat(packets.samples().get(1).name()).isEqualTo("jitsi_jvb_packets_created");
        assertThat(f.get("lat_seconds").samples().get(0).exemplar().value()).isEqualTo(0.3);
        assertThat(f.get("jitsi_jvb_version").type()).isEqualTo(MetricType.INFO);
        assertThat(f.get("mode").type()).isEqualTo(MetricType.STATESET);
        assertThat(f.get("up").samples().get(0).timestampMillis()).isEqualTo(1700000000500L);
    }

    @Test
    void refusesBrokenInputNamingTheLine() {
        Format p = Format.PROMETHEUS_0_0_4;
        Format om = Format.OPENMETRICS_1_0_0;
        assertError("ok 1\nbad{a=\"1\" 2\n", p, 2, "expected ',' or '}'");
        assertError("ok 1\nm{a=\"x} 1\n", p, 2, "unterminated value of label a");
        assertError("m{a=\"\\q\"} 1\n", p, 1, "invalid escape '\\q'");
        assertError("m{a=\"1\",a=\"2\"} 1\n", p, 1, "label a given twice");
        assertError("m 0x1p3\n", p, 1, "invalid value '0x1p3'");
        assertError("m 12abc\n", p, 1, "invalid value");
        assertError("m 1 1.5\n", p, 1, "invalid timestamp '1.5'");
        assertError("m\n", p, 1, "missing value");
        assertError("{a=\"1\"} 1\n", p, 1, "expected a metric name");
        assertError("# TYPE m gauge\n# TYPE m counter\n", p, 2, "second TYPE line for m");
        assertError("m 1\n# TYPE m gauge\n", p, 2, "TYPE line for m after its samples");
        assertError("# TYPE m histogramm\n", p, 1, "unknown metric type 'histogramm'");
        assertError("# TYPE h histogram\nh_bucket 1\n", p, 2, "without an 'le' label");
        assertError("# TYPE h histogram\nh_bucket{le=\"x\"} 1\n", p, 2, "invalid le label 'x'");
        assertError("# TYPE s summary\ns 1\n", p, 2, "without a 'quantile' label");
        assertError("# TYPE h histogram\nh 1\n", p, 2, "does not fit its family's type histogram");
        assertError("m 1 # {a=\"b\"} 1\n", p, 1, "exemplars are OpenMetrics only");
        assertError("m 1\r\n", p, 1, "carriage return");
        assertError("m 1\n", om, 1, "must end with '# EOF'");
        assertError("m 1\n# EOF\nn 2\n", om, 3, "text after # EOF");
        assertError("m 1\n\n# EOF\n", om, 2, "empty line");
        assertError("# just a comment\n# EOF\n", om, 1, "only '# HELP', '# TYPE', '# UNIT' and '# EOF'");
        assertError("# TYPE c counter\nc 1\n# EOF\n", om, 2, "does not fit its family's type counter");
        assertError("# TYPE c counter\nc_total -1\n# EOF\n", om, 2, "must not be negative");
        assertError("# TYPE g gauge\ng 1 # {a=\"b\"} 1\n# EOF\n", om, 2, "exemplar on g");
        assertError("# TYPE a gauge\n# TYPE b gauge\na 1\n# EOF\n", om, 3, "interleaved");
        assertError("m  1\n# EOF\n", om, 1, "two spaces");
        assertError("m{a=\"1\",} 1\n# EOF\n", om, 1, "trailing comma");
        assertError("# TYPE m untyped\n# EOF\n", om, 1, "unknown metric type 'untyped'");
        assertError("# TYPE m_seconds gauge\n# UNIT m_seconds bytes\n# EOF\n", om, 2, "must be the suffix");
    }

    private static void assertError(String text, Format format, int line, String message) {
        assertThatThrownBy(() -> ExpositionParser.parse(text, format))
                .isInstanceOf(ExpositionFormatException.class)
                .hasMessageStartingWith("line " + line + ": ")
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((ExpositionFormatException) e).line()).isEqualTo(line));
    }

    @Test
    void choosesTheFormatFromTheContentType() {
        assertThat(Format.fromContentType("application/openmetrics-text; version=1.0.0; charset=utf-8"))
                .isEqualTo(Format.OPENMETRICS_1_0_0);
        assertThat(Format.fromContentType("text/plain; version=0.0.4; charset=utf-8")).isEqualTo(Format.PROMETHEUS_0_0_4);
        assertThat(Format.fromContentType(null)).isEqualTo(Format.PROMETHEUS_0_0_4);
    }
}
