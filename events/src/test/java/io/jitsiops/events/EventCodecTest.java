package io.jitsiops.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class EventCodecTest {
    private final EventCodec codec = new EventCodec();

    @Test
    void everyEventTypeSurvivesARoundTripIntact() {
        for (EventPayload payload : SampleEvents.oneOfEachType()) {
            CloudEvent<EventPayload> event = CloudEvent.of("/jitsi-ops/test", payload);
            CloudEvent<EventPayload> back = codec.decode(codec.encode(event));
            assertThat(back).isEqualTo(event);
        }
        assertThat(SampleEvents.oneOfEachType()).extracting(EventType::of)
                .containsExactlyInAnyOrder(EventType.values());
    }

    @Test
    void writesAStructuredModeCloudEventWhoseSubjectIsThePayloadSubject() throws Exception {
        EventPayload payload = SampleEvents.oneOfEachType().get(0);
        JsonNode json = codec.mapper().readTree(codec.encode(CloudEvent.of("/jitsi-ops/health-service", payload)));
        assertThat(json.get("specversion").asText()).isEqualTo("1.0");
        assertThat(json.get("type").asText()).isEqualTo("io.jitsiops.health.check-result.v1");
        assertThat(json.get("source").asText()).isEqualTo("/jitsi-ops/health-service");
        assertThat(json.get("subject").asText()).isEqualTo("jvb/jvb-1");
        assertThat(json.get("datacontenttype").asText()).isEqualTo("application/json");
        assertThat(json.get("time").asText()).matches("\\d{4}-\\d{2}-\\d{2}T.*Z");
        assertThat(json.get("data").get("status").asText()).isEqualTo("DOWN");
    }

    @Test
    void readsAnEventWhoseDataComesFirstAsItReadsOneWithDataLast() throws Exception {
        // another producer may write the attributes in any order; the one-pass reading takes only type-then-data
        for (EventPayload payload : SampleEvents.oneOfEachType()) {
            CloudEvent<EventPayload> event = CloudEvent.of("/jitsi-ops/test", payload);
            com.fasterxml.jackson.databind.node.ObjectNode written =
                    (com.fasterxml.jackson.databind.node.ObjectNode) codec.mapper().readTree(codec.encode(event));
            com.fasterxml.jackson.databind.node.ObjectNode dataFirst = codec.mapper().createObjectNode();
            dataFirst.set("data", written.get("data"));
            written.fields().forEachRemaining(f -> dataFirst.putIfAbsent(f.getKey(), f.getValue()));
            assertThat(codec.decode(codec.mapper().writeValueAsBytes(dataFirst))).isEqualTo(event);
        }
    }

    @Test
    void aRepeatedAttributeCountsWithItsLastValueWhicheverWayItIsRead() {
        String json = """
                {"specversion":"1.0","id":"first","id":"second","source":"/x","type":"io.jitsiops.health.status-changed.v1",
                 "data":{"component":"prosody","target":"prosody","previous":"UP","current":"DOWN","error":"refused",
                 "since":"2026-11-28T21:06:56Z"}}""";
        assertThat(codec.decode(json.getBytes(StandardCharsets.UTF_8)).id()).isEqualTo("second");
    }

    @Test
    void toleratesFieldsItDoesNotKnowForForwardCompatibility() {
        String json = """
                {"specversion":"1.0","id":"e1","source":"/x","type":"io.jitsiops.health.status-changed.v1",
                 "subject":"prosody/prosody","time":"2026-11-28T21:06:56Z","datacontenttype":"application/json",
                 "someextension":"kept-out","data":{"component":"prosody","target":"prosody","previous":"UP",
                 "current":"DOWN","error":"refused","since":"2026-11-28T21:06:56Z","addedInALaterMinor":42}}""";
        CloudEvent<EventPayload> event = codec.decode(json.getBytes(StandardCharsets.UTF_8));
        assertThat(event.eventType()).isEqualTo(EventType.HEALTH_STATUS_CHANGED);
        assertThat(event.subject()).isEqualTo("prosody/prosody");
    }

    @Test
    void rejectsEachKindOfMalformedRecordWithAReasonAnOperatorCanRead() {
        assertReason("", "empty record value");
        assertReason("not json at all", "not JSON");
        assertReason("[1,2]", "not a JSON object");
        assertReason("{\"specversion\":\"0.3\",\"id\":\"1\",\"source\":\"/x\",\"type\":\"t\",\"data\":{}}",
                "unsupported CloudEvents specversion '0.3'");
        assertReason("{\"specversion\":\"1.0\",\"source\":\"/x\",\"type\":\"t\",\"data\":{}}",
                "required attribute 'id'");
        assertReason("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/x\",\"type\":\"io.jitsiops.health.check-result.v2\",\"data\":{}}",
                "unknown event type 'io.jitsiops.health.check-result.v2'");
        assertReason("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/x\",\"type\":\"io.jitsiops.health.check-result.v1\"}",
                "'data' is missing");
        assertReason("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/x\",\"type\":\"io.jitsiops.health.check-result.v1\","
                + "\"data\":{\"component\":\"jvb\"}}", "data does not match io.jitsiops.health.check-result.v1");
        assertReason("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/x\",\"type\":\"io.jitsiops.health.check-result.v1\","
                + "\"datacontenttype\":\"application/xml\",\"data\":{}}", "unsupported datacontenttype");
    }

    @Test
    void typeVersionsAreUniqueAndEndInAVersion() {
        assertThat(Arrays.stream(EventType.values()).map(EventType::type)).doesNotHaveDuplicates()
                .allMatch(t -> t.matches("io\\.jitsiops\\.[a-z]+\\.[a-z-]+\\.v\\d+"));
        assertThat(Arrays.stream(EventType.values()).map(EventType::topic)).allMatch(Topics.EVENT_TOPICS::contains);
    }

    private void assertReason(String value, String reason) {
        assertThatThrownBy(() -> codec.decode(value.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining(reason);
    }
}
