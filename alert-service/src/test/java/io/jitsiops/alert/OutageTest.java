package io.jitsiops.alert;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import io.jitsiops.alert.evaluate.Fingerprints;
import io.jitsiops.alert.service.AlertEngine;
import io.jitsiops.alert.service.ExternalAlertIntake;
import io.jitsiops.alert.service.OwnedPartitions;
import io.jitsiops.alert.service.PostedAlertRouter;
import io.jitsiops.events.CloudEvent;
import io.jitsiops.events.EventCodec;
import io.jitsiops.events.Topics;
import io.jitsiops.events.payload.HealthStatus;
import io.jitsiops.events.payload.HealthStatusChanged;
import io.jitsiops.events.payload.PrometheusAlertsPosted;
import io.jitsiops.testkit.JitsiOpsTestResource;
import io.jitsiops.testkit.KafkaRecords;
import io.jitsiops.testkit.LocalServers;
import io.jitsiops.testkit.SmtpTestResource;
import io.jitsiops.testkit.server.PostgresServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** PostgreSQL away: consumption waits without committing, the service stays alive, and nothing is lost. */
@QuarkusTest
@QuarkusTestResource(JitsiOpsTestResource.class)
@QuarkusTestResource(SmtpTestResource.class)
@QuarkusTestResource(AlertTestResource.class)
class OutageTest {
    @Inject
    AlertEngine engine;

    @Inject
    @io.smallrye.common.annotation.Identifier("alert-partition-ownership")
    io.jitsiops.alert.service.PartitionOwnership ownership;

    @Inject
    ExternalAlertIntake intake;

    @Inject
    PostedAlertRouter router;

    @Test
    void consumptionPausesWithoutCommittingWhilePostgresqlIsAwayAndTheAlertIsNotifiedWhenItReturns() throws Exception {
        AlertTestResource.wireMock.stubFor(post(urlEqualTo(AlertTestResource.WEBHOOK_PATH)).willReturn(aResponse().withStatus(200)));
        PostgresServer postgres = LocalServers.postgres();
        CloudEvent<HealthStatusChanged> event = CloudEvent.of("/jitsi-ops/health-service", new HealthStatusChanged("hook",
                "pg-outage-1", HealthStatus.UP, HealthStatus.DOWN, "timeout", Instant.now()));
        RecordMetadata sent;
        postgres.stop();
        try (KafkaProducer<String, byte[]> producer = KafkaRecords.producer()) {
            sent = producer.send(new ProducerRecord<>(event.eventType().topic(), event.subject(), new EventCodec().encode(event))).get();
            // the poll waits: for its effects to be written, or (PostgreSQL away at the consumer's first assignment,
            // as when this test runs first) for the partitions' persisted state to be adopted
            await().atMost(Duration.ofSeconds(30)).until(() -> engine.lastPersistError() != null || ownership.awaitingAdoption());
            given().get("/q/health/live").then().statusCode(200);
            Thread.sleep(6000); // longer than the consumer's commit interval: an offset past the event must not appear
            assertThat(committed(sent)).as("committed offset while the effects are not durable").isLessThanOrEqualTo(sent.offset());
            given().get("/q/health/live").then().statusCode(200);
        } finally {
            postgres.start();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> engine.lastPersistError() == null
                && given().get("/api/alerts?label=target=pg-outage-1").then().extract().jsonPath().getList("$").size() == 2);
        await().atMost(Duration.ofSeconds(30)).until(() -> !NotificationFlowTest.requests(AlertTestResource.WEBHOOK_PATH,
                "hook pg-outage-1 is DOWN").isEmpty());
        await().atMost(Duration.ofSeconds(30)).until(() -> committed(sent) > sent.offset());
    }

    @Test
    void partitionsAssignedWhilePostgresqlIsAwayAreAdoptedBeforeTheirRecordsAreEvaluated() throws Exception {
        AlertTestResource.wireMock.stubFor(post(urlEqualTo(AlertTestResource.WEBHOOK_PATH)).willReturn(aResponse().withStatus(200)));
        PostgresServer postgres = LocalServers.postgres();
        RecordMetadata down = send(HealthStatus.UP, HealthStatus.DOWN);
        await().atMost(Duration.ofSeconds(60)).until(() -> "FIRING".equals(state()));
        TopicPartition moved = new TopicPartition(down.topic(), down.partition());
        // a rebalance as Kafka would run it, while PostgreSQL is away: the partition goes and comes back, and its
        // persisted alert cannot be read at the assignment. Nothing of it is produced between the two calls.
        ownership.onPartitionsRevoked(null, java.util.List.of(moved));
        postgres.stop();
        RecordMetadata up;
        try {
            ownership.onPartitionsAssigned(null, java.util.List.of(moved));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ownership.adopted().await().atMost(Duration.ofSeconds(30)))
                    .as("the adoption waits for PostgreSQL");
            // the target recovers while PostgreSQL is still away: this record must meet its adopted alert
            up = send(HealthStatus.DOWN, HealthStatus.UP);
            Thread.sleep(3000);
        } finally {
            postgres.start();
        }
        ownership.adopted().onFailure().retry().withBackOff(Duration.ofMillis(200)).atMost(300).await().atMost(Duration.ofSeconds(60));
        // adopted, the recovery resolves the alert (not adopted, it would have found no alert to resolve: FIRING forever)
        await().atMost(Duration.ofSeconds(60)).until(() -> "RESOLVED".equals(state()));
        await().atMost(Duration.ofSeconds(30)).until(() -> committed(up) > up.offset());
    }

    @Test
    void aPostWhileKafkaIsAwayIsRefusedWith503OnceThisReplicaCannotBeSureItOwnsTheAlertAndIsNotifiedOnceKafkaIsBack()
            throws Exception {
        AlertTestResource.wireMock.stubFor(post(urlEqualTo(AlertTestResource.WEBHOOK_PATH)).willReturn(aResponse().withStatus(200)));
        String probe = "[{\"labels\":{\"alertname\":\"KafkaAwayProbe\",\"component\":\"kafka-away\",\"target\":\"k0\"}}]";
        String alert = "[{\"labels\":{\"alertname\":\"KafkaAwayPost\",\"component\":\"kafka-away\",\"target\":\"k1\","
                + "\"severity\":\"warning\"}}]";
        io.jitsiops.testkit.server.KafkaServer kafka = LocalServers.kafka();
        kafka.stop();
        try {
            // this replica applies what it owns itself while its group membership is certainly alive; once its
            // heartbeats stop reaching Kafka it can no longer be sure no other replica owns the alert, routes it, and
            // refuses once the producer sees Kafka away (a record unacknowledged past the stall bound)
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> intake(probe) == 503);
            assertThat(intake(alert)).isEqualTo(503);
        } finally {
            kafka.start();
        }
        // Kafka is back: Prometheus's next re-post is taken and notified
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> intake(alert) == 200);
        await().atMost(Duration.ofSeconds(60)).until(() -> !NotificationFlowTest.requests(AlertTestResource.WEBHOOK_PATH,
                "KafkaAwayPost").isEmpty());
    }

    @Test
    void postsOfAlertsThisReplicaOwnsAreRefusedWith503WhileTooManyChangesWaitForPostgresqlAndTheRePostIsNotified()
            throws Exception {
        AlertTestResource.wireMock.stubFor(post(urlEqualTo(AlertTestResource.WEBHOOK_PATH)).willReturn(aResponse().withStatus(200)));
        // one replica: it owns every partition and applies posts itself once they are adopted and its membership is live
        await().atMost(Duration.ofSeconds(60)).until(() -> PrometheusIntakeTest.intakePartitions().stream()
                .allMatch(tp -> ownership.holdsHere(io.jitsiops.alert.service.OwnedPartitions.key(tp.topic(), tp.partition()))));
        String run = java.util.UUID.randomUUID().toString().substring(0, 8);
        String alert = "[{\"labels\":{\"alertname\":\"WriterBehind" + run + "\",\"component\":\"writer-behind\",\"target\":\"w1\"}}]";
        double waitedOutBefore = PrometheusIntakeTest.intakeMetric("jitsiops_alert_intake_posts_total{outcome=\"refused_behind_postgresql\"}");
        PostgresServer postgres = LocalServers.postgres();
        postgres.stop();
        try {
            // 50 new firing alerts a post, none of them written: past max-unwritten (200 in the tests) posts wait
            // max-wait (1 s in the tests) and are refused, counted as refused_behind_postgresql
            int[] post = { 0 };
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> intake(
                    PrometheusIntakeTest.fiftyAlerts("Flood" + run + "-" + post[0]++, run, Instant.now().plusSeconds(600).toString()))
                    == 503);
            assertThat(intake(alert)).isEqualTo(503);
            assertThat(PrometheusIntakeTest.intakeMetric("jitsiops_alert_intake_posts_total{outcome=\"refused_behind_postgresql\"}"))
                    .isGreaterThanOrEqualTo(waitedOutBefore + 2);
            // a post let in before the bound was reached, and read while others carried the backlog past it, is
            // still applied, up to twice the bound: refused then, it would have been read for nothing
            int applied = 0;
            for (long before = router.unwritten(); intake.applyHere(ownedBy(0, "Admitted" + run + "-" + applied),
                    OwnedPartitions.key(Topics.ALERT_INTAKE, 0), moved -> { }) == ExternalAlertIntake.HereRefusal.NONE; before = router.unwritten()) {
                long expected = before + 50;
                await().atMost(Duration.ofSeconds(10)).until(() -> router.unwritten() == expected);
                assertThat(++applied).isLessThan(10);
            }
            assertThat(applied).isPositive();
            assertThat(router.unwritten()).isBetween(400L, 449L);
            // and past twice the bound it is refused for that, not for a full queue (refused_unwritten_limit)
            assertThat(intake.applyHere(ownedBy(0, "Refused" + run), OwnedPartitions.key(Topics.ALERT_INTAKE, 0), moved -> { }))
                    .isEqualTo(ExternalAlertIntake.HereRefusal.UNWRITTEN_LIMIT);
        } finally {
            postgres.start();
        }
        // PostgreSQL is back: what waited is written, and Prometheus's next re-post is taken and notified
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> intake(alert) == 200);
        await().atMost(Duration.ofSeconds(60)).until(() -> !NotificationFlowTest.requests(AlertTestResource.WEBHOOK_PATH,
                "WriterBehind" + run).isEmpty());
    }

    /** Fifty new firing alerts that fall on this partition of jitsi-ops.alert-intake, as the route hands them over. */
    private PrometheusAlertsPosted ownedBy(int partition, String name) {
        List<PrometheusAlertsPosted.Alert> alerts = new ArrayList<>();
        for (int i = 0; alerts.size() < 50; i++) {
            Map<String, String> labels = Map.of("alertname", name, "instance", name + "-" + i);
            String fp = Fingerprints.of(name, labels);
            if (PostedAlertRouter.partitionOf(fp, router.partitions()) == partition) {
                alerts.add(new PrometheusAlertsPosted.Alert(fp, labels, null, null, null, Instant.now().plusSeconds(600), null));
            }
        }
        return new PrometheusAlertsPosted(partition, Instant.now(), alerts);
    }

    private static int intake(String json) {
        return given().header("Authorization", "Bearer " + AlertTestResource.INTAKE_SECRET)
                .contentType(io.restassured.http.ContentType.JSON).body(json).post("/api/v2/alerts").then().extract().statusCode();
    }

    private static RecordMetadata send(HealthStatus from, HealthStatus to) throws Exception {
        CloudEvent<HealthStatusChanged> event = CloudEvent.of("/jitsi-ops/health-service", new HealthStatusChanged("hook",
                "pg-adopt-1", from, to, "adoption test", Instant.now()));
        try (KafkaProducer<String, byte[]> producer = KafkaRecords.producer()) {
            return producer.send(new ProducerRecord<>(event.eventType().topic(), event.subject(), new EventCodec().encode(event))).get();
        }
    }

    private static String state() {
        java.util.List<String> states = given().get("/api/alerts?label=target=pg-adopt-1").then().extract().jsonPath().getList("state");
        return states.isEmpty() ? null : states.get(0);
    }

    private static long committed(RecordMetadata sent) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, LocalServers.kafka().bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("jitsi-ops-alert-service")
                    .partitionsToOffsetAndMetadata().get();
            OffsetAndMetadata o = offsets.get(new TopicPartition(sent.topic(), sent.partition()));
            return o == null ? -1 : o.offset();
        }
    }
}
