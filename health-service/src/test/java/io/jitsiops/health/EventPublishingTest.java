package io.jitsiops.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import io.jitsiops.events.CloudEvent;
import io.jitsiops.events.EventCodec;
import io.jitsiops.events.EventPayload;
import io.jitsiops.events.Topics;
import io.jitsiops.events.kafka.EventPublisher;
import io.jitsiops.events.payload.HealthCheckResult;
import io.jitsiops.events.payload.HealthStatus;
import io.jitsiops.testkit.JitsiOpsTestResource;
import io.jitsiops.testkit.LocalServers;
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
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalServers.kafka().bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "publish-test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(Topics.HEALTH));
            Instant deadline = Instant.now().plusSeconds(30);
            while (Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (new String(r.value()).contains(id)) {
                        return r;
                    }
                }
            }
        }
        throw new AssertionError("event " + id + " not found on " + Topics.HEALTH);
    }
}
