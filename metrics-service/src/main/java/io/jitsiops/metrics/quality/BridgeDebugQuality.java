package io.jitsiops.metrics.quality;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Per-conference and per-participant quality from a JVB's {@code GET /debug?full=true}, where the bridge exposes
 * it (jitsi-videobridge {@code Endpoint.debugState} → {@code transceiver}, jitsi-media-transform
 * {@code Transceiver.debugState}):
 * <ul>
 * <li>{@code transceiver.media_sources.<source>.rtp_encoding_<ssrc>.<layer>.{frameRate, height, bitrate_bps}}
 * ({@code RtpLayerDesc.debugState}): bitrate = the layers' sum; frame rate and height of the highest layer
 * that carries bits. The bridge gives heights only: widths are taken as 16:9. No layer carrying bits (no media
 * source, {@code video_type} DISABLED/NONE, or a camera no receiver asks for) is an endpoint that sends no video:
 * bitrate 0, no frame rate or height, and {@link ConferenceQuality#of} does not count it as a video sender.</li>
 * <li>{@code transceiver.endpoint_connection_stats.{rtt, incoming_loss_stats.{packets_lost, packets_received}}}
 * ({@code EndpointConnectionStats.Snapshot.toJson}, loss over the last 60 s); named {@code endpointConnectionStats}
 * by 2022 bridges. An endpoint without packets in that window has no loss figure (NaN).</li>
 * <li>{@code transceiver.receiver["Incoming statistics tracker"].<ssrc>.jitter} ({@code IncomingSsrcStats}, ms):
 * the worst stream's; NaN when no SSRC has one.</li>
 * </ul>
 * The bridge's own state ({@link BridgeState}) is read from the current document and from the 2022 one.
 * Without {@code full=true} endpoints are only listed; a conference then counts its participants and nothing else.
 */
public final class BridgeDebugQuality {
    /** The source of what is read here, in conference and stream samples (browsers' are {@code client}). */
    public static final String SOURCE = "bridge";

    public record Result(List<ConferenceQuality> conferences, List<VideoSample> streams, BridgeState bridge) {
        public Result(List<ConferenceQuality> conferences, List<VideoSample> streams) {
            this(conferences, streams, BridgeState.UNKNOWN);
        }
    }

    /**
     * The bridge's own part of the document, in either generation.
     *
     * @param generation    {@code current} (jitsi-videobridge {@code Videobridge.getDebugState} since 2023:
     *                      {@code shutdown_state}, {@code drain}, {@code load_management}, {@code health} object) or
     *                      {@code 2022} (JVB 2.1/2.2, recorded in jitsi-videobridge #1819: {@code shutdownInProgress},
     *                      {@code load-management}, {@code "health":"OK"}); {@code unknown} when neither shape is there
     * @param shuttingDown  {@code shutdown_state} other than RUNNING, or {@code shutdownInProgress}
     * @param drain         drain mode; null in the 2022 generation (it has none)
     * @param loadState     the load manager's state, e.g. NOT_OVERLOADED (JvbLoadManager.getStats prints strings)
     * @param stress        the load manager's stress (a string upstream), NaN when absent
     * @param bridgeJitterMs {@code overall_bridge_jitter} (ms); NaN when absent (current: left out while the bridge
     *                      has none) or null (2022)
     * @param healthy       {@code health.success} or {@code "health":"OK"}; null when absent
     */
    public record BridgeState(String generation, boolean shuttingDown, Boolean drain, String loadState, double stress,
                              double bridgeJitterMs, Boolean healthy) {
        static final BridgeState UNKNOWN = new BridgeState("unknown", false, null, null, Double.NaN, Double.NaN, null);
    }

    private BridgeDebugQuality() {
    }

    public static Result read(JsonNode debug, String bridge, Instant at) {
        List<ConferenceQuality> conferences = new ArrayList<>();
        List<VideoSample> all = new ArrayList<>();
        JsonNode confs = debug.path("conferences");
        for (Iterator<Map.Entry<String, JsonNode>> it = confs.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> c = it.next();
            JsonNode conf = c.getValue();
            if (!conf.isObject()) {
                continue;
            }
            String room = conf.path("name").asText(c.getKey());
            String meetingId = conf.path("meeting_id").asText("");
            String id = meetingId.isEmpty() ? conf.path("id").asText(c.getKey()) : meetingId;
            List<VideoSample> streams = new ArrayList<>();
            int participants = 0;
            for (Iterator<Map.Entry<String, JsonNode>> eps = conf.path("endpoints").fields(); eps.hasNext();) {
                Map.Entry<String, JsonNode> e = eps.next();
                participants++;
                VideoSample s = endpoint(room, e.getKey(), e.getValue(), bridge, at);
                if (s != null) {
                    streams.add(s);
                }
            }
            all.addAll(streams);
            conferences.add(ConferenceQuality.of(id, room, bridge, SOURCE, streams, participants, at));
        }
        return new Result(conferences, all, bridgeState(debug));
    }

    static BridgeState bridgeState(JsonNode debug) {
        boolean current = debug.has("shutdown_state") || debug.has("load_management");
        boolean older = debug.has("shutdownInProgress") || debug.has("load-management");
        if (!current && !older) {
            return BridgeState.UNKNOWN;
        }
        JsonNode load = debug.path(current ? "load_management" : "load-management");
        boolean shuttingDown = current ? !debug.path("shutdown_state").asText("RUNNING").equals("RUNNING")
                : debug.path("shutdownInProgress").asBoolean(false);
        Boolean drain = debug.path("drain").isBoolean() ? debug.path("drain").asBoolean() : null;
        double stress = load.has("stress") ? number(load.path("stress")) : Double.NaN;
        JsonNode jitter = debug.path("overall_bridge_jitter");
        JsonNode health = debug.path("health");
        Boolean healthy = health.isObject() && health.path("success").isBoolean() ? Boolean.valueOf(health.path("success").asBoolean())
                : health.isTextual() ? Boolean.valueOf(health.asText().equals("OK")) : null;
        return new BridgeState(current ? "current" : "2022", shuttingDown, drain, load.path("state").isTextual()
                ? load.path("state").asText() : null, stress, jitter.isNumber() ? jitter.asDouble() : Double.NaN, healthy);
    }

    /** JvbLoadManager.getStats prints stress as a string ("0.0"); read a number either way. */
    private static double number(JsonNode n) {
        if (n.isNumber()) {
            return n.asDouble();
        }
        try {
            return Double.parseDouble(n.asText());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static VideoSample endpoint(String room, String endpointId, JsonNode ep, String bridge, Instant at) {
        JsonNode tr = ep.path("transceiver");
        if (!tr.isObject()) {
            return null;
        }
        double bitrateBps = 0;
        int height = 0;
        double fps = Double.NaN;
        for (JsonNode source : iterable(tr.path("media_sources"))) {
            for (Iterator<Map.Entry<String, JsonNode>> encs = source.fields(); encs.hasNext();) {
                Map.Entry<String, JsonNode> enc = encs.next();
                if (!enc.getKey().startsWith("rtp_encoding_")) {
                    continue;
                }
                // Why "bits on a layer" decides whether the endpoint sends video: that is JVB's own test. Endpoint.isSendingVideo
                // is transceiver.isReceivingVideo(), the receiver's VideoBitrateCalculator being "active" (at least 1 packet/s
                // over the same rate window the layers' bitrate_bps use, RtpLayerDesc.hasZeroBitrate / updateBitrate "was
                // inactive"). A muted camera (lib-jitsi-meet's JitsiConference._sendBridgeVideoTypeMessage signals NONE for a muted
                // track, shown as video_type; VideoType.isEnabled() false for NONE and DISABLED), an
                // audio-only or receive-only participant, and a camera whose every layer the client suspended because no
                // receiver asks for it all leave every layer at 0 bps. A sender starved to a few kbps still has bits on its
                // lowest layer: it stays a sender and its low bitrate counts. video_type alone is not enough: 2022 bridges
                // do not print it (jitsi-videobridge #1907, June 2022), and a CAMERA nobody receives sends nothing either.
                for (JsonNode layer : iterable(enc.getValue())) {
                    if (!layer.isObject() || !layer.has("bitrate_bps")) {
                        continue;
                    }
                    double bps = layer.path("bitrate_bps").asDouble(0);
                    bitrateBps += bps;
                    int h = layer.path("height").asInt(0);
                    if (bps > 0 && h >= height) {
                        height = h;
                        fps = layer.path("frameRate").asDouble(Double.NaN);
                    }
                }
            }
        }
        // endpoint_connection_stats since 2023; endpointConnectionStats in the 2022 generation (Transceiver.getNodeStats:
        // addJson("endpointConnectionStats", snapshot.toJson()), the same rtt/incoming_loss_stats/outgoing_loss_stats)
        JsonNode conn = tr.has("endpoint_connection_stats") ? tr.path("endpoint_connection_stats") : tr.path("endpointConnectionStats");
        double lost = conn.path("incoming_loss_stats").path("packets_lost").asDouble(0);
        double received = conn.path("incoming_loss_stats").path("packets_received").asDouble(0);
        // The counts are the last 60 s only (LossTracker's RateTracker): a participant who just joined or sent nothing for a
        // minute (muted, receive-only) has 0 lost of 0 received. That is no loss figure, not 0 % loss: it stays out of the
        // conference's mean, as JVB's own VideobridgePeriodicMetrics leaves such an endpoint out (lost + received > 0).
        double loss = lost + received > 0 ? 100.0 * lost / (lost + received) : Double.NaN;
        double rtt = conn.has("rtt") ? conn.path("rtt").asDouble(Double.NaN) : Double.NaN;
        // No SSRC with a jitter figure (nothing received from the endpoint yet, a receive-only participant): no jitter
        // figure (NaN), left out of the conference's mean as loss and RTT are, rather than a 0 ms that lowers it
        double jitter = Double.NaN;
        for (JsonNode ssrc : iterable(tr.path("receiver").path("Incoming statistics tracker"))) {
            if (ssrc.isObject() && ssrc.path("jitter").isNumber()) {
                double j = ssrc.path("jitter").asDouble();
                jitter = Double.isNaN(jitter) ? j : Math.max(jitter, j);
            }
        }
        String participant = ep.path("stats_id").asText(endpointId);
        return new VideoSample(room, participant.isEmpty() ? endpointId : participant, "send", SOURCE, bridge, at,
                bitrateBps / 1000.0, fps, height * 16 / 9, height, loss, jitter, rtt > 0 ? rtt : Double.NaN);
    }

    private static Iterable<JsonNode> iterable(JsonNode node) {
        return node::elements;
    }
}
