package io.jitsiops.alert.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.jitsiops.events.CloudEvent;
import io.jitsiops.events.EventCodec;
import io.jitsiops.events.EventPayload;
import io.jitsiops.events.Topics;
import io.jitsiops.events.payload.AlertSeverity;
import io.jitsiops.events.payload.AlertState;
import io.jitsiops.events.payload.AlertStateChanged;
import io.jitsiops.testkit.KafkaRecords;
import io.jitsiops.testkit.LocalServers;
import io.jitsiops.testkit.server.KafkaServer;

/** The alert-change publisher on the test kit's real Kafka broker, which one test stops and starts again. */
class AlertChangePublisherTest {
    private static final EventCodec CODEC = new EventCodec();
    private AlertChangePublisher publisher;

    @AfterEach
    void stop() {
        if (publisher != null) {
            publisher.stop();
        }
    }

    @Test
    void publishesEachChangeOnTheAlertsTopicKeyedByItsAlertInTheOrderGivenAndCompletesOnceKafkaTookThemAll() {
        publisher = new AlertChangePublisher(Map.of("bootstrap.servers", LocalServers.kafka().bootstrapServers()),
                "/jitsi-ops/test");
        String fingerprint = "order-" + UUID.randomUUID();
        List<CloudEvent<EventPayload>> events = new ArrayList<>();
        for (AlertState state : List.of(AlertState.PENDING, AlertState.FIRING, AlertState.RESOLVED)) {
            events.add(publisher.envelope(change(fingerprint, state)));
        }
        publisher.publish(events.subList(0, 2)).await().atMost(Duration.ofSeconds(30));
        publisher.publish(events.subList(2, 3)).await().atMost(Duration.ofSeconds(30));

        List<ConsumerRecord<String, byte[]>> read = KafkaRecords.collect(List.of(Topics.ALERTS),
                r -> r.key().equals("alert/" + fingerprint), 3, Duration.ofSeconds(30));
        assertThat(read).extracting(ConsumerRecord::key).containsOnly("alert/" + fingerprint);
        assertThat(read.stream().map(r -> CODEC.decode(r.value())).toList()).containsExactlyElementsOf(events);
    }

    @Test
    void aChangeKafkaCouldNotTakeWhileItWasAwayIsSentAgainWithItsIdOnceKafkaIsBack()
            throws Exception {
        KafkaServer kafka = LocalServers.kafka();
        // the producer gives a record up after 3 s (Kafka's default is 2 minutes), or after 1 s waiting for the
        // topic's metadata: the publisher's own resend is what brings these changes to Kafka
        publisher = new AlertChangePublisher(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                "delivery.timeout.ms", 3000, "request.timeout.ms", 1000, "max.block.ms", 1000), "/jitsi-ops/test");
        String fingerprint = "away-" + UUID.randomUUID();
        publisher.publish(List.of(publisher.envelope(change(fingerprint, AlertState.PENDING)))).await()
                .atMost(Duration.ofSeconds(30)); // the topic's metadata is known from here on
        List<CloudEvent<EventPayload>> away = List.of(publisher.envelope(change(fingerprint, AlertState.FIRING)),
                publisher.envelope(change(fingerprint, AlertState.RESOLVED)));
        CompletableFuture<Void> published;
        kafka.stop();
        try {
            published = publisher.publish(away).subscribeAsCompletionStage();
            TimeUnit.SECONDS.sleep(7); // given up by the producer more than once meanwhile
            assertThat(published).isNotDone();
        } finally {
            kafka.start();
        }
        published.get(60, TimeUnit.SECONDS);

        // each change in order, by its first record (one whose acknowledgement was lost as Kafka came back is sent
        // again: at least once, never reordered)
        Set<String> ids = Set.of(away.get(0).id(), away.get(1).id());
        Set<String> seen = ConcurrentHashMap.newKeySet();
        List<ConsumerRecord<String, byte[]>> read = KafkaRecords.collect(List.of(Topics.ALERTS), r -> {
            String id = CODEC.decode(r.value()).id();
            return r.key().equals("alert/" + fingerprint) && ids.contains(id) && seen.add(id);
        }, 2, Duration.ofSeconds(30));
        assertThat(read.stream().map(r -> CODEC.decode(r.value())).toList()).containsExactlyElementsOf(away);
    }

    private static AlertStateChanged change(String fingerprint, AlertState state) {
        return new AlertStateChanged(fingerprint, "PublisherTest", AlertSeverity.WARNING, state, Map.of("target", "t1"),
                "publisher test", 1.0, 0.5, Instant.parse("2026-11-30T12:00:00Z"),
                state == AlertState.RESOLVED ? Instant.parse("2026-11-30T12:05:00Z") : null);
    }
}
