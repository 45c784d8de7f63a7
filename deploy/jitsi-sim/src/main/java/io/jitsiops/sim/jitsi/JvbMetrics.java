package io.jitsiops.sim.jitsi;

import io.prometheus.client.CollectorRegistry;

import org.jitsi.metrics.BooleanMetric;
import org.jitsi.metrics.CounterMetric;
import org.jitsi.metrics.DoubleGaugeMetric;
import org.jitsi.metrics.HistogramMetric;
import org.jitsi.metrics.LongGaugeMetric;
import org.jitsi.metrics.MetricsContainer;

/**
 * One bridge's metrics, registered in jicoco's {@link MetricsContainer} (namespace {@code jitsi_jvb}) with the names,
 * help texts and types jitsi-videobridge registers, so {@code /metrics} renders exactly as the bridge's does.
 * Sources (jitsi/jitsi-videobridge a29d97d, 2026-08-19): {@code jvb/.../metrics/VideobridgeMetrics.kt},
 * {@code VideobridgePeriodicMetrics.kt}, {@code JvmMetrics.kt}, {@code health/JvbHealthChecker.kt},
 * {@code transport/ice/IceTransport.kt}, {@code xmpp/XmppConnection.kt}, {@code EndpointConnectionStatusMonitor.kt},
 * {@code stats/PacketTransitStats.kt}. Each bridge has its own registry: in reality each is its own process.
 */
public final class JvbMetrics {
    public final MetricsContainer container = new MetricsContainer(new CollectorRegistry(), "jitsi_jvb");

    // VideobridgeMetrics.kt
    public final BooleanMetric gracefulShutdown = container.registerBooleanMetric("graceful_shutdown",
            "Whether the bridge is in graceful shutdown mode (not accepting new conferences).");
    public final BooleanMetric shuttingDown = container.registerBooleanMetric("shutting_down",
            "Whether the bridge is shutting down.");
    public final BooleanMetric drainMode = container.registerBooleanMetric("drain_mode",
            "Whether the bridge is in drain shutdown mode.", false);
    public final CounterMetric conferencesCompleted = container.registerCounter("conferences_completed",
            "The total number of conferences completed/expired on the Videobridge.");
    public final CounterMetric conferencesCreated = container.registerCounter("conferences_created",
            "The total number of conferences created on the Videobridge.");
    public final CounterMetric dataChannelMessagesReceived = container.registerCounter("data_channel_messages_received",
            "Number of messages received from the data channels of the endpoints of this conference.");
    public final CounterMetric dataChannelMessagesSent = container.registerCounter("data_channel_messages_sent",
            "Number of messages sent via the data channels of the endpoints of this conference.");
    public final CounterMetric colibriWebSocketMessagesReceived = container.registerCounter(
            "colibri_web_socket_messages_received",
            "Number of messages received from the data channels of the endpoints of this conference.");
    public final CounterMetric colibriWebSocketMessagesSent = container.registerCounter("colibri_web_socket_messages_sent",
            "Number of messages sent via the data channels of the endpoints of this conference.");
    public final CounterMetric colibriWebSocketCloseNormal = container.registerCounter("colibri_web_socket_close_normal",
            "Number of times a colibri web socket was closed normally.");
    public final CounterMetric colibriWebSocketCloseAbnormal = container.registerCounter(
            "colibri_web_socket_close_abnormal", "Number of times a colibri web socket was closed abnormally.");
    public final CounterMetric colibriWebSocketErrors = container.registerCounter("colibri_web_socket_error",
            "Number of times a colibri web socket reported an error.");
    public final CounterMetric packetsReceived = container.registerCounter("packets_received",
            "Number of RTP packets received in conferences on this videobridge.");
    public final CounterMetric packetsSent = container.registerCounter("packets_sent",
            "Number of RTP packets sent in conferences on this videobridge.");
    public final CounterMetric relayPacketsReceived = container.registerCounter("relay_packets_received",
            "Number of RTP packets received by relays in conferences on this videobridge.");
    public final CounterMetric relayPacketsSent = container.registerCounter("relay_packets_sent",
            "Number of RTP packets sent by relays in conferences on this videobridge.");
    public final CounterMetric totalEndpoints = container.registerCounter("endpoints",
            "The total number of endpoints created.");
    public final CounterMetric totalVisitors = container.registerCounter("visitors",
            "The total number of visitor endpoints created.");
    public final CounterMetric endpointsNoMessageTransportAfterDelay = container.registerCounter(
            "endpoints_no_message_transport_after_delay",
            "Number of endpoints which had not established a relay message transport even after some delay.");
    public final CounterMetric totalRelays = container.registerCounter("relays", "The total number of relays created.");
    public final CounterMetric relaysNoMessageTransportAfterDelay = container.registerCounter(
            "relays_no_message_transport_after_delay",
            "Number of relays which had not established a relay message transport even after some delay.");
    public final CounterMetric dominantSpeakerChanges = container.registerCounter("dominant_speaker_changes",
            "Number of times the dominant speaker in any conference changed.");
    public final CounterMetric endpointsIceFailed = container.registerCounter("endpoints_ice_failed",
            "Number of endpoints for which ICE failed to establish.");
    public final CounterMetric endpointsDtlsFailed = container.registerCounter("endpoints_dtls_failed",
            "Number of endpoints whose ICE connection was established, but DTLS wasn't (at time of expiration).");
    public final CounterMetric relaysIceFailed = container.registerCounter("relays_ice_failed",
            "Number of relays for which ICE failed to establish.");
    public final CounterMetric relaysDtlsFailed = container.registerCounter("relays_dtls_failed",
            "Number of relays whose ICE connection was established, but DTLS wasn't (at time of expiration).");
    public final DoubleGaugeMetric stress = container.registerDoubleGauge("stress", "Current stress (between 0 and 1).");
    public final CounterMetric preemptiveKeyframeRequestsSent = container.registerCounter(
            "preemptive_keyframe_requests_sent", "Number of preemptive keyframe requests that were sent.");
    public final CounterMetric preemptiveKeyframeRequestsSuppressed = container.registerCounter(
            "preemptive_keyframe_requests_suppressed",
            "Number of preemptive keyframe requests that were not sent because no endpoints were in stage view.");
    public final CounterMetric keyframesReceived = container.registerCounter("keyframes_received",
            "Number of keyframes that were received (updated on endpoint expiration).");
    public final CounterMetric layeringChangesReceived = container.registerCounter("layering_changes_received",
            "Number of times the layering of an incoming video stream changed (updated on endpoint expiration).");
    public final LongGaugeMetric localEndpoints = container.registerLongGauge("local_endpoints",
            "Number of local endpoints that exist currently.");
    public final LongGaugeMetric currentVisitors = container.registerLongGauge("current_visitors",
            "Number of visitor endpoints.");
    public final LongGaugeMetric conferences = container.registerLongGauge("conferences", "Current number of conferences.");
    public final CounterMetric conferenceSeconds = container.registerCounter("conference_seconds",
            "The total duration in seconds of all completed conferences.");
    public final CounterMetric bytesReceived = container.registerCounter("bytes_received",
            "The total number of bytes received in RTP packets.");
    public final CounterMetric bytesSent = container.registerCounter("bytes_sent",
            "The total number of bytes sent in RTP packets.");
    public final CounterMetric relayBytesReceived = container.registerCounter("relay_bytes_received",
            "The total number of bytes received by relays in RTP packets.");
    public final CounterMetric relayBytesSent = container.registerCounter("relay_bytes_sent",
            "The total number of bytes sent to relays in RTP packets.");
    public final CounterMetric videoMillisecondsReceived = container.registerCounter("video_milliseconds_received",
            "Total duration of video received, in milliseconds (each SSRC counts separately).");
    public final CounterMetric xmppDisconnects = container.registerCounter("xmpp_disconnects",
            "The number of times one of the XMPP connections has disconnected.");
    public final HistogramMetric tossedPacketsEnergy = container.registerHistogram("tossed_packets_energy",
            "Distribution of energy scores for discarded audio packets.",
            0, 7, 15, 23, 31, 39, 47, 55, 63, 71, 79, 87, 95, 103, 111, 119, 127);
    public final LongGaugeMetric startupTime = container.registerLongGauge("startup_time",
            "The startup time of the service.", System.currentTimeMillis());
    public final CounterMetric rejectedDataChannels = container.registerCounter("rejected_data_channels",
            "Number of data channels rejected by the bridge.");

    // VideobridgePeriodicMetrics.kt (updated every videobridge.stats.interval)
    public final DoubleGaugeMetric incomingLoss = container.registerDoubleGauge("incoming_loss_fraction",
            "Fraction of incoming RTP packets that are lost.");
    public final DoubleGaugeMetric outgoingLoss = container.registerDoubleGauge("outgoing_loss_fraction",
            "Fraction of outgoing RTP packets that are lost.");
    public final DoubleGaugeMetric loss = container.registerDoubleGauge("loss_fraction",
            "Fraction of RTP packets that are lost (incoming and outgoing combined).");
    public final LongGaugeMetric relayIncomingBitrate = container.registerLongGauge("relay_incoming_bitrate",
            "Incoming RTP/RTCP bitrate from relays in bps.");
    public final LongGaugeMetric relayOutgoingBitrate = container.registerLongGauge("relay_outgoing_bitrate",
            "Outgoing RTP/RTCP bitrate to relays in bps.");
    public final LongGaugeMetric relayIncomingPacketRate = container.registerLongGauge("relay_incoming_packet_rate",
            "Incoming RTP/RTCP packet rate from relays in pps.");
    public final LongGaugeMetric relayOutgoingPacketRate = container.registerLongGauge("relay_outgoing_packet_rate",
            "Outgoing RTP/RTCP packet rate to relays in pps.");
    public final LongGaugeMetric incomingBitrate = container.registerLongGauge("incoming_bitrate",
            "Incoming RTP/RTCP bitrate in bps.");
    public final LongGaugeMetric outgoingBitrate = container.registerLongGauge("outgoing_bitrate",
            "Outgoing RTP/RTCP bitrate in bps.");
    public final LongGaugeMetric incomingPacketRate = container.registerLongGauge("incoming_packet_rate",
            "Incoming RTP/RTCP packet rate in pps.");
    public final LongGaugeMetric outgoingPacketRate = container.registerLongGauge("outgoing_packet_rate",
            "Outgoing RTP/RTCP packet rate in pps.");
    public final DoubleGaugeMetric averageRtt = container.registerDoubleGauge("average_rtt",
            "Average RTT across all local endpoints in ms.");
    public final LongGaugeMetric largestConference = container.registerLongGauge("largest_conference",
            "The size of the largest conference (number of endpoints).");
    public final LongGaugeMetric endpoints = container.registerLongGauge("current_endpoints",
            "Number of current endpoints (local and relayed).");
    public final LongGaugeMetric tccUnmatchedFeedback = container.registerLongGauge("tcc_unmatched_feedback",
            "Total transport-cc feedback reports that could not be matched to the send-time history. "
                    + "A sustained flood of these is the marker of a feedback-starvation saturation lock.");
    public final LongGaugeMetric endpointsWithHighOutgoingLoss = container.registerLongGauge(
            "endpoints_with_high_outgoing_loss", "Number of endpoints that have high outgoing loss (>10%).");
    public final LongGaugeMetric activeEndpoints = container.registerLongGauge("active_endpoints",
            "The number of active local endpoints (in a conference where at least one endpoint sends audio or video).");
    public final LongGaugeMetric endpointsSendingAudio = container.registerLongGauge("endpoints_sending_audio",
            "The number of local endpoints sending audio.");
    public final LongGaugeMetric endpointsSendingVideo = container.registerLongGauge("endpoints_sending_video",
            "The number of local endpoints sending video.");
    public final LongGaugeMetric endpointsRelayed = container.registerLongGauge("endpoints_relayed",
            "Number of relayed endpoints.");
    public final LongGaugeMetric endpointsOversending = container.registerLongGauge("endpoints_oversending",
            "Number of endpoints that we are oversending to.");
    public final LongGaugeMetric endpointsReceiveOnly = container.registerLongGauge("endpoints_recvonly",
            "Number of endpoints that are not sending audio or video (but are receiveing).");
    public final LongGaugeMetric endpointsInactive = container.registerLongGauge("endpoints_inactive",
            "Number of endpoints in inactive conferences (where no endpoint sends audio or video).");
    public final LongGaugeMetric endpointsWithSpuriousRemb = container.registerLongGauge("endpoints_with_spurious_remb",
            "Number of endpoints that have send a REMB packet even though REMB wasn't configured.");
    public final LongGaugeMetric endpointsWithSuspendedSources = container.registerLongGauge(
            "endpoints_with_suspended_sources",
            "Number of endpoints that that we have suspended sending some video streams to because of bwe.");
    public final LongGaugeMetric conferencesInactive = container.registerLongGauge("conferences_inactive",
            "Number of inactive conferences (no endpoint is sending audio or video).");
    public final LongGaugeMetric conferencesP2p = container.registerLongGauge("conferences_p2p",
            "Number of p2p conferences (inactive with 2 endpoints).");
    public final LongGaugeMetric conferencesWithRelay = container.registerLongGauge("conferences_with_relay",
            "Number of conferences with one or more relays.");
    public final HistogramMetric conferencesBySize = container.registerHistogram("conferences_by_size",
            "Histogram of conferences by total number of endpoints.", sizeBuckets());
    public final HistogramMetric conferencesByAudioSender = container.registerHistogram("conferences_by_audio_sender",
            "Histogram of conferences by number of local endpoints sending audio.", sizeBuckets());
    public final HistogramMetric conferencesByVideoSender = container.registerHistogram("conferences_by_video_sender",
            "Histogram of conferences by number of local endpoints sending video.", sizeBuckets());

    // JvmMetrics.kt (videobridge.stats.jvm.enabled, default true)
    public final LongGaugeMetric threadCount = container.registerLongGauge("thread_count", "Current number of JVM threads.");
    public final LongGaugeMetric gcCount = container.registerLongGauge("jvm_gc_count", "Garbage collection count.");
    public final LongGaugeMetric gcTime = container.registerLongGauge("jvm_gc_time", "Garbage collection time.");
    public final LongGaugeMetric heapCommitted = container.registerLongGauge("jvm_heap_committed",
            "Capacity of the main memory pool for the heap (GC type specific).");
    public final LongGaugeMetric heapUsed = container.registerLongGauge("jvm_heap_used",
            "Usage of the main memory pool for the heap (GC type specific).");
    public final LongGaugeMetric openFdCount = container.registerLongGauge("jvm_open_fd_count", "Number of open file descriptors.");

    // JvbHealthChecker.kt
    public final BooleanMetric healthy = container.registerBooleanMetric("healthy",
            "Whether the Videobridge instance is healthy or not.", true);

    // IceTransport.kt
    public final CounterMetric iceFailed = container.registerCounter("ice_failed",
            "Number of times an ICE Agent failed to establish connectivity.");
    public final CounterMetric iceSucceeded = container.registerCounter("ice_succeeded",
            "Number of times an ICE Agent succeeded.");
    public final CounterMetric iceSucceededRelayed = container.registerCounter("ice_succeeded_relayed",
            "Number of times an ICE Agent succeeded and the selected pair included a relayed candidate.");

    // XmppConnection.kt (note: "mucs_configured" in /colibri/stats is registered as mucs_connected upstream)
    public final LongGaugeMetric mucClientsConfigured = container.registerLongGauge("muc_clients_configured",
            "Number of MUC clients that are configured.");
    public final LongGaugeMetric mucClientsConnected = container.registerLongGauge("muc_clients_connected",
            "Number of MUC clients that are connected.");
    public final LongGaugeMetric mucsConfigured = container.registerLongGauge("mucs_connected",
            "Number of MUCs that are configured.");
    public final LongGaugeMetric mucsJoined = container.registerLongGauge("mucs_joined", "Number of MUCs that are joined.");

    // EndpointConnectionStatusMonitor.kt
    public final CounterMetric endpointsDisconnected = container.registerCounter("endpoints_disconnected",
            "Endpoints detected as temporarily inactive/disconnected due to inactivity.");
    public final CounterMetric endpointsReconnected = container.registerCounter("endpoints_reconnected",
            "Endpoints reconnected after being detected as temporarily inactive/disconnected due to inactivity.");

    // PacketTransitStats.kt, with videobridge.stats.transit-time.enable-prometheus = true (upstream default: false)
    public final HistogramMetric rtpTransitTime = container.registerHistogram("rtp_transit_time",
            "Packet delay stats for rtp_transit_time", 0.0, 5.0, 50.0, 500.0);
    public final CounterMetric rtpTransitTimeUnknown = container.registerCounter("rtp_transit_time_unknown_delay",
            "Number of packets without an unknown delay (rtp_transit_time)");
    public final HistogramMetric rtcpTransitTime = container.registerHistogram("rtcp_transit_time",
            "Packet delay stats for rtcp_transit_time", 0.0, 5.0, 50.0, 500.0);
    public final CounterMetric rtcpTransitTimeUnknown = container.registerCounter("rtcp_transit_time_unknown_delay",
            "Number of packets without an unknown delay (rtcp_transit_time)");

    private static double[] sizeBuckets() {
        double[] b = new double[21];
        for (int i = 0; i <= 20; i++) {
            b[i] = i;
        }
        return b;
    }
}
