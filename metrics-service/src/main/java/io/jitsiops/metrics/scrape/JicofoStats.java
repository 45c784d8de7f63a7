package io.jitsiops.metrics.scrape;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.jitsiops.metrics.exposition.Labels;
import io.jitsiops.metrics.exposition.MetricFamily;
import io.jitsiops.metrics.exposition.MetricType;
import io.jitsiops.metrics.exposition.Sample;

/**
 * jicofo's {@code /stats} JSON (jicofo {@code JicofoServices.getStats()}: conference, participant and bridge
 * selector figures, jibri/jigasi detectors, version) as families named like jicofo's own {@code /metrics}
 * ({@code ConferenceMetrics.kt}, {@code BridgeSelector.kt}) where one exists; other numeric leaves become
 * {@code jitsi_jicofo_stats_<path>}. Cumulative figures ({@code total_*}, {@code lost_bridges}) are counters.
 */
public final class JicofoStats {
    private static final String NS = "jitsi_jicofo_";
    private static final Map<String, String> RENAMED = Map.ofEntries(
            Map.entry("conferences", "conferences"),
            Map.entry("participants", "participants_current"),
            Map.entry("visitors", "visitors_current"),
            Map.entry("largest_conference", "largest_conference"),
            Map.entry("total_participants", "participants_total"),
            Map.entry("total_conferences_created", "conferences_created_total"),
            Map.entry("bridge_selector.bridge_count", "bridge_selector_bridge_count"),
            Map.entry("bridge_selector.operational_bridge_count", "bridge_selector_bridge_count_operational"),
            Map.entry("bridge_selector.in_shutdown_bridge_count", "bridge_selector_bridge_count_in_shutdown"),
            Map.entry("bridge_selector.lost_bridges", "bridge_selector_lost_bridges_total"),
            Map.entry("bridge_selector.bridge_version_count", "bridge_selector_bridge_version_count"),
            Map.entry("threads", "threads"),
            // cumulative since start (jicofo 1.0 /stats; ConferenceMetrics' counters of the same meaning)
            Map.entry("participant_notifications.ice_failed", "participants_ice_failed_total"),
            Map.entry("participant_notifications.request_restart", "participants_restart_requested_total"),
            // JibriDetectorMetrics.appendStats and JigasiDetector.stats (jicofo 7ebb13dc3): the same gauges as /metrics
            Map.entry("jibri_detector.count", "jibri_instances"),
            Map.entry("jibri_detector.available", "jibri_instances_available"),
            Map.entry("sip_jibri_detector.count", "sip_jibri_instances"),
            Map.entry("sip_jibri_detector.available", "sip_jibri_instances_available"),
            Map.entry("jigasi_detector.sip_count", "jigasi_sip_count"),
            Map.entry("jigasi_detector.sip_in_graceful_shutdown_count", "jigasi_sip_in_graceful_shutdown_count"),
            Map.entry("jigasi_detector.transcriber_count", "jigasi_transcriber_count"));

    private JicofoStats() {
    }

    public static List<MetricFamily> families(JsonNode stats) {
        List<MetricFamily> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        walk("", stats, out, seen, 0);
        if (stats.has("version") && stats.get("version").isTextual()) {
            out.add(new MetricFamily(NS + "version", MetricType.INFO, "from /stats", null, List.of(new Sample(NS + "version_info",
                    Labels.of("version", stats.get("version").asText()), 1, Sample.NO_TIMESTAMP, null))));
        }
        return out;
    }

    /**
     * {@code conference_sizes} as jicofo 1.0 renders it since 2022 (jitsi-utils {@code BucketStats}: {@code average},
     * {@code max}, {@code min}, {@code total_value}, {@code total_count}, {@code discarded} and {@code buckets} named
     * {@code 0_to_1} … {@code 500_to_max}, recorded in jicofo issue #998): one {@code conference_sizes} gauge per bucket
     * under label {@code size} (the bucket's name; the older array form labels by index), the summary figures as
     * {@code stats_conference_sizes_*}. The {@code p99_upper_bound}/{@code p999_upper_bound} entries are not counts
     * of conferences and are left out of the buckets.
     */
    private static void conferenceSizeBuckets(JsonNode sizes, List<MetricFamily> out, Set<String> seen) {
        List<Sample> samples = new ArrayList<>();
        sizes.get("buckets").fields().forEachRemaining(b -> {
            if (b.getValue().isNumber() && !b.getKey().endsWith("_upper_bound")) {
                samples.add(new Sample(NS + "conference_sizes", Labels.of("size", b.getKey()), b.getValue().asDouble(),
                        Sample.NO_TIMESTAMP, null));
            }
        });
        if (seen.add(NS + "conference_sizes")) {
            out.add(new MetricFamily(NS + "conference_sizes", MetricType.GAUGE, "from /stats conference_sizes.buckets", null, samples));
        }
        sizes.fields().forEachRemaining(f -> {
            String name = NS + "stats_conference_sizes_" + snake(f.getKey());
            if (f.getValue().isNumber() && seen.add(name)) {
                out.add(new MetricFamily(name, MetricType.GAUGE, "from /stats key conference_sizes." + f.getKey(), null,
                        List.of(new Sample(name, Labels.EMPTY, f.getValue().asDouble(), Sample.NO_TIMESTAMP, null))));
            }
        });
    }

    /** {@code health.hardFailure} → {@code health_hard_failure}: Prometheus names are snake_case. */
    static String snake(String key) {
        return key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    }

    private static void walk(String path, JsonNode node, List<MetricFamily> out, Set<String> seen, int depth) {
        if (depth > 4) {
            return;
        }
        node.fields().forEachRemaining(e -> {
            String key = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            JsonNode v = e.getValue();
            if (v.isObject() && key.equals("conference_sizes") && v.path("buckets").isObject()) {
                conferenceSizeBuckets(v, out, seen);
                return;
            }
            if (v.isObject()) {
                walk(key, v, out, seen, depth + 1);
                return;
            }
            if (v.isArray() && e.getKey().equals("conference_sizes")) {
                List<Sample> samples = new ArrayList<>();
                for (int i = 0; i < v.size(); i++) {
                    samples.add(new Sample(NS + "conference_sizes", Labels.of("size", String.valueOf(i)), v.get(i).asDouble(),
                            Sample.NO_TIMESTAMP, null));
                }
                if (seen.add(NS + "conference_sizes")) {
                    out.add(new MetricFamily(NS + "conference_sizes", MetricType.GAUGE, "from /stats conference_sizes", null, samples));
                }
                return;
            }
            if (!v.isNumber() && !v.isBoolean()) {
                return;
            }
            double value = v.isBoolean() ? (v.asBoolean() ? 1 : 0) : v.asDouble();
            String renamed = RENAMED.get(key);
            String name = NS + (renamed != null ? renamed : "stats_" + snake(key));
            boolean counter = name.endsWith("_total") || e.getKey().startsWith("total_");
            if (counter && !name.endsWith("_total")) {
                name = name + "_total";
            }
            if (seen.add(name)) {
                out.add(new MetricFamily(name, counter ? MetricType.COUNTER : MetricType.GAUGE, "from /stats key " + key, null,
                        List.of(new Sample(name, Labels.EMPTY, value, Sample.NO_TIMESTAMP, null))));
            }
        });
    }
}
