package io.jitsiops.sim.jitsi;

import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jitsiops.sim.service.SimConference;

/**
 * A bridge's {@code /colibri/stats} document, in the two generations users run:
 * <ul>
 * <li>{@link Bridge.StatsGeneration#CURRENT}: jitsi-videobridge {@code jvb/.../stats/VideobridgeStatisticsShim.kt}
 * (a29d97d): read from the Prometheus metrics at request time, in the shim's key order and with its types (longs
 * stay integers: {@code bit_rate_*} is integer kbps, {@code octo_*_bitrate} integer bps; losses, RTT and stress are
 * doubles; {@code relay_id}/{@code region}/{@code release} only when configured, which the simulator never is).</li>
 * <li>{@link Bridge.StatsGeneration#PRE_2024_04}: {@code jvb/.../stats/VideobridgeStatistics.java} at e80e868
 * (2024-03-29, the last version before the shim): {@code bit_rate_*} and {@code octo_*_bitrate} as doubles,
 * {@code jitter_aggregate}, {@code conference_sizes} and {@code conferences_by_*_senders} arrays of 22 buckets,
 * {@code videochannels}, {@code total_failed_conferences}, {@code total_loss_*_participant_seconds},
 * {@code total_ice_succeeded_tcp}, {@code total_aimd_bwe_expirations}, {@code colibri2}; {@code shutting_down}
 * only while true.</li>
 * </ul>
 */
final class ColibriStats {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ColibriStats() {
    }

    /** {@code current_timestamp}: "yyyy-MM-dd HH:mm:ss.SSS" in UTC, as both generations write it. */
    static String timestamp() {
        SimpleDateFormat f = new SimpleDateFormat("yyyy-MM-dd HH:mm:ss.SSS");
        f.setTimeZone(TimeZone.getTimeZone("UTC"));
        return f.format(new Date());
    }

    static ObjectNode current(Bridge b) {
        JvbMetrics m = b.metrics;
        ObjectNode o = JSON.objectNode();
        o.put("incoming_loss", m.incomingLoss.get());
        o.put("outgoing_loss", m.outgoingLoss.get());
        o.put("overall_loss", m.loss.get());
        o.put("endpoints_with_high_outgoing_loss", m.endpointsWithHighOutgoingLoss.get());
        o.put("tcc_unmatched_feedback", m.tccUnmatchedFeedback.get());
        o.put("local_active_endpoints", m.activeEndpoints.get());
        o.put("bit_rate_download", m.incomingBitrate.get() / 1000);
        o.put("bit_rate_upload", m.outgoingBitrate.get() / 1000);
        o.put("packet_rate_download", m.incomingPacketRate.get());
        o.put("packet_rate_upload", m.outgoingPacketRate.get());
        o.put("rtt_aggregate", m.averageRtt.get());
        o.put("num_eps_oversending", m.endpointsOversending.get());
        o.put("octo_conferences", m.conferencesWithRelay.get());
        o.put("inactive_conferences", m.conferencesInactive.get());
        o.put("p2p_conferences", m.conferencesP2p.get());
        o.put("endpoints", m.endpoints.get());
        o.put("participants", m.endpoints.get());
        o.put("receive_only_endpoints", m.endpointsReceiveOnly.get());
        o.put("inactive_endpoints", m.endpointsInactive.get());
        o.put("octo_endpoints", m.endpointsRelayed.get());
        o.put("endpoints_sending_audio", m.endpointsSendingAudio.get());
        o.put("endpoints_sending_video", m.endpointsSendingVideo.get());
        o.put("largest_conference", m.largestConference.get());
        o.put("octo_receive_bitrate", m.relayIncomingBitrate.get());
        o.put("octo_receive_packet_rate", m.relayIncomingPacketRate.get());
        o.put("octo_send_bitrate", m.relayOutgoingBitrate.get());
        o.put("octo_send_packet_rate", m.relayOutgoingPacketRate.get());
        o.put("endpoints_with_suspended_sources", m.endpointsWithSuspendedSources.get());
        o.put("total_conferences_created", m.conferencesCreated.get());
        o.put("total_conferences_completed", m.conferencesCompleted.get());
        o.put("total_conference_seconds", m.conferenceSeconds.get());
        o.put("total_participants", m.totalEndpoints.get());
        o.put("total_visitors", m.totalVisitors.get());
        o.put("num_eps_no_msg_transport_after_delay", m.endpointsNoMessageTransportAfterDelay.get());
        o.put("total_relays", m.totalRelays.get());
        o.put("num_relays_no_msg_transport_after_delay", m.relaysNoMessageTransportAfterDelay.get());
        o.put("total_keyframes_received", m.keyframesReceived.get());
        o.put("total_layering_changes_received", m.layeringChangesReceived.get());
        o.put("total_video_stream_milliseconds_received", m.videoMillisecondsReceived.get());
        o.put("stress_level", m.stress.get());
        o.put("conferences", m.conferences.get());
        o.put("visitors", m.currentVisitors.get());
        o.put("local_endpoints", m.localEndpoints.get());
        o.put("total_data_channel_messages_received", m.dataChannelMessagesReceived.get());
        o.put("total_data_channel_messages_sent", m.dataChannelMessagesSent.get());
        o.put("total_colibri_web_socket_messages_received", m.colibriWebSocketMessagesReceived.get());
        o.put("total_colibri_web_socket_messages_sent", m.colibriWebSocketMessagesSent.get());
        o.put("total_bytes_received", m.bytesReceived.get());
        o.put("endpoints_ice_failed", m.endpointsIceFailed.get());
        o.put("dtls_failed_endpoints", m.endpointsDtlsFailed.get());
        o.put("relays_ice_failed", m.relaysIceFailed.get());
        o.put("dtls_failed_relays", m.relaysDtlsFailed.get());
        o.put("total_bytes_sent", m.bytesSent.get());
        o.put("total_packets_received", m.packetsReceived.get());
        o.put("total_packets_sent", m.packetsSent.get());
        o.put("total_bytes_received_octo", m.relayBytesReceived.get());
        o.put("total_bytes_sent_octo", m.relayBytesSent.get());
        o.put("total_packets_received_octo", m.relayPacketsReceived.get());
        o.put("total_packets_sent_octo", m.relayPacketsSent.get());
        o.put("total_dominant_speaker_changes", m.dominantSpeakerChanges.get());
        o.put("preemptive_kfr_sent", m.preemptiveKeyframeRequestsSent.get());
        o.put("preemptive_kfr_suppressed", m.preemptiveKeyframeRequestsSuppressed.get());
        o.put("total_ice_failed", m.iceFailed.get());
        o.put("total_ice_succeeded", m.iceSucceeded.get());
        o.put("total_ice_succeeded_relayed", m.iceSucceededRelayed.get());
        o.put("average_participant_stress", averageParticipantStress());
        o.put("threads", m.threadCount.get());
        o.put("graceful_shutdown", m.gracefulShutdown.get());
        o.put("shutting_down", m.shuttingDown.get());
        o.put("drain", m.drainMode.get());
        o.put("current_timestamp", timestamp());
        o.put("muc_clients_configured", m.mucClientsConfigured.get());
        o.put("muc_clients_connected", m.mucClientsConnected.get());
        o.put("mucs_configured", m.mucsConfigured.get());
        o.put("mucs_joined", m.mucsJoined.get());
        o.put("endpoints_with_spurious_remb", m.endpointsWithSpuriousRemb.get().intValue());
        o.put("healthy", m.healthy.get());
        o.put("endpoints_disconnected", m.endpointsDisconnected.get());
        o.put("endpoints_reconnected", m.endpointsReconnected.get());
        o.put("version", b.version);
        return o;
    }

    /** JvbLoadManager.averageParticipantStress: the configured per-participant figure (jvb default 0.01). */
    static double averageParticipantStress() {
        return 0.01;
    }

    static ObjectNode pre2024(Bridge b, List<SimConference> conferences) {
        JvbMetrics m = b.metrics;
        ObjectNode o = JSON.objectNode();
        // VideobridgeStatistics.generate0(): the same figures, computed on its own timer, some typed differently.
        o.put("incoming_loss", m.incomingLoss.get());
        o.put("outgoing_loss", m.outgoingLoss.get());
        o.put("overall_loss", m.loss.get());
        o.put("endpoints_with_high_outgoing_loss", m.endpointsWithHighOutgoingLoss.get().intValue());
        o.put("local_active_endpoints", m.activeEndpoints.get().intValue());
        o.put("bit_rate_download", m.incomingBitrate.get() / 1000.0);
        o.put("bit_rate_upload", m.outgoingBitrate.get() / 1000.0);
        o.put("packet_rate_download", m.incomingPacketRate.get());
        o.put("packet_rate_upload", m.outgoingPacketRate.get());
        o.put("total_aimd_bwe_expirations", 0);
        o.put("jitter_aggregate", jitterAggregate(conferences));
        o.put("rtt_aggregate", m.averageRtt.get());
        o.put("total_failed_conferences", 0L);
        o.put("total_partially_failed_conferences", 0L);
        o.put("total_conferences_created", m.conferencesCreated.get());
        o.put("total_conferences_completed", m.conferencesCompleted.get());
        o.put("total_ice_failed", m.iceFailed.get());
        o.put("total_ice_succeeded", m.iceSucceeded.get());
        o.put("total_ice_succeeded_tcp", 0L);
        o.put("total_ice_succeeded_relayed", m.iceSucceededRelayed.get());
        o.put("total_conference_seconds", m.conferenceSeconds.get());
        o.put("total_loss_controlled_participant_seconds", 0L);
        o.put("total_loss_limited_participant_seconds", 0L);
        o.put("total_loss_degraded_participant_seconds", 0L);
        o.put("total_participants", m.totalEndpoints.get());
        o.put("total_visitors", m.totalVisitors.get());
        o.put("num_eps_no_msg_transport_after_delay", m.endpointsNoMessageTransportAfterDelay.get());
        o.put("total_relays", m.totalRelays.get());
        o.put("num_relays_no_msg_transport_after_delay", m.relaysNoMessageTransportAfterDelay.get());
        o.put("total_keyframes_received", m.keyframesReceived.get());
        o.put("total_layering_changes_received", m.layeringChangesReceived.get());
        o.put("total_video_stream_milliseconds_received", m.videoMillisecondsReceived.get());
        o.put("stress_level", m.stress.get());
        o.put("average_participant_stress", averageParticipantStress());
        o.put("num_eps_oversending", m.endpointsOversending.get().intValue());
        o.put("conferences", m.conferences.get());
        o.put("octo_conferences", m.conferencesWithRelay.get().intValue());
        o.put("inactive_conferences", m.conferencesInactive.get().intValue());
        o.put("p2p_conferences", m.conferencesP2p.get().intValue());
        o.put("endpoints", m.endpoints.get().intValue());
        o.put("visitors", m.currentVisitors.get());
        o.put("participants", m.endpoints.get().intValue());
        o.put("local_endpoints", m.localEndpoints.get().intValue());
        o.put("receive_only_endpoints", m.endpointsReceiveOnly.get().intValue());
        o.put("inactive_endpoints", m.endpointsInactive.get().intValue());
        o.put("octo_endpoints", m.endpointsRelayed.get().intValue());
        o.put("endpoints_sending_audio", m.endpointsSendingAudio.get().intValue());
        o.put("endpoints_sending_video", m.endpointsSendingVideo.get().intValue());
        o.put("videochannels", m.endpointsSendingVideo.get().intValue());
        o.put("largest_conference", m.largestConference.get().intValue());
        o.set("conference_sizes", sizes(conferences));
        o.set("conferences_by_audio_senders", sizes(conferences));
        o.set("conferences_by_video_senders", histogram(conferences.stream().mapToInt(SimConference::videoSenders).toArray()));
        o.put("threads", m.threadCount.get().intValue());
        o.put("graceful_shutdown", m.gracefulShutdown.get());
        if (m.shuttingDown.get()) {
            o.put("shutting_down", true);
        }
        o.put("drain", m.drainMode.get());
        o.put("total_data_channel_messages_received", m.dataChannelMessagesReceived.get());
        o.put("total_data_channel_messages_sent", m.dataChannelMessagesSent.get());
        o.put("total_colibri_web_socket_messages_received", m.colibriWebSocketMessagesReceived.get());
        o.put("total_colibri_web_socket_messages_sent", m.colibriWebSocketMessagesSent.get());
        o.put("total_bytes_received", m.bytesReceived.get());
        o.put("dtls_failed_endpoints", m.endpointsDtlsFailed.get());
        o.put("total_bytes_sent", m.bytesSent.get());
        o.put("total_packets_received", m.packetsReceived.get());
        o.put("total_packets_sent", m.packetsSent.get());
        o.put("colibri2", true);
        o.put("total_bytes_received_octo", m.relayBytesReceived.get());
        o.put("total_bytes_sent_octo", m.relayBytesSent.get());
        o.put("total_packets_received_octo", m.relayPacketsReceived.get());
        o.put("total_packets_sent_octo", m.relayPacketsSent.get());
        o.put("octo_receive_bitrate", (double) m.relayIncomingBitrate.get());
        o.put("octo_receive_packet_rate", m.relayIncomingPacketRate.get());
        o.put("octo_send_bitrate", (double) m.relayOutgoingBitrate.get());
        o.put("octo_send_packet_rate", m.relayOutgoingPacketRate.get());
        o.put("total_dominant_speaker_changes", m.dominantSpeakerChanges.get());
        o.put("endpoints_with_suspended_sources", m.endpointsWithSuspendedSources.get().intValue());
        o.put("current_timestamp", timestamp());
        o.put("muc_clients_configured", m.mucClientsConfigured.get().intValue());
        o.put("muc_clients_connected", m.mucClientsConnected.get().intValue());
        o.put("mucs_configured", m.mucsConfigured.get().intValue());
        o.put("mucs_joined", m.mucsJoined.get().intValue());
        o.put("preemptive_kfr_sent", m.preemptiveKeyframeRequestsSent.get());
        o.put("preemptive_kfr_suppressed", m.preemptiveKeyframeRequestsSuppressed.get());
        o.put("endpoints_with_spurious_remb", m.endpointsWithSpuriousRemb.get().intValue());
        o.put("healthy", m.healthy.get());
        o.put("endpoints_disconnected", m.endpointsDisconnected.get());
        o.put("endpoints_reconnected", m.endpointsReconnected.get());
        o.put("version", b.version);
        return o;
    }

    /** The old generation's mean jitter across local endpoints' incoming streams, in ms. */
    private static double jitterAggregate(List<SimConference> conferences) {
        return conferences.stream().filter(c -> c.participants() > 0).mapToDouble(SimConference::jitterMs).average()
                .orElse(0.0);
    }

    /** 22 buckets: conferences with 0..20 endpoints, the last one for 21 and more. */
    private static ArrayNode sizes(List<SimConference> conferences) {
        return histogram(conferences.stream().mapToInt(SimConference::participants).toArray());
    }

    /** 22 buckets: conferences with 0..20 of something (endpoints, video senders), the last one for 21 and more. */
    private static ArrayNode histogram(int[] perConference) {
        int[] buckets = new int[22];
        for (int n : perConference) {
            buckets[Math.min(21, n)]++;
        }
        ArrayNode a = JSON.arrayNode();
        for (int n : buckets) {
            a.add(n);
        }
        return a;
    }
}
