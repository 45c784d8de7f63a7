package io.jitsiops.metrics.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class ClientSampleReaderTest {
    private static final Instant NOW = Instant.parse("2026-11-29T08:00:00Z");

    private static ClientSampleReader.Batch read(String json) {
        return ClientSampleReader.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), 100, NOW);
    }

    private static String good(String extra) {
        return "{\"room\":\"standup\",\"participant\":\"p1\",\"direction\":\"send\",\"bitrateKbps\":900,\"packetLossPercent\":0.5,"
                + "\"jitterMs\":4" + extra + "}";
    }

    @Test
    void keepsTheGoodSamplesAndNamesFieldAndReasonOfEachBadOne() {
        var batch = read("{\"samples\":[" + String.join(",",
                good(",\"fps\":30,\"resolution\":\"1280x720\",\"rttMs\":40,\"timestamp\":\"2026-11-29T07:59:58Z\""),
                good(",\"fps\":-1"),
                good(",\"resolution\":\"big\""),
                "{\"room\":\"standup\",\"participant\":\"p2\",\"direction\":\"sideways\",\"bitrateKbps\":1,\"packetLossPercent\":0,\"jitterMs\":0}",
                "{\"room\":\"standup\",\"participant\":\"p3\",\"direction\":\"send\",\"packetLossPercent\":0,\"jitterMs\":0}",
                good(",\"packetLossPercent\":101").replace("\"packetLossPercent\":0.5,", ""),
                good(",\"colour\":\"blue\""),
                good(",\"timestamp\":\"2030-01-01T00:00:00Z\""),
                "42",
                good("")) + "]}");
        assertThat(batch.accepted()).hasSize(2);
        VideoSample s = batch.accepted().get(0);
        assertThat(s.frameWidth()).isEqualTo(1280);
        assertThat(s.frameHeight()).isEqualTo(720);
        assertThat(s.sampledAt()).isEqualTo(Instant.parse("2026-11-29T07:59:58Z"));
        assertThat(s.source()).isEqualTo("client");
        assertThat(batch.accepted().get(1).framesPerSecond()).isNaN();
        assertThat(batch.rejected()).extracting(ClientSampleReader.Rejected::index).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(batch.rejected()).extracting(ClientSampleReader.Rejected::field)
                .containsExactly("fps", "resolution", "direction", "bitrateKbps", "packetLossPercent", "colour", "timestamp", "(sample)");
        assertThat(batch.rejected().get(0).reason()).isEqualTo("must be within 0..240, got -1");
        assertThat(batch.rejected().get(2).reason()).contains("\"send\" or \"receive\"");
        assertThat(batch.rejected().get(3).reason()).isEqualTo("is required");
        assertThat(batch.rejected().get(5).reason()).isEqualTo("unknown field");
    }

    @Test
    void refusesABodyThatIsNotABatch() {
        assertThatThrownBy(() -> read("[1,2]")).hasMessageContaining("must be a JSON object");
        assertThatThrownBy(() -> read("{\"samples\": 3}")).hasMessageContaining("must be an array");
        assertThatThrownBy(() -> read("{\"sample\": []}")).hasMessageContaining("unknown field 'sample'");
        assertThatThrownBy(() -> read("{\"samples\": [")).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> read("{}")).hasMessageContaining("missing \"samples\"");
        StringBuilder many = new StringBuilder("{\"samples\":[");
        for (int i = 0; i < 101; i++) {
            many.append(i == 0 ? "" : ",").append(good(""));
        }
        assertThatThrownBy(() -> read(many + "]}")).hasMessageContaining("more than 100 samples");
    }
}
