package io.jitsiops.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.jitsiops.events.payload.AlertSeverity;
import io.jitsiops.events.payload.AlertState;
import io.jitsiops.events.payload.AlertStateChanged;
import io.jitsiops.events.payload.BackupLifecycle;
import io.jitsiops.events.payload.BackupPhase;
import io.jitsiops.events.payload.ComponentMetricSample;
import io.jitsiops.events.payload.ConferenceQualitySample;
import io.jitsiops.events.payload.HealthCheckResult;
import io.jitsiops.events.payload.HealthStatus;
import io.jitsiops.events.payload.HealthStatusChanged;
import io.jitsiops.events.payload.LogErrorEntry;
import io.jitsiops.events.payload.LogWindowAggregate;
import io.jitsiops.events.payload.PrometheusAlertsPosted;

/** One realistic payload of every event type. */
final class SampleEvents {
    static final Instant AT = Instant.parse("2026-11-28T21:06:56.123Z");

    static List<EventPayload> oneOfEachType() {
        return List.of(
                new HealthCheckResult("jvb", "jvb-1", "about-health", HealthStatus.DOWN, 5003L,
                        "HTTP 500: Health check failed", Map.of("http.status", 500.0), AT),
                new HealthStatusChanged("prosody", "prosody", HealthStatus.UP, HealthStatus.DOWN, "connection refused", AT),
                new ComponentMetricSample("jvb", "jvb-1", AT, Map.of("conferences", 2.0, "stress_level", 0.035)),
                new ConferenceQualitySample("a1b2c3", "room-1@conference.meet.jitsi", "jvb-1", 4, 1750.5, 29.7, 1280, 720,
                        0.4, 9.2, AT),
                new LogErrorEntry("jicofo", "/var/log/jitsi/jicofo.log", 4096L, AT, "SEVERE",
                        "ColibriV2SessionManager.allocate#214", "Failed to allocate channels on jvb-1", "bridge-allocation",
                        "org.jivesoftware.smack.SmackException$NoResponseException: No response\n\tat x.y(Z.java:1)\n"),
                new LogWindowAggregate("jvb", AT.minusSeconds(60), AT, 1200, 12, 30, Map.of("ice-failure", 12L), 1.0),
                new BackupLifecycle("20261128T020000Z-daily", BackupPhase.COMPLETED, "daily",
                        List.of("configurations", "certificates", "db:prosody"), "s3://jitsi-backups/prod/x.tar.gz",
                        123456L, "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", null, null, AT),
                new AlertStateChanged("3f2a", "video.packet_loss", AlertSeverity.CRITICAL, AlertState.FIRING,
                        Map.of("conference", "a1b2c3", "bridge", "jvb-1"), "Packet loss 12% above 10% for 1m", 12.0, 10.0,
                        AT, null),
                new PrometheusAlertsPosted(2, AT, List.of(new PrometheusAlertsPosted.Alert("8c5b1f0e2a7d4c39",
                        Map.of("alertname", "JvbDown", "instance", "jvb-1:8080", "severity", "critical"), "JVB jvb-1 is down",
                        null, AT.minusSeconds(60), null, "http://prometheus:9090/graph?g0.expr=up%3D%3D0"))));
    }

    private SampleEvents() {
    }
}
