package io.jitsiops.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;

import io.jitsiops.events.kafka.KafkaEventMessages;
import io.jitsiops.testkit.KafkaRecords;


/** The contract on a real Kafka broker (started by the test kit as a local process). */
class EventsThroughKafkaTest {
    private final EventCodec codec = new EventCodec();

    @Test
    void anEventOfEachTypeSentAsItsContractRecordIsReadBackIntactKeyedBySubjectOnItsTypesTopic() throws Exception {
        List<CloudEvent<EventPayload>> sent = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = KafkaRecords.producer()) {
            for (EventPayload payload : SampleEvents.oneOfEachType()) {
                CloudEvent<EventPayload> event = CloudEvent.of("/jitsi-ops/test", payload);
                producer.send(KafkaEventMessages.toRecord(codec, event)).get();
                sent.add(event);
            }
        }
        List<String> ids = sent.stream().map(CloudEvent::id).toList();
        List<ConsumerRecord<String, byte[]>> received = KafkaRecords.collect(Topics.EVENT_TOPICS,
                r -> ids.contains(codec.decode(r.value()).id()), sent.size(), Duration.ofSeconds(60));
        List<CloudEvent<EventPayload>> decoded = received.stream().map(r -> codec.decode(r.value())).toList();
        assertThat(decoded).containsExactlyInAnyOrderElementsOf(sent);
        for (ConsumerRecord<String, byte[]> r : received) {
            CloudEvent<EventPayload> e = codec.decode(r.value());
            assertThat(r.key()).isEqualTo(e.subject());
            assertThat(r.topic()).isEqualTo(e.eventType().topic());
        }
    }
}
