package io.jitsiops.metrics.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.jitsiops.metrics.exposition.MetricFamily;
import io.jitsiops.metrics.exposition.MetricType;

/** /colibri/stats and jicofo /stats, current and older key sets, on recorded real payloads. */
class StatsReadersTest {
    private static Readings read(List<MetricFamily> families) {
        return Readings.fromExposition("jvb", "jvb-1", Instant.parse("2026-11-29T08:00:00Z"), families, new CounterRates());
    }

    @Test
    void readsACurrentBridgesColibriKeysUnderTheNamesOfItsMetricsPage() {
        Readings r = read(ColibriStats.families(Recorded.presenceStats("jvb/presence-stats-2.3-2025-01-docker-jitsi-meet-2008.txt")));
        assertThat(r.value("jitsi_jvb_incoming_loss_fraction")).isEqualTo(0.0);
        assertThat(r.value("jitsi_jvb_outgoing_loss_fraction")).isEqualTo(0.0);
        assertThat(r.value("jitsi_jvb_loss_fraction")).isEqualTo(0.0);
        assertThat(r.value("jitsi_jvb_incoming_bitrate")).isEqualTo(0.0);
        assertThat(r.value("jitsi_jvb_endpoints_with_high_outgoing_loss")).isEqualTo(0.0);
        assertThat(r.value("jitsi_jvb_active_endpoints")).isEqualTo(0.0);
    }

    @Test
    void readsEveryFigureOfAWholeCurrentColibriDocument() {
        var doc = Recorded.json("jvb/colibri-stats-2.3.168-g28674f78-stable-9779.json");
        List<MetricFamily> families = ColibriStats.families(doc);
        Readings r = read(families);
        // 76 keys: version and current_timestamp are not figures, participants and endpoints are one series.
        assertThat(families.stream().filter(f -> f.type() != MetricType.INFO)).hasSize(73);
        assertThat(r.value("jitsi_jvb_thread_count")).isEqualTo(41.0);
        assertThat(r.value("jitsi_jvb_average_participant_stress")).isEqualTo(0.01);
        assertThat(r.value("jitsi_jvb_incoming_loss_fraction")).isEqualTo(0.0);
        assertThat(r.value("jitsi_jvb_healthy")).isEqualTo(1.0);
        assertThat(r.value("jitsi_jvb_shutting_down")).isEqualTo(0.0);
        assertThat(r.value("jitsi_jvb_muc_clients_connected")).isEqualTo(1.0);
        assertThat(r.points()).anyMatch(p -> p.key().name().equals("jitsi_jvb_bytes_received_total") && p.value() == 5_301_841);
        assertThat(r.points()).anyMatch(p -> p.key().name().equals("jitsi_jvb_ice_succeeded_total") && p.value() == 3);
        assertThat(r.points()).anyMatch(p -> p.key().name().equals("jitsi_jvb_participants_total") && p.value() == 3);
        MetricFamily version = families.stream().filter(f -> f.type() == MetricType.INFO).findFirst().orElseThrow();
        assertThat(version.samples().get(0).labels().get("version")).isEqualTo("2.3.168-g28674f78");
    }

    @Test
    void readsA2020BridgesOlderKeysWithKbpsTurnedIntoBps() {
        Readings r = read(ColibriStats.families(Recorded.jsonFragment("jvb/colibri-stats-2.1.202-docker-jitsi-meet-631.json.fragment")));
        assertThat(r.value("jitsi_jvb_incoming_bitrate")).isEqualTo(79_000.0);
        assertThat(r.value("jitsi_jvb_outgoing_bitrate")).isEqualTo(74_000.0);
        assertThat(r.value("jitsi_jvb_incoming_loss_fraction")).isCloseTo(0.004379668605075549, within(1e-15));
        assertThat(r.value("jitsi_jvb_outgoing_loss_fraction")).isCloseTo(0.004415352863524434, within(1e-15));
        assertThat(r.value("jitsi_jvb_jitter_aggregate")).isCloseTo(2.8869, within(1e-4));
        assertThat(r.value("jitsi_jvb_average_rtt")).isEqualTo(24.5);
        assertThat(r.value("jitsi_jvb_incoming_packet_rate")).isEqualTo(105.0);
        assertThat(r.points()).anyMatch(p -> p.key().name().equals("jitsi_jvb_conference_sizes") && p.key().labels().equals("{size=\"2\"}")
                && p.value() == 1);
        assertThat(r.points()).anyMatch(p -> p.key().name().equals("jitsi_jvb_participants_total") && p.value() == 21);
        MetricFamily version = ColibriStats.families(Recorded.jsonFragment("jvb/colibri-stats-2.1.202-docker-jitsi-meet-631.json.fragment"))
                .stream().filter(f -> f.type() == MetricType.INFO).findFirst().orElseThrow();
        assertThat(version.samples().get(0).labels().get("version")).isEqualTo("2.1.202-g5f9377b9");
    }

    @Test
    void readsJicofoStatsOfBothGenerationsUnderJicofosMetricNames() {
        Readings old = Readings.fromExposition("jicofo", "jicofo", Instant.now(),
                JicofoStats.families(Recorded.json("jicofo/stats-2020-04-systemli-exporter-pr1.json")), new CounterRates());
        assertThat(old.value("jitsi_jicofo_largest_conference")).isEqualTo(10.0);
        assertThat(old.value("jitsi_jicofo_participants_total")).isEqualTo(1337.0);
        assertThat(old.value("jitsi_jicofo_bridge_selector_bridge_count")).isEqualTo(0.0);
        assertThat(old.value("jitsi_jicofo_bridge_selector_bridge_count_operational")).isEqualTo(0.0);
        assertThat(old.value("jitsi_jicofo_stats_bridge_selector_total_least_loaded_total")).isEqualTo(562.0);
        Readings current = Readings.fromExposition("jicofo", "jicofo", Instant.now(),
                JicofoStats.families(Recorded.jsonFragment("jicofo/stats-1.0-832-jicofo-861.json.fragment")), new CounterRates());
        assertThat(current.value("jitsi_jicofo_conferences_created_total")).isEqualTo(17.0);
        assertThat(current.value("jitsi_jicofo_threads")).isEqualTo(225.0);
        assertThat(current.points()).anyMatch(p -> p.key().name().equals("jitsi_jicofo_conference_sizes") && p.value() == 1);
    }

    @Test
    void readsTheConferenceSizeBucketsOfJicofoSince2022() {
        Readings r = Readings.fromExposition("jicofo", "jicofo", Instant.now(),
                JicofoStats.families(Recorded.jsonFragment("jicofo/stats-1.0-940-1-jicofo-998.json.fragment")), new CounterRates());
        assertThat(r.points()).anyMatch(p -> p.key().name().equals("jitsi_jicofo_conference_sizes")
                && p.key().labels().contains("\"3_to_5\"") && p.value() == 1);
        assertThat(r.points()).noneMatch(p -> p.key().name().equals("jitsi_jicofo_conference_sizes")
                && p.key().labels().contains("_upper_bound"));
        assertThat(r.value("jitsi_jicofo_stats_conference_sizes_average")).isEqualTo(4.0);
        assertThat(r.value("jitsi_jicofo_participants_total")).isEqualTo(565.0);
        assertThat(r.value("jitsi_jicofo_conferences_created_total")).isEqualTo(205.0);
        assertThat(r.value("jitsi_jicofo_largest_conference")).isEqualTo(4.0);
        assertThat(r.value("jitsi_jicofo_participants_restart_requested_total")).isEqualTo(94.0);
    }

    @Test
    void countersBecomePerSecondRatesAndAResetStartsOver() {
        CounterRates rates = new CounterRates();
        var key = new io.jitsiops.metrics.model.SeriesKey("jvb", "jvb-1", "jitsi_jvb_conferences_created_total", "");
        Instant t0 = Instant.parse("2026-11-29T08:00:00Z");
        assertThat(rates.rate(key, 100, t0)).isNaN();
        assertThat(rates.rate(key, 130, t0.plusSeconds(15))).isEqualTo(2.0);
        assertThat(rates.rate(key, 5, t0.plusSeconds(30))).isNaN(); // the bridge restarted
        assertThat(rates.rate(key, 20, t0.plusSeconds(45))).isEqualTo(1.0);
        assertThat(Readings.rateName("jitsi_jvb_conferences_created_total")).isEqualTo("jitsi_jvb_conferences_created_per_second");
    }
}
