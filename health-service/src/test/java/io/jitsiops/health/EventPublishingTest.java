package io.jitsiops.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.jitsiops.events.CloudEvent;
import io.jitsiops.events.EventCodec;
import io.jitsiops.events.EventPayload;
import io.jitsiops.events.Topics;
import io.jitsiops.events.kafka.EventPublisher;
import io.jitsiops.events.payload.HealthCheckResult;
import io.jitsiops.events.payload.HealthStatus;
import io.jitsiops.testkit.JitsiOpsTestResource;
import io.jitsiops.testkit.KafkaRecords;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(JitsiOpsTestResource.class)
class EventPublishingTest {
    @Inject
    EventPublisher publisher;

    @Test
    void publishesACloudEventToItsTopicKeyedBySubjectWithThisServiceAsSource() {
        HealthCheckResult result = new HealthCheckResult("prosody", "prosody", "bosh-session", HealthStatus.UP, 23L, null,
                Map.of(), Instant.now());
        CloudEvent<EventPayload> sent = publisher.publish(result).await().atMost(Duration.ofSeconds(30));

        ConsumerRecord<String, byte[]> record = firstWithId(sent.id());
        CloudEvent<EventPayload> read = new EventCodec().decode(record.value());
        assertThat(read).isEqualTo(sent);
        assertThat(record.key()).isEqualTo("prosody/prosody");
        assertThat(read.source()).isEqualTo("/jitsi-ops/health-service");
    }

    private static ConsumerRecord<String, byte[]> firstWithId(String id) {
        return KafkaRecords.first(Topics.HEALTH, r -> new String(r.value()).contains(id));
    }
}
