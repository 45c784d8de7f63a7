package io.jitsiops.health;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.jitsiops.events.CloudEvent;
import io.jitsiops.events.EventCodec;
import io.jitsiops.events.EventPayload;
import io.jitsiops.events.Topics;
import io.jitsiops.events.payload.HealthStatusChanged;
import io.jitsiops.health.service.ProbeScheduler;
import io.jitsiops.testkit.JitsiOpsTestResource;
import io.jitsiops.testkit.KafkaRecords;
import io.jitsiops.testkit.SelfMonitoringRules;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** The REST API, who may call what, and what reaches Kafka, PostgreSQL and Prometheus. */
@QuarkusTest
@QuarkusTestResource(JitsiOpsTestResource.class)
class HealthApiTest {
    @Inject
    ProbeScheduler scheduler;

    @TestHTTPResource("/api/health/stream")
    URI stream;

    @AfterEach
    void heal() {
        SimulatorFaults.reset();
    }

    @Test
    void runningChecksOnDemandNeedsAnOperatorTokenFromTheIssuer() {
        given().post("/api/health/check").then().statusCode(401);
        given().auth().oauth2("not-a-token").post("/api/health/check").then().statusCode(401);
        given().auth().oauth2(SimulatorFaults.token("")).post("/api/health/check").then().statusCode(403);
        given().auth().oauth2(io.jitsiops.testkit.OidcTokens.forAudience("another-api", "jitsi-ops-operator"))
                .post("/api/health/check").then().statusCode(401);
        given().auth().oauth2(SimulatorFaults.token("jitsi-ops-operator")).post("/api/health/check").then().statusCode(200)
                .body("status", not(equalTo("UNKNOWN"))).body("checks.size()", greaterThan(10))
                .body("checks[0].since", not(nullValue()));
    }

    @Test
    void reportsTheOverallStatusAsTheWorstCheckWithEveryCheckListed() {
        run();
        given().get("/api/health").then().statusCode(200)
                .body("checkedAt", not(nullValue()))
                .body("checks.find { it.target == 'jvb-1' && it.check == 'about-health' }.status", equalTo("UP"))
                .body("checks.find { it.target == 'jvb-1' && it.check == 'about-health' }.latencyMs", not(nullValue()));
    }

    @Test
    void keepsTheHistoryInPostgresqlAndFiltersIt() throws Exception {
        // what a test before this one ran is finished and written first: its rows are older than `before`, and no
        // run of its is still in flight for this one's to join (a run joins the one under way for the same check)
        run();
        awaitDelivered();
        Instant before = Instant.now();
        run();
        run();
        awaitDelivered();
        given().queryParam("component", "jvb").queryParam("target", "jvb-2").queryParam("since", before.toString())
                .get("/api/health/history").then().statusCode(200)
                .body("size()", equalTo(4)) // two checks of jvb-2, twice
                .body("[0].component", equalTo("jvb")).body("[0].target", equalTo("jvb-2"));
        given().queryParam("since", "yesterday").get("/api/health/history").then().statusCode(400)
                .body(containsString("ISO-8601"));
    }

    @Test
    void publishesResultsAndStatusChangesToKafkaKeyedByTarget() {
        run();
        SimulatorFaults.inject("jvb-2", "DOWN", 0);
        run();
        EventCodec codec = new EventCodec();
        ConsumerRecord<String, byte[]> change = KafkaRecords.first(Topics.HEALTH, r -> {
            CloudEvent<EventPayload> e = codec.decode(r.value());
            return e.data() instanceof HealthStatusChanged c && c.target().equals("jvb-2")
                    && c.current().name().equals("DOWN") && c.previous() != null;
        });
        assertThat(change.key()).isEqualTo("jvb/jvb-2");
        HealthStatusChanged c = (HealthStatusChanged) codec.decode(change.value()).data();
        assertThat(c.previous().name()).isEqualTo("UP");
        // The bridge's own words, from its health endpoint or from its stats (which it still serves while unhealthy).
        assertThat(c.error()).containsAnyOf("HTTP 500", "healthy: false");
    }

    @Test
    void exportsEveryCheckAsPrometheusSeries() {
        run();
        String metrics = given().accept("text/plain; version=0.0.4").get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).containsPattern("jitsiops_health_check_up\\{check=\"about-health\",component=\"jvb\",target=\"jvb-1\",?} 1.0");
        assertThat(metrics).contains("jitsiops_health_check_latency_seconds_bucket{check=\"bosh-session\",component=\"prosody\"");
        assertThat(metrics).contains("jitsiops_health_schedule_lag_seconds");
    }

    @Test
    void streamsResultsAsServerSentEvents() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        var response = client.sendAsync(HttpRequest.newBuilder(stream).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofLines());
        Thread.sleep(500); // subscribed before the checks run
        run();
        try (Stream<String> lines = response.get().body()) {
            String first = lines.filter(l -> l.startsWith("data:")).findFirst().orElseThrow();
            assertThat(first).contains("\"component\"").contains("\"status\"");
        }
    }

    private void run() {
        scheduler.runAll().await().atMost(Duration.ofSeconds(30));
    }

    private static void awaitDelivered() throws InterruptedException {
        Thread.sleep(1500); // results are written in batches after the checks complete
    }

    @Test
    void everySeriesTheShippedSelfMonitoringAlertsReadIsExposed() {
        // k8s/base/health-service-rules.yaml: an alert on a series this service does not expose would never fire
        run();
        var read = SelfMonitoringRules.seriesRead("health-service");
        assertThat(read).contains("jitsiops_health_schedule_lag_seconds_count", "jitsiops_health_checks_skipped_total",
                "kafka_producer_record_error_total", "jitsiops_health_buffer_items", "jitsiops_health_buffer_capacity",
                "jitsiops_health_buffer_dropped_total");
        assertThat(SelfMonitoringRules.exposed(given().get("/q/metrics").asString())).containsAll(read);
    }
}
