package io.jitsiops.alert.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.jitsiops.alert.evaluate.SortedLabels;
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
                [{"labels":{"instance":"a:9100","alertname":"Up","gone":null,"job":"node","job":"node2"},
                  "annotations":{"summary":"s","n":null,"description":"d","runbook":"r"},
                  "startsAt":"2026-11-29T22:00:00.123456789Z","endsAt":"2026-11-29T23:00:00+01:00",
                  "generatorURL":"http://prometheus/graph","status":{"state":"x","list":[1,{"a":2}]}},
                 {"labels":{"alertname":"Other"}}]""");
        assertThat(alerts).hasSize(2);
        PostableAlert first = alerts.get(0);
        // straight into the compact sorted form; a null label is left out (Alertmanager drops empty labels), a
        // repeated name keeps its last value (as a map did)
        assertThat(first.labels()).isInstanceOf(SortedLabels.class)
                .isEqualTo(Map.of("alertname", "Up", "instance", "a:9100", "job", "node2"));
        assertThat(first.labels().keySet()).containsExactly("alertname", "instance", "job");
        assertThat(first.summary()).isEqualTo("s");
        assertThat(first.description()).isEqualTo("d");
        assertThat(first.startsAt()).isEqualTo(Instant.parse("2026-11-29T22:00:00.123456789Z"));
        assertThat(first.endsAt()).isEqualTo(Instant.parse("2026-11-29T22:00:00Z"));
        assertThat(first.generatorURL()).isEqualTo("http://prometheus/graph");
        PostableAlert second = alerts.get(1);
        assertThat(second.summary()).isNull();
        assertThat(second.description()).isNull();
        assertThat(second.startsAt()).isNull();
        assertThat(second.endsAt()).isNull();
    }

    @Test
    void readsNumericTimesAsEpochSecondsAsTheDatabindDid() {
        assertThat(parse("[{\"labels\":{\"a\":\"b\"},\"endsAt\":1764450000.5}]").get(0).endsAt())
                .isEqualTo(Instant.ofEpochSecond(1764450000L, 500_000_000));
    }

    @Test
    void labelValuesRepeatedAcrossAlertsAreOneStringEachManyLabelsToo() {
        StringBuilder many = new StringBuilder("{");
        for (int i = 40; i > 0; i--) { // more than the scratch array holds at first, in reverse order
            many.append(i < 40 ? "," : "").append("\"l").append(String.format("%02d", i)).append("\":\"v").append(i).append('"');
        }
        List<PostableAlert> alerts = parse("[{\"labels\":{\"alertname\":\"A\",\"job\":\"node\"}},"
                + "{\"labels\":{\"job\":\"node\",\"alertname\":\"A\"}},{\"labels\":" + many + "}}]");
        assertThat(alerts.get(0).labels().get("job")).isSameAs(alerts.get(1).labels().get("job"));
        assertThat(alerts.get(0).labels()).isEqualTo(alerts.get(1).labels());
        assertThat(alerts.get(2).labels()).hasSize(40).containsEntry("l07", "v7");
        assertThat(List.copyOf(alerts.get(2).labels().keySet())).isSorted();
        assertThat(parse("[{\"labels\":{}}]").get(0).labels()).isEmpty();
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
