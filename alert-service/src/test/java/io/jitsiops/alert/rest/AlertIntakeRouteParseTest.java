package io.jitsiops.alert.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.jitsiops.alert.service.ExternalAlertIntake.PostableAlert;
import io.vertx.core.buffer.Buffer;

/** The v2 route's streaming read of Alertmanager's postableAlerts (what the REST method's databind read before). */
class AlertIntakeRouteParseTest {
    private static List<PostableAlert> parse(String json) {
        return AlertIntakeRoute.parse(Buffer.buffer(json));
    }

    @Test
    void readsEveryFieldOfAPostableAlertAndIgnoresUnknownOnes() {
        List<PostableAlert> alerts = parse("""
                [{"labels":{"alertname":"Up","instance":"a:9100"},"annotations":{"summary":"s","n":null},
                  "startsAt":"2026-11-29T22:00:00.123456789Z","endsAt":"2026-11-29T23:00:00+01:00",
                  "generatorURL":"http://prometheus/graph","status":{"state":"x","list":[1,{"a":2}]}},
                 {"labels":{"alertname":"Other"}}]""");
        assertThat(alerts).hasSize(2);
        PostableAlert first = alerts.get(0);
        assertThat(first.labels()).isEqualTo(Map.of("alertname", "Up", "instance", "a:9100"));
        assertThat(first.annotations()).containsEntry("summary", "s").containsEntry("n", null);
        assertThat(first.startsAt()).isEqualTo(Instant.parse("2026-11-29T22:00:00.123456789Z"));
        assertThat(first.endsAt()).isEqualTo(Instant.parse("2026-11-29T22:00:00Z"));
        assertThat(first.generatorURL()).isEqualTo("http://prometheus/graph");
        PostableAlert second = alerts.get(1);
        assertThat(second.annotations()).isNull();
        assertThat(second.startsAt()).isNull();
        assertThat(second.endsAt()).isNull();
    }

    @Test
    void readsNumericTimesAsEpochSecondsAsTheDatabindDid() {
        assertThat(parse("[{\"labels\":{\"a\":\"b\"},\"endsAt\":1764450000.5}]").get(0).endsAt())
                .isEqualTo(Instant.ofEpochSecond(1764450000L, 500_000_000));
    }

    @Test
    void anEmptyArrayIsNoAlerts() {
        assertThat(parse("[]")).isEmpty();
    }

    @Test
    void refusesWhatIsNotAnArrayOfAlertObjectsNamingWhy() {
        assertThatThrownBy(() -> parse("")).hasMessageContaining("JSON array");
        assertThatThrownBy(() -> parse("null")).hasMessageContaining("JSON array");
        assertThatThrownBy(() -> parse("{\"labels\":{}}")).hasMessageContaining("JSON array");
        assertThatThrownBy(() -> parse("[null]")).hasMessageContaining("without labels");
        assertThatThrownBy(() -> parse("[1]")).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> parse("[{\"labels\":[\"a\"]}]")).hasMessageContaining("labels");
        assertThatThrownBy(() -> parse("[{\"labels\":{\"a\":{\"b\":1}}}]")).hasMessageContaining("labels");
        assertThatThrownBy(() -> parse("[{\"labels\":{\"a\":\"b\"},\"endsAt\":\"soon\"}]")).hasMessageContaining("endsAt");
        assertThatThrownBy(() -> parse("[{\"labels\":{\"a\":\"b\"}")).hasMessageContaining("malformed JSON");
    }
}
