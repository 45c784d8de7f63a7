package io.jitsiops.metrics.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jitsiops.metrics.config.MetricsConfig;

/**
 * Quality from a JVB /debug?full=true document built with the key names of the bridge's own debugState code
 * (Endpoint.kt, Transceiver.kt, RtpLayerDesc.kt, EndpointConnectionStats.kt, IncomingStatisticsTracker.kt);
 * the only public recording of a /debug document (2022, an older generation) has no conference in it.
 */
public class BridgeDebugQualityTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static ObjectNode endpoint(String statsId, long lost, long received, double rtt, double jitter, long[] layerBps) {
        ObjectNode ep = JSON.createObjectNode();
        ep.put("stats_id", statsId);
        ObjectNode tr = ep.putObject("transceiver");
        ObjectNode enc = tr.putObject("media_sources").putObject(statsId + "-v0").put("owner", statsId).put("video_type", "CAMERA")
                .putObject("rtp_encoding_1234");
        enc.put("nominal_height", 720);
        int[] heights = { 180, 360, 720 };
        int[] rates = { 7, 15, 30 };
        for (int i = 0; i < 3; i++) {
            enc.putObject("E0S" + i + "T2").put("frameRate", rates[i]).put("height", heights[i]).put("bitrate_bps", layerBps[i])
                    .put("target_bitrate", 0).put("indexString", "E0S" + i + "T2");
        }
        ObjectNode conn = tr.putObject("endpoint_connection_stats").put("rtt", rtt);
        conn.putObject("incoming_loss_stats").put("packets_lost", lost).put("packets_received", received);
        conn.putObject("outgoing_loss_stats").put("packets_lost", 0).put("packets_received", 10);
        tr.putObject("receiver").putObject("Incoming statistics tracker").put("num_input_packets", received)
                .set("1234", JSON.createObjectNode().put("jitter", jitter).put("media_type", "VIDEO"));
        return ep;
    }

    /** An endpoint as a 2022 bridge names its connection statistics ({@code endpointConnectionStats}). */
    static ObjectNode endpoint2022(String statsId, long lost, long received, double rtt, double jitter, long[] layerBps) {
        ObjectNode ep = endpoint(statsId, lost, received, rtt, jitter, layerBps);
        ObjectNode tr = (ObjectNode) ep.get("transceiver");
        tr.set("endpointConnectionStats", tr.remove("endpoint_connection_stats"));
        return ep;
    }

    /**
     * A copy of the recorded 2022 /debug?full=true document (jitsi-videobridge #1819, no conference in it) with one
     * conference added here: the conference and its endpoints are edited in, not recorded.
     */
    static ObjectNode recorded2022With(String conferenceId, String room, ObjectNode... endpoints) {
        ObjectNode debug = io.jitsiops.metrics.scrape.Recorded.json("jvb/debug-full-2022-02-jitsi-videobridge-1819.json").deepCopy();
        ObjectNode eps = ((ObjectNode) debug.get("conferences")).putObject(conferenceId).put("name", room).putObject("endpoints");
        for (int i = 0; i < endpoints.length; i++) {
            eps.set("ep" + i, endpoints[i]);
        }
        return debug;
    }

    /** 0 lost of 0 received in the loss window: just joined, or muted / receive-only for a minute; no bits on any layer. */
    static ObjectNode withoutPackets(String statsId) {
        return endpoint2022(statsId, 0, 0, 0, 0, new long[] { 0, 0, 0 });
    }

    /**
     * A participant whose camera is off: audio flows (packets in the loss window, jitter on its audio SSRC), no layer of
     * its camera carries bits, and the source says NONE, as lib-jitsi-meet signals a muted track (the reader goes by the
     * bits, not by video_type, which 2022 bridges do not print).
     */
    static ObjectNode cameraOff(String statsId, double jitter) {
        ObjectNode ep = endpoint2022(statsId, 0, 500, 40, jitter, new long[] { 0, 0, 0 });
        ((ObjectNode) ep.path("transceiver").path("media_sources").path(statsId + "-v0")).put("video_type", "NONE");
        ((ObjectNode) ep.path("transceiver").path("receiver").path("Incoming statistics tracker").path("1234")).put("media_type", "AUDIO");
        return ep;
    }

    /** An endpoint whose receiver has no SSRC entry yet in its "Incoming statistics tracker": no jitter figure. */
    static ObjectNode withoutJitterFigure(ObjectNode ep) {
        ((ObjectNode) ep.path("transceiver").path("receiver").path("Incoming statistics tracker")).remove("1234");
        return ep;
    }

    /** The quality limits the tests judge with (also RoomWindowTest's). */
    public static MetricsConfig.Quality limits() {
        return new MetricsConfig.Quality() {
            public double minBitrateKbps() { return 150; }
            public double minFps() { return 10; }
            public double maxPacketLossPercent() { return 5; }
            public double maxJitterMs() { return 30; }
            public java.time.Duration window() { return java.time.Duration.ofSeconds(5); }
        };
    }

    @Test
    void endpointWithNoPacketsHasNoLossFigure() {
        BridgeDebugQuality.Result r = BridgeDebugQuality.read(recorded2022With("c1", "retro", withoutPackets("Dave")), "jvb-1", Instant.now());
        VideoSample dave = r.streams().get(0);
        assertThat(dave.packetLossPercent()).isNaN();
        assertThat(dave.rttMs()).isNaN(); // rtt 0: not measured either
        assertThat(r.conferences().get(0).packetLossPercent()).isNaN();
    }

    @Test
    void newcomerWithNoPacketsInTheLossWindowDoesNotLowerTheConferenceLoss() {
        ObjectNode alice = endpoint2022("Alice", 15, 85, 40, 3, new long[] { 100_000, 300_000, 1_200_000 });
        ObjectNode bob = endpoint2022("Bob", 30, 170, 60, 5, new long[] { 100_000, 300_000, 0 });
        ConferenceQuality before = BridgeDebugQuality.read(recorded2022With("c1", "retro", alice.deepCopy(), bob.deepCopy()),
                "jvb-1", Instant.now()).conferences().get(0);
        ConferenceQuality after = BridgeDebugQuality.read(recorded2022With("c1", "retro", alice, bob, withoutPackets("Carol")),
                "jvb-1", Instant.now()).conferences().get(0);
        assertThat(before.packetLossPercent()).isEqualTo(15.0);
        assertThat(after.packetLossPercent()).isEqualTo(15.0); // was 10.0: Carol's 0/0 counted as 0 %
        assertThat(after.participants()).isEqualTo(3);
        assertThat(after.streams()).isEqualTo(3);
        assertThat(new QualityRules(limits()).judge(after).reasons()).contains("packet_loss_percent 15.0 > 5");
    }

    @Test
    void aConferenceWhereNoEndpointHasPacketsIsNotDegradedOnLossAndItsEventSaysNothingLost() {
        ConferenceQuality q = BridgeDebugQuality.read(recorded2022With("c1", "retro", withoutPackets("Dave"), withoutPackets("Erin")),
                "jvb-1", Instant.now()).conferences().get(0);
        assertThat(q.packetLossPercent()).isNaN();
        ConferenceQuality judged = new QualityRules(limits()).judge(q);
        assertThat(judged.reasons()).noneMatch(reason -> reason.startsWith("packet_loss_percent"));
        // the event's packetLossPercent is a required double: nothing lost of nothing received
        assertThat(judged.toEvent().packetLossPercent()).isEqualTo(0.0);
        assertThat(judged.toEvent().rttMs()).isNull();
    }

    @Test
    void aCameraOffParticipantDoesNotLowerTheConferenceBitrate() {
        ObjectNode alice = endpoint2022("Alice", 0, 500, 40, 3, new long[] { 100_000, 300_000, 1_200_000 });
        ConferenceQuality before = BridgeDebugQuality.read(recorded2022With("c1", "retro", alice.deepCopy()), "jvb-1", Instant.now())
                .conferences().get(0);
        BridgeDebugQuality.Result r = BridgeDebugQuality.read(recorded2022With("c1", "retro", alice, cameraOff("Bob", 5)), "jvb-1",
                Instant.now());
        VideoSample bob = r.streams().get(1);
        assertThat(bob.sendsVideo()).isFalse();
        assertThat(bob.bitrateKbps()).isEqualTo(0.0);
        assertThat(bob.framesPerSecond()).isNaN();
        ConferenceQuality after = r.conferences().get(0);
        assertThat(before.bitrateKbps()).isEqualTo(1600.0);
        assertThat(after.bitrateKbps()).isEqualTo(1600.0); // was 800.0: Bob's 0 bps counted as a stream's bitrate
        assertThat(after.framesPerSecond()).isEqualTo(30.0);
        assertThat(after.frameHeight()).isEqualTo(720);
        assertThat(after.streams()).isEqualTo(2); // Bob still counts for loss, jitter and RTT
        assertThat(after.jitterMs()).isEqualTo(4.0);
        assertThat(new QualityRules(limits()).judge(after).degraded()).isFalse();
    }

    @Test
    void aConferenceWithEveryCameraOffIsNotDegradedOnBitrate() {
        ConferenceQuality q = BridgeDebugQuality.read(recorded2022With("c1", "webinar", cameraOff("Dave", 2), cameraOff("Erin", 4)),
                "jvb-1", Instant.now()).conferences().get(0);
        assertThat(q.bitrateKbps()).isNaN(); // no video to judge; was 0.0 and "bitrate_kbps 0.0 < 150"
        assertThat(q.framesPerSecond()).isNaN();
        assertThat(q.frameHeight()).isZero();
        assertThat(q.packetLossPercent()).isEqualTo(0.0); // the audio's packets: measured, nothing lost
        assertThat(q.jitterMs()).isEqualTo(3.0);
        ConferenceQuality judged = new QualityRules(limits()).judge(q);
        assertThat(judged.degraded()).isFalse();
        assertThat(judged.reasons()).isEmpty();
        // the event's bitrateKbps is a required double: no video sender sent 0 kbps, and the event says nobody sent video
        assertThat(judged.toEvent().bitrateKbps()).isEqualTo(0.0);
        assertThat(judged.toEvent().framesPerSecond()).isEqualTo(0.0);
        assertThat(judged.toEvent().samples()).isEqualTo(2);
        assertThat(judged.toEvent().videoSent()).isFalse();
    }

    @Test
    void aSenderAtLowBitrateStillMakesTheConferenceDegraded() {
        // starved by its uplink: only the lowest layer gets through, at 100 kbps; Bob's camera is off
        ObjectNode alice = endpoint2022("Alice", 0, 500, 40, 3, new long[] { 100_000, 0, 0 });
        ConferenceQuality q = BridgeDebugQuality.read(recorded2022With("c1", "retro", alice, cameraOff("Bob", 3)), "jvb-1",
                Instant.now()).conferences().get(0);
        assertThat(q.bitrateKbps()).isEqualTo(100.0);
        assertThat(q.frameHeight()).isEqualTo(180);
        ConferenceQuality judged = new QualityRules(limits()).judge(q);
        assertThat(judged.toEvent().videoSent()).isTrue();
        assertThat(judged.degraded()).isTrue();
        assertThat(judged.reasons()).containsExactly("bitrate_kbps 100.0 < 150", "frames_per_second 7.0 < 10");
    }

    @Test
    void anEndpointWithoutAJitterFigureDoesNotLowerTheConferenceJitter() {
        ObjectNode alice = endpoint2022("Alice", 0, 500, 40, 40, new long[] { 100_000, 300_000, 1_200_000 });
        ObjectNode carol = withoutJitterFigure(endpoint2022("Carol", 0, 500, 40, 0, new long[] { 100_000, 300_000, 1_200_000 }));
        BridgeDebugQuality.Result r = BridgeDebugQuality.read(recorded2022With("c1", "retro", alice, carol), "jvb-1", Instant.now());
        assertThat(r.streams().get(1).jitterMs()).isNaN();
        ConferenceQuality q = r.conferences().get(0);
        assertThat(q.jitterMs()).isEqualTo(40.0); // was 20.0: Carol's missing figure counted as 0 ms
        assertThat(new QualityRules(limits()).judge(q).reasons()).containsExactly("jitter_ms 40.0 > 30");
    }

    @Test
    void aConferenceWhereNoEndpointHasAJitterFigureIsNotJudgedOnJitterAndItsEventSaysZero() {
        ConferenceQuality q = BridgeDebugQuality.read(recorded2022With("c1", "retro",
                withoutJitterFigure(endpoint2022("Alice", 0, 500, 40, 0, new long[] { 100_000, 300_000, 1_200_000 }))), "jvb-1",
                Instant.now()).conferences().get(0);
        assertThat(q.jitterMs()).isNaN();
        ConferenceQuality judged = new QualityRules(limits()).judge(q);
        assertThat(judged.reasons()).isEmpty();
        assertThat(judged.toEvent().jitterMs()).isEqualTo(0.0);
    }

    @Test
    void anOlderBridgesDebugDocumentWithoutConferencesYieldsNoQualityAndNoError() {
        // recorded: JVB /debug?full=true of 2022 (shutdownInProgress, load-management, "health":"OK"), no conference
        BridgeDebugQuality.Result r = BridgeDebugQuality.read(
                io.jitsiops.metrics.scrape.Recorded.json("jvb/debug-full-2022-02-jitsi-videobridge-1819.json"), "jvb-1", Instant.now());
        assertThat(r.conferences()).isEmpty();
        assertThat(r.streams()).isEmpty();
        BridgeDebugQuality.BridgeState b = r.bridge();
        assertThat(b.generation()).isEqualTo("2022");
        assertThat(b.shuttingDown()).isFalse();
        assertThat(b.drain()).isNull(); // the 2022 document has no drain mode
        assertThat(b.loadState()).isEqualTo("NOT_OVERLOADED");
        assertThat(b.stress()).isEqualTo(0.0); // "0.0", a string, as JvbLoadManager prints it
        assertThat(b.bridgeJitterMs()).isNaN(); // null in the recording
        assertThat(b.healthy()).isTrue(); // "health":"OK"
    }

    @Test
    void readsTheCurrentBridgeStateWithItsJitterAndHealthObject() {
        ObjectNode debug = JSON.createObjectNode();
        debug.put("shutdown_state", "GRACEFUL_SHUTDOWN").put("drain", true).put("time", 1_700_000_000_000L);
        debug.putObject("load_management").put("state", "OVERLOADED").put("stress", "0.92").put("reducer_enabled", "false");
        debug.put("overall_bridge_jitter", 1.25);
        debug.putObject("conferences");
        debug.putObject("health").put("success", false).put("hardFailure", true).put("responseCode", 500)
                .put("message", "Address discovery through STUN failed");
        BridgeDebugQuality.BridgeState b = BridgeDebugQuality.read(debug, "jvb-1", Instant.now()).bridge();
        assertThat(b).isEqualTo(new BridgeDebugQuality.BridgeState("current", true, true, "OVERLOADED", 0.92, 1.25, false));
    }

    @Test
    void readsThe2022CamelCaseConnectionStatisticsBlockLikeTheCurrentOne() {
        ObjectNode ep = endpoint("Carol", 10, 90, 70, 4, new long[] { 100_000, 300_000, 0 });
        ObjectNode tr = (ObjectNode) ep.get("transceiver");
        tr.set("endpointConnectionStats", tr.remove("endpoint_connection_stats"));
        ObjectNode debug = JSON.createObjectNode();
        debug.putObject("conferences").putObject("c1").put("name", "retro").putObject("endpoints").set("ep3", ep);
        VideoSample carol = BridgeDebugQuality.read(debug, "jvb-1", Instant.now()).streams().get(0);
        assertThat(carol.packetLossPercent()).isEqualTo(10.0);
        assertThat(carol.rttMs()).isEqualTo(70.0);
    }

    @Test
    void derivesEachParticipantsStreamAndTheConferenceFromTheBridgesEndpointStatistics() {
        ObjectNode debug = JSON.createObjectNode();
        ObjectNode conf = debug.putObject("conferences").putObject("c0ffee");
        conf.put("name", "standup@conference.meet.jitsi").put("meeting_id", "m-1");
        conf.putObject("endpoints").set("ep1", endpoint("Alice", 5, 95, 40, 3, new long[] { 100_000, 300_000, 1_200_000 }));
        ((ObjectNode) conf.get("endpoints")).set("ep2", endpoint("Bob", 0, 100, 60, 9, new long[] { 100_000, 300_000, 0 }));
        BridgeDebugQuality.Result r = BridgeDebugQuality.read(debug, "jvb-1", Instant.now());
        assertThat(r.streams()).hasSize(2);
        VideoSample alice = r.streams().get(0);
        assertThat(alice.bitrateKbps()).isEqualTo(1600.0);
        assertThat(alice.frameHeight()).isEqualTo(720);
        assertThat(alice.framesPerSecond()).isEqualTo(30.0);
        assertThat(alice.packetLossPercent()).isEqualTo(5.0);
        assertThat(alice.rttMs()).isEqualTo(40.0);
        assertThat(r.streams().get(1).frameHeight()).isEqualTo(360);
        ConferenceQuality q = r.conferences().get(0);
        assertThat(q.conferenceId()).isEqualTo("m-1");
        assertThat(q.room()).isEqualTo("standup@conference.meet.jitsi");
        assertThat(q.participants()).isEqualTo(2);
        assertThat(q.bitrateKbps()).isEqualTo(1000.0);
        assertThat(q.packetLossPercent()).isEqualTo(2.5);
        assertThat(q.jitterMs()).isEqualTo(6.0);
        assertThat(q.rttMs()).isEqualTo(50.0);
        assertThat(q.framesPerSecond()).isCloseTo(22.5, within(1e-9));
    }

    @Test
    void judgesAConferenceDegradedWhenLossOrJitterIsTooHighOrBitrateOrFpsTooLow() {
        MetricsConfig.Quality limits = new MetricsConfig.Quality() {
            public double minBitrateKbps() { return 150; }
            public double minFps() { return 10; }
            public double maxPacketLossPercent() { return 5; }
            public double maxJitterMs() { return 30; }
            public java.time.Duration window() { return java.time.Duration.ofSeconds(5); }
        };
        QualityRules rules = new QualityRules(limits);
        ConferenceQuality good = new ConferenceQuality("c", "r", "jvb-1", "bridge", 3, 900, 30, 1280, 720, 0.5, 4, 40, Instant.now(),
                false, List.of(), 3);
        assertThat(rules.judge(good).degraded()).isFalse();
        ConferenceQuality bad = new ConferenceQuality("c", "r", "jvb-1", "bridge", 3, 90, 7, 1280, 720, 7.5, 45, 40, Instant.now(),
                false, List.of(), 3);
        assertThat(rules.judge(bad).reasons()).containsExactly("bitrate_kbps 90.0 < 150", "frames_per_second 7.0 < 10",
                "packet_loss_percent 7.5 > 5", "jitter_ms 45.0 > 30");
        ConferenceQuality unmeasured = new ConferenceQuality("c", "r", "jvb-1", "bridge", 3, 0, 0, 0, 0, 0, 0, Double.NaN, Instant.now(),
                false, List.of(), 0);
        assertThat(rules.judge(unmeasured).degraded()).isFalse();
    }
}
