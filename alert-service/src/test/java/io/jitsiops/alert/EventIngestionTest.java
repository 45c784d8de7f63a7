package io.jitsiops.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.jitsiops.alert.notify.Alert;
import io.jitsiops.alert.repository.AlertRepository;
import io.jitsiops.events.CloudEvent;
import io.jitsiops.events.DeadLetters;
import io.jitsiops.events.EventCodec;
import io.jitsiops.events.Topics;
import io.jitsiops.events.payload.HealthStatusChanged;
import io.jitsiops.events.payload.HealthStatus;
import io.jitsiops.testkit.JitsiOpsTestResource;
import io.jitsiops.testkit.KafkaRecords;
import io.jitsiops.testkit.SmtpTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(JitsiOpsTestResource.class)
@QuarkusTestResource(SmtpTestResource.class)
@QuarkusTestResource(AlertTestResource.class)
class EventIngestionTest {
    private static final EventCodec CODEC = new EventCodec();
    private static KafkaProducer<String, byte[]> producer;

    @Inject
    AlertRepository repository;

    @BeforeAll
    static void producer() {
        producer = KafkaRecords.producer();
    }

    @AfterAll
    static void close() {
        producer.close();
    }

    @Test
    void anEventDeliveredTwiceChangesTheAlertOnce() throws Exception {
        CloudEvent<HealthStatusChanged> event = CloudEvent.of("/jitsi-ops/health-service", new HealthStatusChanged("ingest",
                "twice-1", HealthStatus.UP, HealthStatus.DOWN, "timeout", Instant.now()));
        byte[] bytes = CODEC.encode(event);
        send(Topics.HEALTH, event.subject(), bytes);
        send(Topics.HEALTH, event.subject(), bytes); // a redelivery, as after a producer retry or a consumer restart

        await().atMost(Duration.ofSeconds(30)).until(() -> alerts("twice-1").size() == 2); // DOWN and DEGRADED rules
        Thread.sleep(1000); // give the second copy time to arrive: it must not add a change
        for (Alert a : alerts("twice-1")) {
            assertThat(repository.history(a.fingerprint()).await().atMost(Duration.ofSeconds(5)))
                    .singleElement().satisfies(h -> assertThat(h.eventId()).isEqualTo(event.id()));
        }
    }

    @Test
    void deadLettersMalformedRecordsWithTheirReasonAndOriginalBytesAndKeepsConsuming() throws Exception {
        String marker = UUID.randomUUID().toString();
        Map<String, String> badRecords = Map.of(
                "not JSON", "garbage " + marker,
                "unknown event type", "{\"specversion\":\"1.0\",\"id\":\"" + marker + "-v9\",\"source\":\"/x\","
                        + "\"type\":\"io.jitsiops.health.check-result.v9\",\"data\":{}}",
                "unsupported CloudEvents specversion", "{\"specversion\":\"0.3\",\"id\":\"" + marker + "\",\"source\":\"/x\","
                        + "\"type\":\"io.jitsiops.health.check-result.v1\",\"data\":{}}",
                "data does not match", "{\"specversion\":\"1.0\",\"id\":\"" + marker + "-d\",\"source\":\"/x\","
                        + "\"type\":\"io.jitsiops.health.check-result.v1\",\"data\":{\"component\":\"jvb\"}}");
        for (String value : badRecords.values()) {
            send(Topics.HEALTH, "jvb/jvb-1", value.getBytes(StandardCharsets.UTF_8));
        }
        CloudEvent<HealthStatusChanged> after = CloudEvent.of("/jitsi-ops/health-service", new HealthStatusChanged("ingest",
                "after-dlq-" + marker, HealthStatus.UP, HealthStatus.DOWN, "timeout", Instant.now()));
        send(Topics.HEALTH, after.subject(), CODEC.encode(after));

        List<ConsumerRecord<String, byte[]>> dead = KafkaRecords.collect(List.of(Topics.DEAD_LETTER),
                r -> new String(r.value(), StandardCharsets.UTF_8).contains(marker), badRecords.size(), Duration.ofSeconds(60));
        assertThat(dead).hasSize(badRecords.size());
        for (Map.Entry<String, String> bad : badRecords.entrySet()) {
            ConsumerRecord<String, byte[]> r = dead.stream()
                    .filter(d -> new String(d.value(), StandardCharsets.UTF_8).equals(bad.getValue())).findFirst()
                    .orElseThrow(() -> new AssertionError("not dead-lettered intact: " + bad.getValue()));
            assertThat(header(r, DeadLetters.REASON).orElse("")).as("reason for " + bad.getKey()).contains(bad.getKey());
            assertThat(header(r, DeadLetters.TOPIC).orElse("")).isEqualTo(Topics.HEALTH);
            assertThat(r.key()).isEqualTo("jvb/jvb-1");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> !alerts("after-dlq-" + marker).isEmpty());
    }

    private List<Alert> alerts(String target) {
        return repository.find(new AlertRepository.Filter(null, null, Map.of("target", target), 10, false)).await()
                .atMost(Duration.ofSeconds(5));
    }

    private static void send(String topic, String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get();
    }

    private static Optional<String> header(ConsumerRecord<String, byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? Optional.empty() : Optional.of(new String(h.value(), StandardCharsets.UTF_8));
    }
}
