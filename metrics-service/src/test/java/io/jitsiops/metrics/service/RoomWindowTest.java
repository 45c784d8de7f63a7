package io.jitsiops.metrics.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.jitsiops.metrics.config.MetricsConfig;
import io.jitsiops.metrics.quality.ClientSampleReader;
import io.jitsiops.metrics.quality.ConferenceQuality;
import io.jitsiops.metrics.quality.QualityRules;
import io.jitsiops.metrics.quality.VideoSample;

/**
 * A room's browser samples summed up as ConferenceQuality.of sums up a bridge's endpoints: a muted camera (reported as
 * 0 kbps, the only way a browser sample can say it) is no video sender. The samples are written here in the format
 * POST /api/video-metrics takes and read by its reader; they are not recorded browser statistics.
 */
class RoomWindowTest {
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    private static ConferenceQuality window(String... samples) {
        String body = "{\"samples\":[" + String.join(",", samples) + "]}";
        ClientSampleReader.Batch batch = ClientSampleReader.read(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), 100, NOW);
        assertThat(batch.rejected()).isEmpty();
        QualityPipeline.RoomWindow w = new QualityPipeline.RoomWindow("standup");
        for (VideoSample s : batch.accepted()) {
            w.add(s);
        }
        return new QualityRules(limits()).judge(w.quality(NOW));
    }

    private static String sender(String participant, double kbps, double fps, String resolution, double jitter) {
        return "{\"room\":\"standup\",\"participant\":\"" + participant + "\",\"direction\":\"send\",\"bitrateKbps\":" + kbps
                + ",\"fps\":" + fps + ",\"resolution\":\"" + resolution + "\",\"packetLossPercent\":0.5,\"jitterMs\":" + jitter + "}";
    }

    /** A muted camera: bytesSent stands still (0 kbps), no frames encoded (fps 0, as some clients report it). */
    private static String muted(String participant) {
        return "{\"room\":\"standup\",\"participant\":\"" + participant + "\",\"direction\":\"send\",\"bitrateKbps\":0,\"fps\":0,"
                + "\"packetLossPercent\":0,\"jitterMs\":2}";
    }

    private static MetricsConfig.Quality limits() {
        return io.jitsiops.metrics.quality.BridgeDebugQualityTest.limits();
    }

    @Test
    void aMutedBrowserCameraDoesNotLowerTheRoomsBitrateOrFrameRate() {
        ConferenceQuality q = window(sender("a", 900, 30, "1280x720", 4), muted("b"), muted("c"));
        assertThat(q.bitrateKbps()).isEqualTo(900.0); // was 300.0
        assertThat(q.framesPerSecond()).isEqualTo(30.0); // was 10.0
        assertThat(q.frameHeight()).isEqualTo(720);
        assertThat(q.streams()).isEqualTo(3);
        assertThat(q.jitterMs()).isEqualTo(8.0 / 3, org.assertj.core.api.Assertions.within(1e-9)); // every sample has jitter
        assertThat(q.degraded()).isFalse();
    }

    @Test
    void aRoomWhereEveryBrowserCameraIsMutedIsNotDegradedOnBitrate() {
        ConferenceQuality q = window(muted("b"), muted("c"));
        assertThat(q.bitrateKbps()).isNaN();
        assertThat(q.framesPerSecond()).isNaN();
        assertThat(q.degraded()).isFalse();
        assertThat(q.toEvent().bitrateKbps()).isEqualTo(0.0);
    }

    @Test
    void aBrowserSenderAtLowBitrateStillMakesTheRoomDegraded() {
        ConferenceQuality q = window(sender("a", 60, 12, "320x180", 4), muted("b"));
        assertThat(q.bitrateKbps()).isEqualTo(60.0);
        assertThat(q.reasons()).containsExactly("bitrate_kbps 60.0 < 150");
    }
}
