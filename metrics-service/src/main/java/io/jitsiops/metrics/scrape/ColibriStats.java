package io.jitsiops.metrics.scrape;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.jitsiops.metrics.exposition.Labels;
import io.jitsiops.metrics.exposition.MetricFamily;
import io.jitsiops.metrics.exposition.MetricType;
import io.jitsiops.metrics.exposition.Sample;

/**
 * A JVB's {@code /colibri/stats} JSON as exposition families with the names and units of the bridge's own
 * {@code /metrics}, so that a bridge read either way gives the same series. Both key sets are read:
 * <ul>
 * <li>current (jitsi-videobridge {@code VideobridgeStatisticsShim.kt}, 2024–): {@code incoming_loss},
 * {@code outgoing_loss}, {@code overall_loss}, {@code endpoints}, {@code local_endpoints}, {@code stress_level}
 * / {@code average_participant_stress}, {@code total_ice_*}, {@code muc_clients_*}, {@code shutting_down} …</li>
 * <li>older (doc/statistics.md before the 2020 and 2024 removals): {@code loss_rate_download},
 * {@code loss_rate_upload}, {@code jitter_aggregate}, {@code conference_sizes}, {@code total_failed_conferences},
 * {@code participants}.</li>
 * </ul>
 * Units: {@code bit_rate_download/upload} are kbit/s (the shim divides the bps gauge by 1000): multiplied back to
 * bps; {@code octo_*_bitrate} are already bps. Booleans become 1/0; strings ({@code version}, {@code region},
 * {@code relay_id}, {@code release}) become labels of an info series.
 */
public final class ColibriStats {
    private static final String NS = "jitsi_jvb_";

    /** colibri key → (metric name in /metrics, factor). Keys not listed keep their name under jitsi_jvb_. */
    private static final Map<String, Object[]> RENAMED = Map.ofEntries(
            Map.entry("stress_level", new Object[] { "stress", 1.0 }),
            Map.entry("participants", new Object[] { "current_endpoints", 1.0 }),
            Map.entry("endpoints", new Object[] { "current_endpoints", 1.0 }),
            Map.entry("bit_rate_download", new Object[] { "incoming_bitrate", 1000.0 }),
            Map.entry("bit_rate_upload", new Object[] { "outgoing_bitrate", 1000.0 }),
            Map.entry("packet_rate_download", new Object[] { "incoming_packet_rate", 1.0 }),
            Map.entry("packet_rate_upload", new Object[] { "outgoing_packet_rate", 1.0 }),
            Map.entry("incoming_loss", new Object[] { "incoming_loss_fraction", 1.0 }),
            Map.entry("outgoing_loss", new Object[] { "outgoing_loss_fraction", 1.0 }),
            Map.entry("overall_loss", new Object[] { "loss_fraction", 1.0 }),
            Map.entry("loss_rate_download", new Object[] { "incoming_loss_fraction", 1.0 }),
            Map.entry("loss_rate_upload", new Object[] { "outgoing_loss_fraction", 1.0 }),
            Map.entry("rtt_aggregate", new Object[] { "average_rtt", 1.0 }),
            Map.entry("threads", new Object[] { "thread_count", 1.0 }),
            Map.entry("drain", new Object[] { "drain_mode", 1.0 }),
            Map.entry("octo_receive_bitrate", new Object[] { "relay_incoming_bitrate", 1.0 }),
            Map.entry("octo_send_bitrate", new Object[] { "relay_outgoing_bitrate", 1.0 }),
            Map.entry("octo_receive_packet_rate", new Object[] { "relay_incoming_packet_rate", 1.0 }),
            Map.entry("octo_send_packet_rate", new Object[] { "relay_outgoing_packet_rate", 1.0 }),
            Map.entry("octo_conferences", new Object[] { "conferences_with_relay", 1.0 }),
            Map.entry("octo_endpoints", new Object[] { "endpoints_relayed", 1.0 }),
            Map.entry("inactive_conferences", new Object[] { "conferences_inactive", 1.0 }),
            Map.entry("p2p_conferences", new Object[] { "conferences_p2p", 1.0 }),
            Map.entry("inactive_endpoints", new Object[] { "endpoints_inactive", 1.0 }),
            Map.entry("receive_only_endpoints", new Object[] { "endpoints_recvonly", 1.0 }),
            Map.entry("local_active_endpoints", new Object[] { "active_endpoints", 1.0 }),
            Map.entry("num_eps_oversending", new Object[] { "endpoints_oversending", 1.0 }));
    private static final List<String> INFO_KEYS = List.of("version", "release", "region", "relay_id");

    private ColibriStats() {
    }

    public static List<MetricFamily> families(JsonNode stats) {
        List<MetricFamily> out = new ArrayList<>();
        List<String> info = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        stats.fields().forEachRemaining(e -> {
            String key = e.getKey();
            JsonNode v = e.getValue();
            if (INFO_KEYS.contains(key) && v.isTextual()) {
                info.add(key);
                info.add(v.asText());
                return;
            }
            if (key.equals("conference_sizes") && v.isArray()) {
                List<Sample> samples = new ArrayList<>();
                for (int i = 0; i < v.size(); i++) {
                    samples.add(new Sample(NS + "conference_sizes", Labels.of("size", i == v.size() - 1 ? i + "+" : String.valueOf(i)),
                            v.get(i).asDouble(), Sample.NO_TIMESTAMP, null));
                }
                out.add(new MetricFamily(NS + "conference_sizes", MetricType.GAUGE,
                        "Conferences by number of participants (colibri stats, before 2024)", null, samples));
                return;
            }
            Double value = v.isNumber() ? Double.valueOf(v.asDouble()) : v.isBoolean() ? Double.valueOf(v.asBoolean() ? 1 : 0) : null;
            if (value == null) {
                return; // timestamps and nested objects are not figures
            }
            Object[] renamed = RENAMED.get(key);
            String name;
            MetricType type = MetricType.GAUGE;
            if (renamed != null) {
                name = NS + renamed[0];
                value = value * (Double) renamed[1];
            } else if (key.startsWith("total_")) {
                name = NS + key.substring(6) + "_total";
                type = MetricType.COUNTER;
            } else {
                name = NS + key;
            }
            if (seen.add(name)) { // participants and endpoints both say current_endpoints: the first one wins
                out.add(new MetricFamily(name, type, "from /colibri/stats key " + key, null,
                        List.of(new Sample(name, Labels.EMPTY, value, Sample.NO_TIMESTAMP, null))));
            }
        });
        if (!info.isEmpty()) {
            out.add(new MetricFamily(NS + "version", MetricType.INFO, "from /colibri/stats", null,
                    List.of(new Sample(NS + "version_info", Labels.of(info.toArray(new String[0])), 1, Sample.NO_TIMESTAMP, null))));
        }
        return out;
    }
}
