package io.jitsiops.alert;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.jitsiops.alert.evaluate.Fingerprints;
import io.jitsiops.events.payload.HealthStatus;
import io.jitsiops.testkit.JitsiOpsTestResource;
import io.jitsiops.testkit.SmtpTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The derived {@code shard} label against the real deployment file the test kit writes (JitsiOpsTestResource:
 * jicofo, jvb-1 and jvb-2 in shard-1; any other target is not in it), through Kafka, PostgreSQL and the webhook
 * receiver. Two shards side by side are in ShardLabelTest (plain JUnit).
 */
@QuarkusTest
@QuarkusTestResource(JitsiOpsTestResource.class)
@QuarkusTestResource(SmtpTestResource.class)
@QuarkusTestResource(AlertTestResource.class)
class ShardRoutingTest {
    @Inject
    Pool pool;

    @BeforeAll
    static void producer() {
        NotificationFlowTest.producer();
    }

    @AfterAll
    static void close() {
        NotificationFlowTest.close();
    }

    private static List<JsonNode> webhooks(String containing) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (var r : NotificationFlowTest.requests(AlertTestResource.WEBHOOK_PATH, containing)) {
            out.add(NotificationFlowTest.JSON.readTree(r.getBodyAsString()));
        }
        return out;
    }

    @Test
    void aRuleMatchingShardOneFiresForItsBridgesAndRoutingGroupsThemByShard() throws Exception {
        String component = "shardtest-" + UUID.randomUUID().toString().substring(0, 8); // a new group on every run
        NotificationFlowTest.status(component, "jvb-1", HealthStatus.DOWN);
        NotificationFlowTest.status(component, "jvb-2", HealthStatus.DOWN);
        NotificationFlowTest.status(component, "shardtest-9", HealthStatus.DOWN); // not in the description

        await().atMost(Duration.ofSeconds(30)).until(() -> webhooks(component).stream()
                .anyMatch(m -> m.toString().contains("test-shard-down") && m.get("alerts").size() == 2));
        JsonNode grouped = webhooks(component).stream()
                .filter(m -> m.toString().contains("test-shard-down") && m.get("alerts").size() == 2).findFirst().orElseThrow();
        assertThat(NotificationFlowTest.JSON.convertValue(grouped.get("groupLabels"), Map.class))
                .isEqualTo(Map.of("alertname", "test-shard-down", "component", component, "shard", "shard-1"));
        assertThat(grouped.get("commonLabels").get("shard").asText()).isEqualTo("shard-1");
        List<String> targets = new ArrayList<>();
        grouped.get("alerts").forEach(a -> targets.add(a.get("labels").get("target").asText()));
        assertThat(targets).containsExactlyInAnyOrder("jvb-1", "jvb-2");
        assertThat(grouped.get("alerts").get(0).get("annotations").get("summary").asText()).endsWith("of shard-1 is DOWN");

        // the target the description does not name: the shard rule never fires for it, and the generic rule's alert
        // about it carries no shard label at all (not an empty one)
        await().atMost(Duration.ofSeconds(30)).until(() -> !webhooks(component + " shardtest-9 is DOWN").isEmpty());
        // by the target label: the random component itself may begin "shardtest-9…"
        assertThat(webhooks("test-shard-down")).noneMatch(m -> m.toString().contains("\"target\":\"shardtest-9\""));
        JsonNode other = webhooks(component + " shardtest-9 is DOWN").get(0);
        assertThat(other.get("alerts").get(0).get("labels").has("shard")).isFalse();
        given().queryParam("label", "component=" + component).queryParam("label", "target=shardtest-9")
                .queryParam("label", "alertname=test-down").get("/api/alerts")
                .then().statusCode(200).body("size()", org.hamcrest.Matchers.equalTo(1))
                .body("[0].labels.shard", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void anAlertStoredWithoutShardIsReadWithTheShardOfItsTargetAndFoundByIt() {
        String component = "shardload-" + UUID.randomUUID().toString().substring(0, 8);
        NotificationFlowTest.status(component, "jvb-1", HealthStatus.DOWN);
        await().atMost(Duration.ofSeconds(30)).until(() -> given().queryParam("label", "component=" + component)
                .queryParam("label", "alertname=test-down").get("/api/alerts").then().extract().jsonPath()
                .getList("$").size() == 1);
        String fp = given().queryParam("label", "component=" + component).queryParam("label", "alertname=test-down")
                .get("/api/alerts").then().statusCode(200).body("[0].labels.shard", org.hamcrest.Matchers.equalTo("shard-1"))
                .extract().jsonPath().getString("[0].fingerprint");
        assertThat(fp).as("the fingerprint leaves the derived shard out").isEqualTo(Fingerprints.of("test-down",
                Map.of("alertname", "test-down", "component", component, "target", "jvb-1", "severity", "critical",
                        "family", "availability")));
        // as a row written before the shard label existed
        pool.preparedQuery("UPDATE alerts.alert SET labels = labels - 'shard' WHERE fingerprint = $1").execute(Tuple.of(fp))
                .await().atMost(Duration.ofSeconds(10));
        given().queryParam("label", "component=" + component).queryParam("label", "alertname=test-down")
                .queryParam("label", "shard=shard-1").get("/api/alerts")
                .then().statusCode(200).body("size()", org.hamcrest.Matchers.equalTo(1))
                .body("[0].fingerprint", org.hamcrest.Matchers.equalTo(fp))
                .body("[0].labels.shard", org.hamcrest.Matchers.equalTo("shard-1"));
        given().queryParam("label", "component=" + component).queryParam("label", "shard=shard-2").get("/api/alerts")
                .then().statusCode(200).body("size()", org.hamcrest.Matchers.equalTo(0));

        // the same row through Alertmanager's v2 filters (what amtool and Grafana send): found by its derived shard
        // (the v2 list holds firing alerts only: awaited, the rule's alert may still be on its way to FIRING)
        await().atMost(Duration.ofSeconds(30)).until(() -> given().queryParam("filter", "component=\"" + component + "\"")
                .queryParam("filter", "alertname=\"test-down\"").queryParam("filter", "shard=\"shard-1\"")
                .get("/api/v2/alerts").then().extract().jsonPath().getList("$").size() == 1);
        given().queryParam("filter", "component=\"" + component + "\"").queryParam("filter", "alertname=\"test-down\"")
                .queryParam("filter", "shard=\"shard-1\"")
                .get("/api/v2/alerts").then().statusCode(200).body("size()", org.hamcrest.Matchers.equalTo(1))
                .body("[0].fingerprint", org.hamcrest.Matchers.equalTo(fp))
                .body("[0].labels.shard", org.hamcrest.Matchers.equalTo("shard-1"));
        // the other matchers see the derived shard too
        given().queryParam("filter", "component=\"" + component + "\"").queryParam("filter", "alertname=\"test-down\"")
                .queryParam("filter", "shard=~\"shard-.\"")
                .get("/api/v2/alerts").then().statusCode(200).body("size()", org.hamcrest.Matchers.equalTo(1));
        given().queryParam("filter", "component=\"" + component + "\"").queryParam("filter", "alertname=\"test-down\"")
                .queryParam("filter", "shard!=\"shard-1\"")
                .get("/api/v2/alerts").then().statusCode(200).body("size()", org.hamcrest.Matchers.equalTo(0));
        given().queryParam("filter", "component=\"" + component + "\"").queryParam("filter", "alertname=\"test-down\"")
                .queryParam("filter", "shard=\"shard-2\"")
                .get("/api/v2/alerts").then().statusCode(200).body("size()", org.hamcrest.Matchers.equalTo(0));
        given().queryParam("filter", "shard").get("/api/v2/alerts").then().statusCode(400)
                .body("error", org.hamcrest.Matchers.containsString("no operator"));
    }

    @Test
    void prometheusAlertsKeepAShardTheyCarryAndGetTheirTargetsOtherwise() {
        given().header("Authorization", "Bearer " + AlertTestResource.INTAKE_SECRET).contentType(ContentType.JSON).body("""
                [{"labels":{"alertname":"ShardDerived","target":"jvb-2"}},
                 {"labels":{"alertname":"ShardOwn","target":"jvb-2","shard":"shard-9"}},
                 {"labels":{"alertname":"ShardNone","target":"nowhere-9"}}]""")
                .post("/api/v2/alerts").then().statusCode(200);
        // written behind: await each
        for (String name : List.of("ShardDerived", "ShardOwn", "ShardNone")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> given().queryParam("label", "alertname=" + name)
                    .get("/api/alerts").then().extract().jsonPath().getList("$").size() == 1);
        }
        given().queryParam("label", "alertname=ShardDerived").get("/api/alerts").then().statusCode(200)
                .body("[0].labels.shard", org.hamcrest.Matchers.equalTo("shard-1"))
                .body("[0].fingerprint", org.hamcrest.Matchers.equalTo(
                        Fingerprints.of("ShardDerived", Map.of("alertname", "ShardDerived", "target", "jvb-2"))));
        given().queryParam("label", "alertname=ShardOwn").get("/api/alerts").then().statusCode(200)
                .body("[0].labels.shard", org.hamcrest.Matchers.equalTo("shard-9"));
        given().queryParam("label", "alertname=ShardNone").get("/api/alerts").then().statusCode(200)
                .body("[0].labels.shard", org.hamcrest.Matchers.nullValue());
    }
}
