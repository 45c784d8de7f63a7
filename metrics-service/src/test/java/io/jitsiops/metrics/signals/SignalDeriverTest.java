package io.jitsiops.metrics.signals;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.jitsi.metrics.CounterMetric;
import org.jitsi.metrics.HistogramMetric;
import org.jitsi.metrics.LongGaugeMetric;
import org.jitsi.metrics.MetricsContainer;
import org.junit.jupiter.api.Test;

import io.jitsiops.metrics.exposition.ExpositionParser;
import io.jitsiops.metrics.exposition.MetricFamily;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;

/**
 * The derived signals on genuine server output: jicoco's {@code MetricsContainer} renders metrics registered under the
 * names, types and buckets of jitsi-videobridge a29d97d13 ({@code IceTransport.kt}: ice_failed/ice_succeeded;
 * {@code PacketTransitStats.kt}: rtp_transit_time buckets 0, 5, 50, 500; {@code VideobridgeMetrics.kt}:
 * xmpp_disconnects; {@code XmppConnection.kt}: muc_clients_*) and jicofo 7ebb13dc3 ({@code BridgeSelector.kt},
 * {@code ConferenceMetrics.kt}); each scrape is rendered, parsed and derived as the service does.
 */
class SignalDeriverTest {
    private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");
    private static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    private static final String TEXT_004 = "text/plain; version=0.0.4; charset=utf-8";

    private final SignalDeriver deriver = new SignalDeriver(new SignalDeriver.Guards(1000, 20, 20));

    static final class Bridge {
        final MetricsContainer c = new MetricsContainer(new CollectorRegistry(), "jitsi_jvb");
        final HistogramMetric transit = c.registerHistogram("rtp_transit_time", "Packet delay stats for rtp_transit_time", 0.0, 5.0, 50.0, 500.0);
        final CounterMetric iceFailed = c.registerCounter("ice_failed", "Number of times an ICE Agent failed to establish connectivity.");
        final CounterMetric iceSucceeded = c.registerCounter("ice_succeeded", "Number of times an ICE Agent succeeded.");
        final CounterMetric xmppDisconnects = c.registerCounter("xmpp_disconnects",
                "The number of times one of the XMPP connections has disconnected.");
        final LongGaugeMetric mucClientsConfigured = c.registerLongGauge("muc_clients_configured", "Number of MUC clients that are configured.");
        final LongGaugeMetric mucClientsConnected = c.registerLongGauge("muc_clients_connected", "Number of MUC clients that are connected.");

        void packets(int n, double delayMs) {
            for (int i = 0; i < n; i++) {
                transit.getHistogram().observe(delayMs);
            }
        }
    }

    static final class Jicofo {
        final MetricsContainer c = new MetricsContainer(new CollectorRegistry(), "jitsi_jicofo");
        final CounterMetric lostBridges = c.registerCounter("bridge_selector_lost_bridges", "Number of bridges which disconnected unexpectedly.");
        final LongGaugeMetric versions = c.registerLongGauge("bridge_selector_bridge_version_count", "The current number of different bridge versions");
        final CounterMetric restarts = c.registerCounter("participants_restart_requested",
                "Number of times a participant requested a restart via session-terminate");
        final CounterMetric iceFailed = c.registerCounter("participants_ice_failed", "Number of participants that reported an ICE failure");
        final LongGaugeMetric participants = c.registerLongGauge("participants_current", "The current number of participants. This includes visitors.");
    }

    private Map<String, Double> scrape(String component, MetricsContainer c, String contentType, int secondsAfterT0) {
        List<MetricFamily> families = ExpositionParser.parse(c.getPrometheusMetrics(contentType),
                ExpositionParser.Format.fromContentType(TextFormat.chooseContentType(contentType)));
        return deriver.derive(component, component + "-1", T0.plusSeconds(secondsAfterT0), families);
    }

    @Test
    void signalsAreAbsentUntilTheTargetHasTwoScrapes() {
        Bridge b = new Bridge();
        b.packets(5000, 1);
        Map<String, Double> first = scrape("jvb", b.c, OPENMETRICS, 0);
        assertThat(first).doesNotContainKeys(SignalDeriver.RTP_DELAYED_RATIO, SignalDeriver.JVB_ICE_FAILURE_RATIO, SignalDeriver.JVB_XMPP_DISCONNECTS);
        assertThat(first).containsEntry(SignalDeriver.JVB_MUC_CLIENTS_DISCONNECTED, 0.0); // a gauge difference needs no history
    }

    @Test
    void rtpDelayShareCountsThePacketsOverFiftyMillisecondsInTheLastMinute() {
        Bridge b = new Bridge();
        b.packets(10_000, 60); // before the first scrape: not in any window
        scrape("jvb", b.c, OPENMETRICS, 0);
        b.packets(1500, 2);
        b.packets(400, 40);
        b.packets(100, 120);
        Map<String, Double> s = scrape("jvb", b.c, OPENMETRICS, 15);
        assertThat(s.get(SignalDeriver.RTP_DELAY_PACKETS)).isEqualTo(2000);
        assertThat(s.get(SignalDeriver.RTP_DELAYED_RATIO)).isEqualTo(0.05);
        // the next 75 seconds: all delayed; the minute ending at 90 s no longer holds the first interval's packets
        for (int t = 30; t <= 90; t += 15) {
            b.packets(1000, 75);
            s = scrape("jvb", b.c, OPENMETRICS, t);
        }
        assertThat(s.get(SignalDeriver.RTP_DELAY_PACKETS)).isEqualTo(4000);
        assertThat(s.get(SignalDeriver.RTP_DELAYED_RATIO)).isEqualTo(1.0);
    }

    @Test
    void rtpDelayShareIsZeroBelowTheTrafficGuardWhichIsPublishedBesideIt() {
        Bridge b = new Bridge();
        scrape("jvb", b.c, TEXT_004, 0);
        b.packets(300, 200);
        Map<String, Double> s = scrape("jvb", b.c, TEXT_004, 15);
        assertThat(s).containsEntry(SignalDeriver.RTP_DELAY_PACKETS, 300.0).containsEntry(SignalDeriver.RTP_DELAYED_RATIO, 0.0);
    }

    @Test
    void bridgeIceFailureShareOverTenMinutesWithAnAttemptsGuard() {
        Bridge b = new Bridge();
        scrape("jvb", b.c, OPENMETRICS, 0);
        b.iceFailed.add(3, List.of());
        b.iceSucceeded.add(9, List.of());
        Map<String, Double> s = scrape("jvb", b.c, OPENMETRICS, 60);
        assertThat(s).containsEntry(SignalDeriver.JVB_ICE_ATTEMPTS, 12.0).containsEntry(SignalDeriver.JVB_ICE_FAILURE_RATIO, 0.0);
        b.iceFailed.add(7, List.of());
        b.iceSucceeded.add(11, List.of());
        s = scrape("jvb", b.c, OPENMETRICS, 120);
        assertThat(s).containsEntry(SignalDeriver.JVB_ICE_ATTEMPTS, 30.0);
        assertThat(s.get(SignalDeriver.JVB_ICE_FAILURE_RATIO)).isCloseTo(10.0 / 30, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void xmppDisconnectsPerMinuteAndMucClientsNotConnected() {
        Bridge b = new Bridge();
        b.mucClientsConfigured.set(2);
        b.mucClientsConnected.set(2);
        scrape("jvb", b.c, OPENMETRICS, 0);
        b.xmppDisconnects.add(2, List.of());
        b.mucClientsConnected.set(1);
        Map<String, Double> s = scrape("jvb", b.c, OPENMETRICS, 15);
        assertThat(s).containsEntry(SignalDeriver.JVB_XMPP_DISCONNECTS, 2.0).containsEntry(SignalDeriver.JVB_MUC_CLIENTS_DISCONNECTED, 1.0);
        s = scrape("jvb", b.c, OPENMETRICS, 90); // nothing new in the last minute
        assertThat(s).containsEntry(SignalDeriver.JVB_XMPP_DISCONNECTS, 0.0);
    }

    @Test
    void lostBridgesPerMinuteCountsFromZeroAfterJicofoRestarted() {
        Jicofo j = new Jicofo();
        j.lostBridges.add(5, List.of());
        scrape("jicofo", j.c, TEXT_004, 0);
        j.lostBridges.add(3, List.of());
        assertThat(scrape("jicofo", j.c, TEXT_004, 15)).containsEntry(SignalDeriver.LOST_BRIDGES, 3.0);
        Jicofo restarted = new Jicofo();
        restarted.lostBridges.add(2, List.of());
        assertThat(scrape("jicofo", restarted.c, TEXT_004, 30)).containsEntry(SignalDeriver.LOST_BRIDGES, 5.0);
    }

    @Test
    void iceRestartsPerParticipantOverTenMinutesOnlyFromTwentyParticipants() {
        Jicofo j = new Jicofo();
        j.participants.set(10);
        scrape("jicofo", j.c, OPENMETRICS, 0);
        j.restarts.add(8, List.of());
        j.iceFailed.add(6, List.of());
        Map<String, Double> s = scrape("jicofo", j.c, OPENMETRICS, 300);
        assertThat(s).containsEntry(SignalDeriver.ICE_RESTARTS_PER_PARTICIPANT, 0.0).containsEntry(SignalDeriver.ICE_FAILURES_PER_PARTICIPANT, 0.0);
        j.participants.set(24);
        j.restarts.add(4, List.of());
        s = scrape("jicofo", j.c, OPENMETRICS, 600);
        assertThat(s).containsEntry(SignalDeriver.ICE_RESTARTS_PER_PARTICIPANT, 12.0 / 24).containsEntry(SignalDeriver.ICE_FAILURES_PER_PARTICIPANT, 6.0 / 24);
        s = scrape("jicofo", j.c, OPENMETRICS, 1200); // the window slid past both increases
        assertThat(s).containsEntry(SignalDeriver.ICE_RESTARTS_PER_PARTICIPANT, 0.0);
    }

    @Test
    void mixedBridgeVersionsWhenJicofoSeesMoreThanOne() {
        Jicofo j = new Jicofo();
        j.versions.set(1);
        assertThat(scrape("jicofo", j.c, TEXT_004, 0)).containsEntry(SignalDeriver.MIXED_BRIDGE_VERSIONS, 0.0);
        j.versions.set(2);
        assertThat(scrape("jicofo", j.c, TEXT_004, 15)).containsEntry(SignalDeriver.MIXED_BRIDGE_VERSIONS, 1.0);
    }

    @Test
    void historyStaysBoundedByTheLongestWindow() {
        Bridge b = new Bridge();
        for (int t = 0; t < 6 * 3600; t += 15) {
            b.packets(10, 1);
            scrape("jvb", b.c, OPENMETRICS, t);
        }
        // 10 minutes of 15 s scrapes for the ICE counters, 1 minute for the others
        assertThat(deriver.readingsHeld("jvb/jvb-1")).isLessThanOrEqualTo(2 * 42 + 3 * 6);
    }

    @Test
    void everyDerivedSignalIsDocumentedInSignalsMd() throws Exception {
        String doc = Files.readString(Path.of("SIGNALS.md"));
        for (String name : SignalDeriver.HELP.keySet()) {
            assertThat(doc).as(name).contains("`" + name + "`");
        }
    }
}
