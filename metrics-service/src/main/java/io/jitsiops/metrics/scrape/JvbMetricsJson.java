package io.jitsiops.metrics.scrape;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.jitsiops.metrics.exposition.Labels;
import io.jitsiops.metrics.exposition.MetricFamily;
import io.jitsiops.metrics.exposition.MetricType;
import io.jitsiops.metrics.exposition.Sample;

/**
 * The JSON form of a JVB's or jicofo's {@code /metrics} (jicoco {@code MetricsContainer.getJsonString}): one object
 * keyed by the bare metric names, without the {@code jitsi_jvb_}/{@code jitsi_jicofo_} namespace the text forms
 * carry. Bridges of the 2.3.16x era answered it to a request <em>without</em> an {@code Accept} header, depending
 * on the order JAX-RS processed the annotations (recorded: jitsi-videobridge issue #2234, first key
 * {@code endpoints_with_suspended_sources}); jicoco #206 (175c44b, 2024-10) made OpenMetrics the default. The
 * scraper always sends an explicit {@code Accept}, and reads this form if it comes back anyway, under the names the
 * text forms give:
 * <ul>
 * <li>numbers (and {@code "NaN"}, which jicoco prints as a string) → gauges {@code <ns>_<name>}; names ending in
 * {@code _total} are counters (jicoco keeps the suffix in JSON);</li>
 * <li>booleans → 1/0 gauges ({@code healthy}, {@code drain_mode});</li>
 * <li>other strings → info series {@code <ns>_<name>_info{<name>="…"} 1} ({@code version});</li>
 * <li>objects {@code {bucket_le_<b>, count, sum, created}} → histograms ({@code conferences_by_size},
 * {@code rtp_transit_time}); {@code created} is a start time and is left out.</li>
 * </ul>
 */
public final class JvbMetricsJson {
    private static final String BUCKET = "bucket_le_";

    private JvbMetricsJson() {
    }

    /** {@code namespace}: {@code jitsi_jvb} or {@code jitsi_jicofo}. */
    public static List<MetricFamily> families(JsonNode metrics, String namespace) {
        List<MetricFamily> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = metrics.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = namespace + "_" + e.getKey();
            JsonNode v = e.getValue();
            if (v.isObject()) {
                MetricFamily h = histogram(name, v);
                if (h != null) {
                    out.add(h);
                }
            } else if (v.isBoolean()) {
                out.add(single(name, MetricType.GAUGE, v.asBoolean() ? 1 : 0));
            } else if (v.isNumber()) {
                out.add(single(name, name.endsWith("_total") ? MetricType.COUNTER : MetricType.GAUGE, v.asDouble()));
            } else if (v.isTextual()) {
                Double number = special(v.asText());
                if (number != null) {
                    out.add(single(name, name.endsWith("_total") ? MetricType.COUNTER : MetricType.GAUGE, number));
                } else {
                    out.add(new MetricFamily(name, MetricType.INFO, "from the JSON /metrics", null, List.of(new Sample(
                            name + "_info", Labels.of(e.getKey(), v.asText()), 1, Sample.NO_TIMESTAMP, null))));
                }
            }
        }
        return out;
    }

    private static MetricFamily histogram(String name, JsonNode h) {
        List<Sample> samples = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = h.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getKey().startsWith(BUCKET)) {
                samples.add(new Sample(name + "_bucket", Labels.of("le", f.getKey().substring(BUCKET.length())),
                        f.getValue().asDouble(), Sample.NO_TIMESTAMP, null));
            }
        }
        if (samples.isEmpty()) {
            return null; // not a histogram: nothing jicoco renders this way
        }
        samples.add(new Sample(name + "_count", Labels.EMPTY, h.path("count").asDouble(), Sample.NO_TIMESTAMP, null));
        samples.add(new Sample(name + "_sum", Labels.EMPTY, h.path("sum").asDouble(), Sample.NO_TIMESTAMP, null));
        return new MetricFamily(name, MetricType.HISTOGRAM, "from the JSON /metrics", null, samples);
    }

    private static MetricFamily single(String name, MetricType type, double value) {
        return new MetricFamily(name, type, "from the JSON /metrics", null,
                List.of(new Sample(name, Labels.EMPTY, value, Sample.NO_TIMESTAMP, null)));
    }

    private static Double special(String text) {
        return switch (text) {
            case "NaN" -> Double.NaN;
            case "Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> null;
        };
    }
}
