package io.jitsiops.sim.jitsi;

import java.util.List;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.jitsi.health.Result;

import io.jitsiops.sim.service.EndpointStats;
import io.jitsiops.sim.service.SimConference;
import io.jitsiops.sim.service.SimEndpoint;

/**
 * A bridge's {@code /debug} document (jitsi-videobridge a29d97d: {@code rest/root/debug/Debug.java},
 * {@code Videobridge.getDebugState}, {@code Conference.getDebugState}, {@code Endpoint.debugState},
 * {@code nlj/Transceiver.debugState}). SHORT mode (plain {@code /debug}) lists endpoints as {@code id: stats_id};
 * FULL mode ({@code ?full=true}, and the default of {@code /debug/{conf}} and {@code /debug/{conf}/{ep}}) has each
 * endpoint's transceiver statistics, which is where per-conference quality lives on a real bridge:
 * <ul>
 * <li>{@code transceiver.endpoint_connection_stats}: {@code rtt} (ms), {@code incoming_loss_stats} and
 * {@code outgoing_loss_stats} ({@code packets_lost}, {@code packets_received});</li>
 * <li>{@code transceiver.receiver["Incoming statistics tracker"][ssrc]}: {@code num_received_packets},
 * {@code num_received_bytes}, {@code num_expected_packets}, {@code cumulative_packets_lost}, {@code jitter} (ms),
 * {@code duration_active_ms}, {@code media_type};</li>
 * <li>{@code transceiver.sender["Outgoing statistics tracker"][ssrc]}: {@code packet_count}, {@code octet_count};</li>
 * <li>{@code transceiver.media_sources[source].rtp_encoding_<ssrc>[layer]}: {@code frameRate}, {@code height},
 * {@code bitrate_bps} (a layer above what the sender manages has bitrate 0).</li>
 * </ul>
 * A participant with the camera off (see {@link SimEndpoint.Camera}) sends only audio: joined with it off, it has no
 * media source and no video SSRC ({@code media_sources} empty, as {@code MediaSources.debugState} prints an empty
 * array of sources); turned off, its source stays with {@code video_type} {@code NONE} and layers at 0 bps, and its video
 * SSRC's counters stop growing.
 * Parts of the real document the simulator leaves out (bitrate controller, ICE/DTLS/SCTP transports, node statistics
 * other than the two trackers, exporter, audio subscriptions) are listed in FORMATS.md.
 */
final class BridgeDebug {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** Simulcast layers jitsi-meet sends by default: 180p/7.5, 360p/15, 720p/30 fps, temporal layers of each. */
    private static final int[] HEIGHTS = { 180, 360, 720 };
    private static final double[] FRAME_RATES = { 7.5, 15, 30 };

    private BridgeDebug() {
    }

    static ObjectNode bridge(Bridge b, List<SimConference> conferences, boolean full) {
        boolean old = b.debugGeneration == Bridge.DebugGeneration.JVB_2022;
        ObjectNode o = header(b);
        ObjectNode confs = o.putObject("conferences");
        conferences.forEach(c -> confs.set(c.id(), conference(c, full, null, old)));
        Result r = b.health();
        if (old) {
            // recorded (#1819): "health":"OK"; the failure text when unhealthy is the simulator's reading of it
            o.put("health", r.getSuccess() ? "OK" : String.valueOf(r.getMessage()));
            return o;
        }
        ObjectNode health = o.putObject("health");
        health.put("success", r.getSuccess());
        health.put("hardFailure", r.getHardFailure());
        health.put("responseCode", r.getResponseCode());
        health.put("message", r.getMessage());
        return o;
    }

    /**
     * The bridge's own part, in its generation's keys and order. Current (Videobridge.getDebugState, a29d97d):
     * shutdown_state, drain, time, load_management, then overall_bridge_jitter only when PacketTransitStats has a
     * bridge jitter. JVB_2022 (recording jitsi-videobridge #1819, Videobridge.getDebugState of 2.1/2.2):
     * shutdownInProgress, time, load-management (with the last-n reducer's {@code reducer:{jvbLastN}}),
     * overall_bridge_jitter (Endpoint.overallAverageBridgeJitter: null until there is a value).
     */
    private static ObjectNode header(Bridge b) {
        ObjectNode o = JSON.objectNode();
        boolean old = b.debugGeneration == Bridge.DebugGeneration.JVB_2022;
        if (old) {
            o.put("shutdownInProgress", b.metrics.gracefulShutdown.get());
        } else {
            o.put("shutdown_state", b.metrics.gracefulShutdown.get() ? "GRACEFUL_SHUTDOWN" : "RUNNING");
            o.put("drain", b.metrics.drainMode.get());
        }
        o.put("time", System.currentTimeMillis());
        ObjectNode load = o.putObject(old ? "load-management" : "load_management");
        load.put("state", b.metrics.stress.get() >= 0.8 ? "OVERLOADED" : "NOT_OVERLOADED");
        load.put("stress", Double.toString(b.metrics.stress.get()));
        load.put("reducer_enabled", "false");
        if (old) {
            load.putObject("reducer").put("jvbLastN", -1);
        }
        Double jitter = b.bridgeJitterMs;
        if (old) {
            if (jitter == null) {
                o.putNull("overall_bridge_jitter");
            } else {
                o.put("overall_bridge_jitter", jitter);
            }
        } else if (jitter != null) {
            o.put("overall_bridge_jitter", jitter);
        }
        return o;
    }

    /** {@code /debug/{conf}} and {@code /debug/{conf}/{ep}}: the conference under {@code conferences}, or "null". */
    static ObjectNode conference(Bridge b, SimConference c, String confId, String endpointId, boolean full) {
        boolean old = b.debugGeneration == Bridge.DebugGeneration.JVB_2022;
        ObjectNode o = header(b);
        ObjectNode confs = o.putObject("conferences");
        if (c == null) {
            confs.put(confId, "null");
        } else {
            confs.set(confId, conference(c, full, endpointId, old));
        }
        return o;
    }

    private static ObjectNode conference(SimConference c, boolean full, String endpointId, boolean old) {
        ObjectNode o = JSON.objectNode();
        o.put("id", c.id());
        o.put("rtcstatsEnabled", true);
        o.put("name", c.room());
        o.put("meeting_id", c.meetingId());
        if (full) {
            o.put("expired", false);
            o.put("creation_time", c.createdAtMillis());
            o.putObject("speech_activity");
        }
        ObjectNode endpoints = o.putObject("endpoints");
        for (SimEndpoint e : c.endpoints()) {
            if (endpointId == null || endpointId.equals(e.id())) {
                if (full) {
                    endpoints.set(e.id(), endpoint(c, e, old));
                } else {
                    endpoints.put(e.id(), e.statsId());
                }
            }
        }
        o.putObject("relays");
        return o;
    }

    private static ObjectNode endpoint(SimConference c, SimEndpoint e, boolean old) {
        EndpointStats s = e.stats();
        ObjectNode o = JSON.objectNode();
        o.putObject("receiver_video_constraints");
        o.put("max_receiver_video_constraints", "{}");
        o.put("expired", false);
        o.put("stats_id", e.statsId());
        ObjectNode transceiver = o.putObject("transceiver");
        ObjectNode sources = transceiver.putObject("media_sources");
        boolean hasCameraSource = e.camera() != SimEndpoint.Camera.NEVER_ON;
        if (hasCameraSource) {
            ObjectNode camera = sources.putObject(e.id() + "-v0");
            camera.put("owner", e.id());
            // MediaSourceDesc.videoType: CAMERA until the client's SourceVideoTypeMessage says NONE (a muted camera)
            camera.put("video_type", e.sendingVideo() ? "CAMERA" : "NONE");
            ObjectNode encoding = camera.putObject("rtp_encoding_" + e.videoSsrc());
            encoding.put("rtx_ssrc", e.videoSsrc() + 1);
            encoding.put("fec_ssrc", -1);
            encoding.put("eid", 0);
            encoding.put("nominal_height", 720);
            // The audio's share of what arrives (40 kbps less its loss) carries no layer: a camera that is off leaves
            // every layer at 0 bps once the bridge's rate window has passed (RtpLayerDesc.getBitrate), its height and
            // frame rate as they were.
            double videoBps = Math.max(0, s.incomingBitrateBps() - 40_000);
            int topLayer = topLayer(c);
            for (int layer = 0; layer < HEIGHTS.length; layer++) {
                ObjectNode l = encoding.putObject("E0S" + layer + "T2");
                l.put("frameRate", FRAME_RATES[layer]);
                l.put("height", HEIGHTS[layer]);
                l.put("index", layer * 3 + 2);
                // The sender's bits go to the highest layer it manages; lower layers carry a share.
                l.put("bitrate_bps", layer > topLayer ? 0 : Math.round(layer == topLayer ? videoBps * 0.7 : videoBps * 0.15));
                l.put("target_bitrate", 0);
                l.put("indexString", "E0S" + layer + "T2");
            }
        }
        // 2022: Transceiver.getNodeStats added it as addJson("endpointConnectionStats", snapshot.toJson()), same content
        ObjectNode conn = transceiver.putObject(old ? "endpointConnectionStats" : "endpoint_connection_stats");
        conn.put("rtt", c.rttMs());
        // LossTracker's snapshot: what was lost and received over the last 60 s, not since the endpoint joined
        ObjectNode in = conn.putObject("incoming_loss_stats");
        in.put("packets_lost", s.incomingLoss().packetsLost());
        in.put("packets_received", s.incomingLoss().packetsReceived());
        ObjectNode out = conn.putObject("outgoing_loss_stats");
        out.put("packets_lost", s.outgoingLoss().packetsLost());
        out.put("packets_received", s.outgoingLoss().packetsReceived());
        long activeMs = System.currentTimeMillis() - e.createdAtMillis();
        ObjectNode incoming = transceiver.putObject("receiver").putObject("Incoming statistics tracker");
        incoming.put("num_input_packets", s.incomingPacketsReceived());
        incoming.put("num_output_packets", s.incomingPacketsReceived());
        incoming.put("num_discarded_packets", 0);
        incoming.set(Long.toString(e.audioSsrc()), ssrc(s.audioPacketsReceived(), s.audioBytesReceived(),
                s.audioPacketsReceived() + Math.round(s.incomingPacketsLost() * 0.05), c.jitterMs(), activeMs, "AUDIO"));
        if (hasCameraSource) {
            // IncomingStatisticsTracker adds an SSRC with its first packet: none for a camera that was never on
            // IncomingSsrcStats.durationActive adds up the time between packets: it stops when the camera is turned off
            long videoActiveMs = e.camera() == SimEndpoint.Camera.TURNED_OFF
                    ? Math.min(activeMs, SimEndpoint.CAMERA_ON_BEFORE_TURNED_OFF.toMillis()) : activeMs;
            incoming.set(Long.toString(e.videoSsrc()), ssrc(s.videoPacketsReceived(), s.videoBytesReceived(),
                    s.videoPacketsExpected(), c.jitterMs(), videoActiveMs, "VIDEO"));
        }
        ObjectNode outgoing = transceiver.putObject("sender").putObject("Outgoing statistics tracker");
        outgoing.put("num_input_packets", s.packetsSent());
        outgoing.put("num_output_packets", s.packetsSent());
        outgoing.put("num_discarded_packets", 0);
        ObjectNode sent = outgoing.putObject(Long.toString(e.videoSsrc() + 2));
        sent.put("packet_count", s.packetsSent());
        sent.put("octet_count", s.bytesSent());
        sent.put("most_recent_rtp_timestamp", (activeMs * 90) & 0xffffffffL);
        o.put("accept_audio", true);
        o.put("accept_video", true);
        o.put("visitor", false);
        o.put("diarize", false);
        return o;
    }

    /** IncomingSsrcStats.Snapshot.toJson(). */
    private static ObjectNode ssrc(long packets, long bytes, long expected, double jitterMs, long activeMs, String mediaType) {
        ObjectNode o = JSON.objectNode();
        o.put("num_received_packets", packets);
        o.put("num_received_bytes", bytes);
        o.put("max_seq_num", (int) (expected % 65536));
        o.put("seq_num_cycles", (int) (expected / 65536));
        o.put("num_expected_packets", expected);
        o.put("cumulative_packets_lost", Math.max(0, expected - packets));
        o.put("jitter", jitterMs);
        o.put("duration_active_ms", activeMs);
        o.put("media_type", mediaType);
        return o;
    }

    /** The highest simulcast layer the sender manages, from its frame height and rate. */
    private static int topLayer(SimConference c) {
        int top = 0;
        for (int layer = 0; layer < HEIGHTS.length; layer++) {
            if (c.frameHeight() >= HEIGHTS[layer] && c.framesPerSecond() >= FRAME_RATES[layer]) {
                top = layer;
            }
        }
        return top;
    }
}
