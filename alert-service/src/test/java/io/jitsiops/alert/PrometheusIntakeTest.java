package io.jitsiops.alert;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.jitsiops.events.Topics;
import io.jitsiops.testkit.JitsiOpsTestResource;
import io.jitsiops.testkit.OidcTokens;
import io.jitsiops.testkit.OversizedPost;
import io.restassured.http.ContentType;
import io.jitsiops.testkit.SmtpTestResource;
import io.jitsiops.testkit.server.Ports;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** A real Prometheus names jitsi-ops as its Alertmanager: its firing rule is notified through our pipeline. */
@QuarkusTest
@QuarkusTestResource(JitsiOpsTestResource.class)
@QuarkusTestResource(SmtpTestResource.class)
@QuarkusTestResource(AlertTestResource.class)
public class PrometheusIntakeTest {
    @TestHTTPResource("/")
    URL self;

    @Inject
    Pool pool;

    @Inject
    io.jitsiops.alert.service.NotificationService notifications;

    @Inject
    @io.smallrye.common.annotation.Identifier("alert-partition-ownership")
    io.jitsiops.alert.service.PartitionOwnership ownership;

    static void postAlerts(String json) {
        given().header("Authorization", "Bearer " + AlertTestResource.INTAKE_SECRET).contentType(ContentType.JSON).body(json)
                .post("/api/v2/alerts").then().statusCode(200);
    }

    /** GET /api/v2/alerts with these parameters: name, value, name, value… (a name may come again: filter). */
    static List<Map<String, Object>> v2(String... params) {
        Map<String, List<Object>> byName = new java.util.LinkedHashMap<>();
        for (int i = 0; i < params.length; i += 2) {
            byName.computeIfAbsent(params[i], k -> new java.util.ArrayList<>()).add(params[i + 1]);
        }
        io.restassured.specification.RequestSpecification r = given();
        byName.forEach((k, v) -> r.queryParam(k, v));
        return r.get("/api/v2/alerts").then().statusCode(200).extract().jsonPath().getList("$");
    }

    static String v2Error(String... params) {
        io.restassured.specification.RequestSpecification r = given();
        for (int i = 0; i < params.length; i += 2) {
            r.queryParam(params[i], params[i + 1]);
        }
        return r.get("/api/v2/alerts").then().statusCode(400).extract().path("error");
    }

    static List<String> targets(List<Map<String, Object>> alerts) {
        return alerts.stream().map(a -> (String) ((Map<?, ?>) a.get("labels")).get("target")).sorted().toList();
    }

    @Test
    void theV2ListStreamsEveryMatchingAlertAcrossPagesOfFiringRows() {
        // 1,100 firing rows before it in fingerprint order and newer than it (the old list read the 1,000 newest, then
        // filtered), written straight to PostgreSQL. The pipeline adopts firing rows when the consumer group assigns it
        // partitions, which may happen meanwhile: without component or target they all fall into one group, and a
        // silence (left to expire on its own, after the test JVM) keeps that group from notifying, now or later
        String insert = """
                INSERT INTO alerts.alert (fingerprint, rule, source, labels, severity, state, active_since, fired_at, updated_at)
                SELECT fp, 'V2Far', 'prometheus', jsonb_build_object('alertname', 'V2Far', 'slot', target), 'WARNING',
                       'FIRING', now(), now(), at
                FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS t(fp, target, at)""";
        int n = 1100;
        String[] fp = new String[n + 1], target = new String[n + 1];
        java.time.OffsetDateTime[] at = new java.time.OffsetDateTime[n + 1];
        java.time.OffsetDateTime now = java.time.OffsetDateTime.now();
        for (int i = 0; i < n; i++) {
            fp[i] = String.format("0000v2far%07d", i);
            target[i] = "near-" + i;
            at[i] = now;
        }
        fp[n] = "ffffv2far0000001";
        target[n] = "far";
        at[n] = now.minusHours(1);
        given().auth().oauth2(OidcTokens.withRoles(OidcTokens.OPERATOR)).contentType(ContentType.JSON)
                .body(Map.of("matchers", List.of("alertname=V2Far"), "endsAt", Instant.now().plusSeconds(1800).toString(),
                        "comment", "rows written straight to PostgreSQL by the v2 list test"))
                .post("/api/silences").then().statusCode(201);
        pool.preparedQuery(insert).execute(Tuple.of(fp, target, at)).await().atMost(Duration.ofSeconds(30));
        try {
            List<Map<String, Object>> found = v2("filter", "alertname=\"V2Far\"", "filter", "slot!~\"near-.*\"");
            assertThat(found).singleElement().satisfies(a -> assertThat(a.get("fingerprint")).isEqualTo("ffffv2far0000001"));
            assertThat(v2("filter", "slot=\"far\"", "filter", "alertname=~\"V2F.r\"")).singleElement()
                    .satisfies(a -> assertThat(a.get("fingerprint")).isEqualTo("ffffv2far0000001"));
            // without a narrowing filter the answer is every matching alert, in fingerprint order, across the pages
            List<Map<String, Object>> all = v2("filter", "alertname=\"V2Far\"");
            assertThat(all).hasSize(n + 1);
            assertThat(all.get(0).get("fingerprint")).isEqualTo("0000v2far0000000");
            assertThat(all.get(999).get("fingerprint")).isEqualTo("0000v2far0000999");
            assertThat(all.get(1000).get("fingerprint")).isEqualTo("0000v2far0001000");
            assertThat(all.get(n).get("fingerprint")).isEqualTo("ffffv2far0000001");
        } finally {
            pool.preparedQuery("DELETE FROM alerts.alert WHERE rule = 'V2Far'").execute().await().atMost(Duration.ofSeconds(30));
        }
    }

    @Test
    void aSilenceAndAnAcknowledgementMadeThroughAnotherReplicaReachThisOne() {
        // another replica writes both straight to PostgreSQL, as its API would; this one holds the alert
        postAlerts("""
                [{"labels":{"alertname":"SharedState","component":"shared","target":"s1","severity":"warning"}}]""");
        await().atMost(Duration.ofSeconds(30)).until(() -> v2("filter", "alertname=\"SharedState\"").size() == 1);
        String fp = (String) v2("filter", "alertname=\"SharedState\"").get(0).get("fingerprint");
        java.util.UUID silence = java.util.UUID.randomUUID();
        pool.preparedQuery("INSERT INTO alerts.silence (id, matchers, starts_at, ends_at, created_by, comment, updated_at) "
                        + "VALUES ($1, '[\"alertname=SharedState\"]'::jsonb, now(), now() + interval '1 hour', 'other replica', "
                        + "'shared state test', now())")
                .execute(Tuple.of(silence)).await().atMost(Duration.ofSeconds(30));
        Instant until = Instant.now().plusSeconds(3600).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        pool.preparedQuery("UPDATE alerts.alert SET acked_until = $2, acked_by = 'other replica' WHERE fingerprint = $1")
                .execute(Tuple.of(fp, until.atOffset(java.time.ZoneOffset.UTC))).await().atMost(Duration.ofSeconds(30));
        try {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Map<String, Object> a = v2("filter", "alertname=\"SharedState\"").get(0);
                assertThat(((Map<?, ?>) a.get("status")).get("silencedBy")).asList().containsExactly(silence.toString());
                assertThat(notifications.dispatcher().alerts()).filteredOn(x -> x.fingerprint().equals(fp)).singleElement()
                        .satisfies(x -> assertThat(x.ackedUntil()).isEqualTo(until));
            });
        } finally {
            pool.preparedQuery("DELETE FROM alerts.silence WHERE id = $1").execute(Tuple.of(silence)).await()
                    .atMost(Duration.ofSeconds(30));
            notifications.reloadSilences().await().atMost(Duration.ofSeconds(30));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theV2ListFiltersOnSilencedInhibitedActiveAndReceiverAsAlertmanagerDoes() {
        String token = OidcTokens.withRoles(OidcTokens.OPERATOR);
        String silenceId = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("matchers", List.of("case=v2-silenced"), "endsAt", Instant.now().plusSeconds(3600).toString(),
                        "comment", "v2 list test"))
                .post("/api/silences").then().statusCode(201).extract().path("id");
        try {
            // the critical alert of t1 inhibits the warning of t1 (test rules: equal family, component, target);
            // the warning of t2 is silenced; the warning of t3 is active; mailv2 routes to email, the rest to webhook
            postAlerts("""
                    [{"labels":{"alertname":"V2State","family":"v2","component":"v2state","target":"t1","severity":"critical"}},
                     {"labels":{"alertname":"V2State","family":"v2","component":"v2state","target":"t1","severity":"warning"}},
                     {"labels":{"alertname":"V2State","family":"v2","component":"v2state","target":"t2","severity":"warning",
                                "case":"v2-silenced"}},
                     {"labels":{"alertname":"V2State","family":"v2","component":"mailv2","target":"t3","severity":"warning"}}]""");
            String f = "filter", name = "alertname=\"V2State\"";
            await().atMost(Duration.ofSeconds(30)).until(() -> v2(f, name).size() == 4
                    && v2(f, name, "active", "false").size() == 2);
            List<Map<String, Object>> all = v2(f, name);
            Map<String, Object> critical = all.stream().filter(a -> "critical".equals(((Map<?, ?>) a.get("labels")).get("severity")))
                    .findFirst().orElseThrow();

            assertThat(targets(v2(f, name, "silenced", "false"))).containsExactly("t1", "t1", "t3");
            List<Map<String, Object>> notInhibited = v2(f, name, "inhibited", "false");
            assertThat(notInhibited).extracting(a -> ((Map<?, ?>) a.get("labels")).get("target") + "/"
                    + ((Map<?, ?>) a.get("labels")).get("severity")).containsExactlyInAnyOrder("t1/critical", "t2/warning", "t3/warning");

            List<Map<String, Object>> suppressed = v2(f, name, "active", "false");
            assertThat(targets(suppressed)).containsExactly("t1", "t2");
            for (Map<String, Object> a : suppressed) {
                Map<?, ?> status = (Map<?, ?>) a.get("status");
                assertThat(status.get("state")).isEqualTo("suppressed");
                if ("t1".equals(((Map<?, ?>) a.get("labels")).get("target"))) {
                    assertThat((List<Object>) status.get("inhibitedBy")).containsExactly(critical.get("fingerprint"));
                    assertThat((List<Object>) status.get("silencedBy")).isEmpty();
                } else {
                    assertThat((List<Object>) status.get("silencedBy")).containsExactly(silenceId);
                    assertThat((List<Object>) status.get("inhibitedBy")).isEmpty();
                }
            }
            assertThat(((Map<?, ?>) critical.get("status")).get("state")).isEqualTo("active");
            assertThat(v2(f, name, "active", "false", "silenced", "false", "inhibited", "false")).isEmpty();
            assertThat(v2(f, name, "active", "true", "silenced", "true", "inhibited", "true")).hasSize(4);

            // receiver: an anchored regular expression on the receivers the routing tree gives the alert
            List<Map<String, Object>> toEmail = v2(f, name, "receiver", "email");
            assertThat(targets(toEmail)).containsExactly("t3");
            assertThat(toEmail.get(0).get("receivers")).isEqualTo(List.of(Map.of("name", "email")));
            assertThat(targets(v2(f, name, "receiver", "web.*"))).containsExactly("t1", "t1", "t2");
            assertThat(targets(v2(f, name, "receiver", "e.*l|slack"))).containsExactly("t3");
            assertThat(v2(f, name, "receiver", "mail")).as("anchored").isEmpty();
            assertThat(v2(f, name, "receiver", "slack")).isEmpty();
        } finally {
            given().auth().oauth2(token).delete("/api/silences/" + silenceId).then().statusCode(204);
        }
    }

    static Map<String, Object> alertNamed(String name) {
        List<Map<String, Object>> found = given().queryParam("label", "alertname=" + name).get("/api/alerts").then()
                .statusCode(200).extract().jsonPath().getList("$");
        return found.isEmpty() ? null : found.get(0);
    }

    /** The state of the alert of that name, or null while none is listed. */
    static Object stateOf(String name) {
        Map<String, Object> a = alertNamed(name);
        return a == null ? null : a.get("state");
    }

    static String endingAt(String name, Instant endsAt) {
        return "{\"labels\":{\"alertname\":\"" + name + "\",\"target\":\"expiry\"},\"endsAt\":\"" + endsAt + "\"}";
    }

    @Test
    void aRePostMovesTheEndLaterAShorterEndEndsItSoonerAndAnAlertThatEndedCanFireAgain() {
        // re-posts queue no expiry entry of their own (one per end time): the alert must still end at its latest end,
        // not at the first one, and a re-post with an earlier end must still end it then
        Instant now = Instant.now();
        Instant later = now.plusSeconds(6);
        postAlerts("[" + endingAt("ExpiryLater", now.plusSeconds(3)) + "," + endingAt("ExpirySooner", now.plusSeconds(120)) + "]");
        postAlerts("[" + endingAt("ExpiryLater", later) + "," + endingAt("ExpirySooner", now.plusSeconds(2)) + "]");
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            Map<String, Object> a = alertNamed("ExpirySooner");
            return a != null && "RESOLVED".equals(a.get("state"));
        });
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            Map<String, Object> a = alertNamed("ExpiryLater");
            return a != null && "RESOLVED".equals(a.get("state"));
        });
        // resolved by the expiry at or after its latest end (PostgreSQL keeps microseconds)
        assertThat(Instant.parse((String) alertNamed("ExpiryLater").get("endsAt"))).isAfterOrEqualTo(later.minusMillis(1));
        assertThat(Instant.parse((String) alertNamed("ExpirySooner").get("endsAt"))).isBefore(now.plusSeconds(120));

        // posted again after it ended: fires, then ends again when that end passes
        postAlerts("[" + endingAt("ExpiryLater", Instant.now().plusSeconds(2)) + "]");
        await().atMost(Duration.ofSeconds(60)).until(() -> "FIRING".equals(alertNamed("ExpiryLater").get("state")));
        await().atMost(Duration.ofSeconds(60)).until(() -> "RESOLVED".equals(alertNamed("ExpiryLater").get("state")));
    }

    /** The partitions of jitsi-ops.alert-intake as the broker created them. */
    static List<org.apache.kafka.common.TopicPartition> intakePartitions() {
        try (var producer = io.jitsiops.testkit.KafkaRecords.producer()) {
            return producer.partitionsFor(Topics.ALERT_INTAKE).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition())).toList();
        }
    }

    static Map<org.apache.kafka.common.TopicPartition, Long> intakeEndOffsets() throws Exception {
        java.util.Properties p = new java.util.Properties();
        p.put(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                io.jitsiops.testkit.LocalServers.kafka().bootstrapServers());
        try (var admin = org.apache.kafka.clients.admin.Admin.create(p)) {
            Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new java.util.HashMap<>();
            intakePartitions().forEach(tp -> latest.put(tp, org.apache.kafka.clients.admin.OffsetSpec.latest()));
            Map<org.apache.kafka.common.TopicPartition, Long> ends = new java.util.HashMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
            return ends;
        }
    }

    static String fiftyAlerts(String name, String run, String endsAt) {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 50; i++) {
            body.append(i == 0 ? "" : ",").append("{\"labels\":{\"alertname\":\"").append(name).append("\",\"instance\":\"")
                    .append(name).append('-').append(run).append('-').append(i).append("\"},\"endsAt\":\"").append(endsAt).append("\"}");
        }
        return body.append(']').toString();
    }

    @Test
    void aPostOfAlertsWhosePartitionsThisReplicaHoldsIsAppliedHereWithoutARoundThroughKafka() throws Exception {
        // one replica: every partition is its own; held once adopted and its group membership certainly alive
        await().atMost(Duration.ofSeconds(60)).until(() -> intakePartitions().stream()
                .allMatch(tp -> ownership.holdsHere(io.jitsiops.alert.service.OwnedPartitions.key(tp.topic(), tp.partition()))));
        String run = java.util.UUID.randomUUID().toString().substring(0, 8);
        Map<org.apache.kafka.common.TopicPartition, Long> before = intakeEndOffsets();
        postAlerts(fiftyAlerts("HeldHere", run, Instant.now().plusSeconds(600).toString()));
        await().atMost(Duration.ofSeconds(30)).until(() -> v2("filter", "alertname=\"HeldHere\"").size() == 50);
        assertThat(intakeEndOffsets()).as("no record written to jitsi-ops.alert-intake").isEqualTo(before);
    }

    @Test
    void aPostOfAlertsWhosePartitionsThisReplicaDoesNotHoldBecomesOneRecordPerPartitionEachAlertOnItsFingerprintsPartition() {
        // as on a replica that owns none of them: the rebalance listener takes the partitions away and gives them back
        List<org.apache.kafka.common.TopicPartition> intake = intakePartitions();
        int partitions = intake.size();
        String run = java.util.UUID.randomUUID().toString().substring(0, 8);
        ownership.onPartitionsRevoked(null, intake);
        try {
            // already ended: no notice or row either way
            postAlerts(fiftyAlerts("Routed", run, "2020-01-01T00:00:00Z"));
        } finally {
            ownership.onPartitionsAssigned(null, intake);
        }
        io.jitsiops.events.EventCodec codec = new io.jitsiops.events.EventCodec();
        List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> records = io.jitsiops.testkit.KafkaRecords.collect(
                List.of(Topics.ALERT_INTAKE), r -> new String(r.value(), StandardCharsets.UTF_8)
                        .contains("Routed-" + run + "-"), partitions, Duration.ofSeconds(30));
        // 50 alerts over the partitions: one record per partition, not one per alert (P(a partition untouched) < 1e-8)
        assertThat(records).hasSize(partitions);
        assertThat(records.stream().map(org.apache.kafka.clients.consumer.ConsumerRecord::partition).distinct()).hasSize(partitions);
        int alerts = 0;
        for (var r : records) {
            var posted = (io.jitsiops.events.payload.PrometheusAlertsPosted) codec.decode(r.value()).data();
            assertThat(posted.partition()).isEqualTo(r.partition());
            for (var a : posted.alerts()) {
                assertThat(a.fingerprint()).isEqualTo(io.jitsiops.alert.evaluate.Fingerprints.of("Routed", a.labels()));
                assertThat(io.jitsiops.alert.service.PostedAlertRouter.partitionOf(a.fingerprint(), partitions))
                        .isEqualTo(r.partition());
                alerts++;
            }
        }
        assertThat(alerts).isEqualTo(50);
    }

    @Test
    void aRoutedPostReceivedBeforeTheLastOneAppliedDoesNotUndoIt() throws Exception {
        // the alert fires, then resolves; a firing post received before the resolution then arrives late through
        // Kafka (another replica's producer retried it): it is stale and must not fire the alert again
        Map<String, String> labels = new java.util.TreeMap<>(Map.of("alertname", "StaleRepost", "target",
                "stale-" + java.util.UUID.randomUUID().toString().substring(0, 8)));
        String json = "{\"labels\":{\"alertname\":\"StaleRepost\",\"target\":\"" + labels.get("target") + "\"},\"endsAt\":\"";
        postAlerts("[" + json + Instant.now().plusSeconds(600) + "\"}]");
        // listed once written: the answer to a post does not wait for the write
        await().atMost(Duration.ofSeconds(30)).until(() -> "FIRING".equals(stateOf("StaleRepost")));
        Instant beforeResolution = Instant.now();
        Thread.sleep(5); // the resolution is received after it, by this machine's clock
        postAlerts("[" + json + "2020-01-01T00:00:00Z\"}]");
        await().atMost(Duration.ofSeconds(30)).until(() -> "RESOLVED".equals(stateOf("StaleRepost")));

        String fingerprint = io.jitsiops.alert.evaluate.Fingerprints.of("StaleRepost", labels);
        int partition = io.jitsiops.alert.service.PostedAlertRouter.partitionOf(fingerprint, intakePartitions().size());
        var stale = io.jitsiops.events.CloudEvent.of("/jitsi-ops/alert-service", new io.jitsiops.events.payload.PrometheusAlertsPosted(
                partition, beforeResolution, List.of(new io.jitsiops.events.payload.PrometheusAlertsPosted.Alert(fingerprint, labels,
                        null, null, null, Instant.now().plusSeconds(600), null))));
        org.apache.kafka.clients.producer.RecordMetadata sent;
        try (var producer = io.jitsiops.testkit.KafkaRecords.producer()) {
            sent = producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(Topics.ALERT_INTAKE, partition,
                    stale.subject(), new io.jitsiops.events.EventCodec().encode(stale))).get();
        }
        // read and applied (its offset committed once its changes, if any, are written): still resolved
        await().atMost(Duration.ofSeconds(30)).until(() -> committed(sent) > sent.offset());
        assertThat(alertNamed("StaleRepost").get("state")).isEqualTo("RESOLVED");
    }

    @Test
    void postsForAReplicaThatLeavesAlertsRoutedToItUnappliedPastMaxOwnerLagAreRefusedUntilItCatchesUp() throws Exception {
        // a second member of the service's consumer group that takes partitions of jitsi-ops.alert-intake and applies
        // (commits) nothing: a replica that is stuck while this one goes on routing it the alerts it owns
        java.util.Properties p = new java.util.Properties();
        p.put(org.apache.kafka.clients.consumer.ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                io.jitsiops.testkit.LocalServers.kafka().bootstrapServers());
        p.put(org.apache.kafka.clients.consumer.ConsumerConfig.GROUP_ID_CONFIG, "jitsi-ops-alert-service");
        p.put(org.apache.kafka.clients.consumer.ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(org.apache.kafka.clients.consumer.ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                org.apache.kafka.clients.consumer.CooperativeStickyAssignor.class.getName());
        // it polls only while the test runs: should it stop, the group must not wait long for it to rejoin
        p.put(org.apache.kafka.clients.consumer.ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 15_000);
        int partitions = intakePartitions().size();
        String run = java.util.UUID.randomUUID().toString().substring(0, 8);
        double refusedBefore = intakeMetric("jitsiops_alert_intake_posts_total{outcome=\"refused_behind_owner\"}");
        try (var stuck = new org.apache.kafka.clients.consumer.KafkaConsumer<>(p,
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            stuck.subscribe(List.of(Topics.ALERT_INTAKE));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                stuck.poll(Duration.ofMillis(100));
                return !stuck.assignment().isEmpty();
            });
            org.apache.kafka.common.TopicPartition owned = stuck.assignment().iterator().next();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                stuck.poll(Duration.ofMillis(100));
                return !ownership.holdsHere(io.jitsiops.alert.service.OwnedPartitions.key(owned.topic(), owned.partition()));
            });
            // already ended: whoever applies it in the end, no row or notice comes of it
            String alert = alertOnPartition("OwnerLag", run, owned.partition(), partitions);
            assertThat(postStatus(alert)).as("routed while its owner is not known to be behind").isEqualTo(200);

            // past max-owner-lag (3 s in the tests) with the record routed above not committed by its owner
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
                stuck.poll(Duration.ofMillis(100));
                return postStatus(alert) == 503;
            });
            Long before = intakeEndOffsets().get(owned);
            String error = given().header("Authorization", "Bearer " + AlertTestResource.INTAKE_SECRET)
                    .contentType(ContentType.JSON).body(alert).post("/api/v2/alerts").then().statusCode(503)
                    .extract().path("error");
            assertThat(error).contains("max-owner-lag");
            assertThat(intakeEndOffsets().get(owned)).as("nothing more routed to the owner that lags").isEqualTo(before);
            assertThat(intakeMetric("jitsiops_alert_intake_posts_total{outcome=\"refused_behind_owner\"}"))
                    .isGreaterThanOrEqualTo(refusedBefore + 2);
            assertThat(intakeMetric("jitsiops_alert_intake_owner_lag_seconds")).isGreaterThan(3.0);

            // the owner catches up (commits what was routed to it): posts for it are taken again
            Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> end = new java.util.HashMap<>();
            stuck.endOffsets(stuck.assignment()).forEach((tp, o) -> end.put(tp, new org.apache.kafka.clients.consumer.OffsetAndMetadata(o)));
            stuck.commitSync(end);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
                stuck.poll(Duration.ofMillis(100));
                return postStatus(alert) == 200;
            });
        }
        // the partitions come back to this replica, which applies and commits what was routed last: nothing waits
        await().atMost(Duration.ofSeconds(60)).until(() -> intakePartitions().stream()
                .allMatch(tp -> ownership.holdsHere(io.jitsiops.alert.service.OwnedPartitions.key(tp.topic(), tp.partition())))
                && intakeMetric("jitsiops_alert_intake_owner_lag_seconds") == 0);
    }

    /** A post of one already-ended alert whose fingerprint falls on {@code partition} of jitsi-ops.alert-intake. */
    static String alertOnPartition(String name, String run, int partition, int partitions) {
        for (int i = 0; ; i++) {
            String target = run + "-" + i;
            String fingerprint = io.jitsiops.alert.evaluate.Fingerprints.of(name, new java.util.TreeMap<>(Map.of("alertname", name,
                    "target", target)));
            if (io.jitsiops.alert.service.PostedAlertRouter.partitionOf(fingerprint, partitions) == partition) {
                return "[{\"labels\":{\"alertname\":\"" + name + "\",\"target\":\"" + target
                        + "\"},\"endsAt\":\"2020-01-01T00:00:00Z\"}]";
            }
        }
    }

    static int postStatus(String json) {
        return given().header("Authorization", "Bearer " + AlertTestResource.INTAKE_SECRET).contentType(ContentType.JSON)
                .body(json).post("/api/v2/alerts").then().extract().statusCode();
    }

    static long committed(org.apache.kafka.clients.producer.RecordMetadata sent) throws Exception {
        java.util.Properties p = new java.util.Properties();
        p.put(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                io.jitsiops.testkit.LocalServers.kafka().bootstrapServers());
        try (var admin = org.apache.kafka.clients.admin.Admin.create(p)) {
            var o = admin.listConsumerGroupOffsets("jitsi-ops-alert-service").partitionsToOffsetAndMetadata().get()
                    .get(new org.apache.kafka.common.TopicPartition(sent.topic(), sent.partition()));
            return o == null ? -1 : o.offset();
        }
    }

    @Test
    void theV2ListAnswers400ToABadBooleanReceiverOrFilter() {
        assertThat(v2Error("active", "maybe")).contains("active 'maybe'");
        assertThat(v2Error("silenced", "flase")).contains("silenced 'flase'");
        assertThat(v2Error("inhibited", "2")).contains("inhibited '2'");
        assertThat(v2Error("receiver", "web(")).contains("receiver 'web('");
        assertThat(v2Error("filter", "target")).startsWith("filter ");
        assertThat(v2Error("filter", "target=~\"(\"")).startsWith("filter ");
        assertThat(v2("silenced", "false", "inhibited", "true", "filter", "alertname=NoSuchAlertV2")).isEmpty();
    }

    @Test
    void theAlertListCanPutTheMostSevereFirstAndSaysHowManyMatchBeyondItsLimit() {
        // what the status page asks for: in an incident with more firing alerts than it shows, the critical ones first
        postAlerts("[" + IntStream.of(0, 1, 2, 3).mapToObj(i -> "{\"labels\":{\"alertname\":\"OrderedList" + i
                + "\",\"suite\":\"ordered-list\",\"severity\":\"" + List.of("info", "critical", "warning", "info").get(i) + "\"}}")
                .collect(Collectors.joining(",")) + "]");
        await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/api/alerts?label=suite=ordered-list&state=firing")
                .then().extract().jsonPath().getList("$").size() == 4);
        io.restassured.response.Response bySeverity = given().get("/api/alerts?label=suite=ordered-list&state=firing&order=severity&limit=2");
        bySeverity.then().statusCode(200).header("X-Total-Count", "4");
        assertThat(bySeverity.jsonPath().getList("severity")).containsExactly("CRITICAL", "WARNING");
        given().get("/api/alerts?label=suite=ordered-list&severity=info&limit=1").then().statusCode(200)
                .header("X-Total-Count", "2").body("size()", equalTo(1));
        given().get("/api/alerts?order=loudest").then().statusCode(400).body("error", containsString("order must be changed or severity"));
    }

    @Test
    void aRealPrometheusRuleThatFiresIsNotifiedThroughJitsiOps() throws Exception {
        AlertTestResource.wireMock.stubFor(post(urlEqualTo(AlertTestResource.WEBHOOK_PATH)).willReturn(aResponse().withStatus(200)));
        PrometheusServer prometheus = new PrometheusServer(Files.createTempDirectory("prometheus-"), Ports.free(),
                self.getHost() + ":" + self.getPort(), AlertTestResource.INTAKE_SECRET);
        prometheus.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> !NotificationFlowTest.requests(AlertTestResource.WEBHOOK_PATH,
                    "PrometheusRuleFired").isEmpty());
        } finally {
            prometheus.stop();
        }
        JsonNode msg = NotificationFlowTest.JSON.readTree(NotificationFlowTest.requests(AlertTestResource.WEBHOOK_PATH,
                "PrometheusRuleFired").get(0).getBodyAsString());
        JsonNode alert = msg.get("alerts").get(0);
        assertThat(alert.get("labels").get("target").asText()).isEqualTo("p1");
        assertThat(alert.get("annotations").get("summary").asText()).isEqualTo("A Prometheus rule fired");
        assertThat(alert.get("generatorURL").asText()).contains("/graph?g0.expr=vector");
        given().get("/api/alerts?label=alertname=PrometheusRuleFired").then().statusCode(200)
                .body("[0].source", equalTo("prometheus")).body("[0].state", equalTo("FIRING"));
    }

    @Test
    void aPostThatIsNotAnArrayOfLabelledAlertsIsRefusedWith400NamingWhy() {
        String token = "Bearer " + AlertTestResource.INTAKE_SECRET;
        given().header("Authorization", token).contentType(ContentType.JSON).body("{\"labels\":{\"alertname\":\"X\"}}")
                .post("/api/v2/alerts").then().statusCode(400).body("error", containsString("JSON array"));
        given().header("Authorization", token).contentType(ContentType.JSON).body("[{\"annotations\":{\"summary\":\"s\"}}]")
                .post("/api/v2/alerts").then().statusCode(400).body("error", containsString("without labels"));
        given().header("Authorization", token).contentType(ContentType.JSON).body("[{\"labels\":{\"alertname\":")
                .post("/api/v2/alerts").then().statusCode(400).body("error", containsString("malformed JSON"));
        given().header("Authorization", token).contentType(ContentType.JSON)
                .body("[{\"labels\":{\"alertname\":\"X\"},\"startsAt\":\"yesterday\"}]")
                .post("/api/v2/alerts").then().statusCode(400).body("error", containsString("startsAt"));
    }

    @Test
    void everyPostIsCountedByHowItWasAnsweredAndTheAlertsOfAcceptedPostsAreCounted() {
        String alerts = "[{\"labels\":{\"alertname\":\"CountedPost\",\"target\":\"c1\"}},"
                + "{\"labels\":{\"alertname\":\"CountedPost\",\"target\":\"c2\"}}]";
        double accepted = intakeMetric("jitsiops_alert_intake_posts_total{outcome=\"accepted\"}");
        double invalid = intakeMetric("jitsiops_alert_intake_posts_total{outcome=\"invalid\"}");
        double unauthenticated = intakeMetric("jitsiops_alert_intake_posts_total{outcome=\"unauthenticated\"}");
        double forbidden = intakeMetric("jitsiops_alert_intake_posts_total{outcome=\"forbidden\"}");
        double received = intakeMetric("jitsiops_alert_intake_alerts_total");

        postAlerts(alerts);
        given().header("Authorization", "Bearer " + AlertTestResource.INTAKE_SECRET).contentType(ContentType.JSON)
                .body("{}").post("/api/v2/alerts").then().statusCode(400);
        given().contentType(ContentType.JSON).body(alerts).post("/api/v2/alerts").then().statusCode(401);
        given().auth().oauth2(OidcTokens.withRoles()).contentType(ContentType.JSON).body(alerts).post("/api/v2/alerts")
                .then().statusCode(403);

        // other tests of this class may post meanwhile: at least these
        assertThat(intakeMetric("jitsiops_alert_intake_posts_total{outcome=\"accepted\"}")).isGreaterThanOrEqualTo(accepted + 1);
        assertThat(intakeMetric("jitsiops_alert_intake_alerts_total")).isGreaterThanOrEqualTo(received + 2);
        assertThat(intakeMetric("jitsiops_alert_intake_posts_total{outcome=\"invalid\"}")).isEqualTo(invalid + 1);
        assertThat(intakeMetric("jitsiops_alert_intake_posts_total{outcome=\"unauthenticated\"}")).isEqualTo(unauthenticated + 1);
        assertThat(intakeMetric("jitsiops_alert_intake_posts_total{outcome=\"forbidden\"}")).isEqualTo(forbidden + 1);
        assertThat(given().get("/q/metrics").asString())
                .contains("jitsiops_alert_intake_posts_total{outcome=\"refused_behind_postgresql\"}")
                // the owner's own bounds apart (since session 33)
                .contains("jitsiops_alert_intake_posts_total{outcome=\"refused_unwritten_limit\"}")
                .contains("jitsiops_alert_intake_posts_total{outcome=\"refused_intake_queue_full\"}")
                .contains("jitsiops_alert_intake_posts_total{outcome=\"refused_kafka\"}")
                .contains("jitsiops_alert_intake_posts_total{outcome=\"refused_behind_owner\"}")
                // how far behind PostgreSQL the intake is, and the posts waiting for it to catch up (since session 31)
                .contains("jitsiops_alert_intake_unwritten ", "jitsiops_alert_intake_posts_waiting ",
                        "jitsiops_alert_intake_posts_waited_total ")
                // posted alerts held in memory, resolved ones until they are forgotten (since session 40)
                .contains("jitsiops_alert_intake_held_alerts ");
    }

    @Test
    void everySeriesTheShippedSelfMonitoringAlertsReadIsExposed() {
        // k8s/base/alert-service-rules.yaml: an alert on a series this service does not expose would never fire
        java.util.Set<String> read = io.jitsiops.testkit.SelfMonitoringRules.seriesRead("alert-service");
        assertThat(read).contains("jitsiops_alert_intake_owner_lag_seconds", "jitsiops_alert_notifications_total");
        assertThat(io.jitsiops.testkit.SelfMonitoringRules.exposed(given().get("/q/metrics").asString())).containsAll(read);
    }

    /** A series' value on /q/metrics (0 when absent); IntakeSaturationTest reads the intake's counters with it too. */
    public static double intakeMetric(String series) {
        for (String line : given().get("/q/metrics").asString().split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }

    @Test
    void aBodyLargerThanTheHttpLimitIsRefusedWith413WhetherDeclaredOrChunked() throws Exception {
        // 11 MiB: above quarkus.http.limits.max-body-size (10 MiB by default). Quarkus refuses a declared length
        // before any route and closes; a chunked body is counted by the intake route as it arrives.
        for (boolean chunked : new boolean[] { false, true }) {
            String status = OversizedPost.statusLine(self.getPort(), "/api/v2/alerts",
                    Map.of("Authorization", "Bearer " + AlertTestResource.INTAKE_SECRET, "Content-Type", "application/json"),
                    11L << 20, chunked);
            assertThat(status).as(chunked ? "chunked" : "with Content-Length").startsWith("HTTP/1.1 413");
        }
        // and the intake still takes a normal post
        given().header("Authorization", "Bearer " + AlertTestResource.INTAKE_SECRET).contentType(ContentType.JSON)
                .body("[{\"labels\":{\"alertname\":\"AfterHuge\"},\"endsAt\":\"2020-01-01T00:00:00Z\"}]")
                .post("/api/v2/alerts").then().statusCode(200);
    }

    @Test
    void theOpenApiDocumentDescribesThePostOfAlertsBesideTheScannedResources() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/api/v2/alerts'.post.responses.'503'.description", containsString("Kafka cannot take"))
                .body("paths.'/api/v2/alerts'.post.responses.'403'.description", containsString("jitsi-ops-operator"))
                .body("paths.'/api/v2/alerts'.get.summary", notNullValue())
                .body("paths.'/api/v2/status'.get.summary", notNullValue());
    }
}
