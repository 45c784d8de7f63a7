package io.jitsiops.metrics.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jitsiops.metrics.exposition.ExpositionParser;
import io.jitsiops.metrics.exposition.JicocoRenderedExpositionTest;
import io.jitsiops.metrics.exposition.MetricFamily;
import io.jitsiops.metrics.exposition.MetricType;
import io.jitsiops.metrics.exposition.Sample;

/**
 * A JVB's {@code /metrics} in its JSON form: the shape of the recorded answer of a 2.3.x bridge to a request without
 * {@code Accept} (jitsi-videobridge #2234: bare names) and jicoco's own JSON rendering ({@code MetricsContainer
 * .getJsonString}), read under the names and types the text forms give.
 */
class JvbMetricsJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void readsTheRecordedBareNamesUnderTheBridgesNamespace() throws Exception {
        // As posted: the curl line without -H Accept, then the JSON map, cut by the poster with "..."
        String posted = Recorded.text("jvb/metrics-json-no-accept-2.3-2024-10-jitsi-videobridge-2234.txt.fragment");
        assertThat(posted).startsWith("# curl localhost:8080/metrics\n");
        String body = posted.substring(posted.indexOf('\n') + 1);
        JsonNode complete = JSON.readTree(body.substring(0, body.lastIndexOf(',')) + "}"); // its complete pairs
        List<MetricFamily> families = JvbMetricsJson.families(complete, "jitsi_jvb");
        assertThat(families).singleElement().satisfies(f -> {
            assertThat(f.name()).isEqualTo("jitsi_jvb_endpoints_with_suspended_sources");
            assertThat(f.type()).isEqualTo(MetricType.GAUGE);
            assertThat(f.samples().get(0).value()).isZero();
        });
    }

    @Test
    void jicocosJsonRenderingReadsAsTheSameFamiliesAsItsOpenMetricsRendering() throws Exception {
        var container = JicocoRenderedExpositionTest.jvbLike();
        Map<String, MetricFamily> fromJson = JvbMetricsJson.families(JSON.readTree(container.getJsonString()), "jitsi_jvb")
                .stream().collect(Collectors.toMap(MetricFamily::name, Function.identity()));
        Map<String, MetricFamily> fromText = ExpositionParser.parse(container.getPrometheusMetrics("text/plain; version=0.0.4; charset=utf-8"),
                ExpositionParser.Format.PROMETHEUS_0_0_4).stream().collect(Collectors.toMap(MetricFamily::name, Function.identity()));
        assertThat(fromJson.get("jitsi_jvb_stress").samples().get(0).value()).isEqualTo(0.31);
        assertThat(fromJson.get("jitsi_jvb_average_rtt").samples().get(0).value()).isNaN(); // "NaN", a string in JSON
        assertThat(fromJson.get("jitsi_jvb_healthy").samples().get(0).value()).isEqualTo(1.0);
        // Every sample the text form has (start times aside) the JSON form has, with the same value
        assertThat(samples(fromJson.values())).isEqualTo(samples(fromText.values()));
        fromText.values().stream().filter(f -> f.type() == MetricType.COUNTER || f.type() == MetricType.HISTOGRAM)
                .forEach(f -> assertThat(fromJson.get(f.name()).type()).as(f.name()).isEqualTo(f.type()));
    }

    private static Map<String, Double> samples(java.util.Collection<MetricFamily> families) {
        Map<String, Double> all = new java.util.TreeMap<>();
        families.forEach(f -> all.putAll(values(f)));
        return all;
    }

    /** Sample name + labels → value, the start times (_created) aside. */
    private static Map<String, Double> values(MetricFamily f) {
        return f.samples().stream().filter(s -> !s.name().endsWith("_created"))
                .collect(Collectors.toMap(s -> s.name() + normalise(s), s -> Double.isNaN(s.value()) ? -0.0 : s.value()));
    }

    /** Bucket bounds: "0.0" in JSON and text alike; "+Inf" both. */
    private static String normalise(Sample s) {
        return s.labels().toString();
    }
}
