package io.jitsiops.alert.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.jitsiops.alert.AlertTestResource;
import io.jitsiops.alert.PrometheusIntakeTest;
import io.jitsiops.alert.evaluate.Fingerprints;
import io.jitsiops.events.payload.AlertState;
import io.jitsiops.testkit.JitsiOpsTestResource;
import io.jitsiops.testkit.SmtpTestResource;
import io.quarkus.arc.ClientProxy;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Alertmanager's --alerts.per-alertname-limit (jitsiops.alert.intake.per-alertname-limit, 100 in the tests): once that
 * many alerts of one alertname fire here, a new one is dropped and counted, while those firing are still re-posted and
 * resolved, and one that resolves makes room. The same resources as the other API tests, so the application is shared.
 */
@QuarkusTest
@QuarkusTestResource(JitsiOpsTestResource.class)
@QuarkusTestResource(SmtpTestResource.class)
@QuarkusTestResource(AlertTestResource.class)
class PerAlertnameLimitTest {
    private static final int LIMIT = AlertTestResource.LIMIT_PER_ALERTNAME;

    @Inject
    ExternalAlertIntake injected;

    private final String name = "LimitProbe" + UUID.randomUUID().toString().substring(0, 8);

    private void post(int from, int to, Instant endsAt) {
        StringBuilder body = new StringBuilder("[");
        for (int i = from; i < to; i++) {
            body.append(i == from ? "" : ",").append("{\"labels\":{\"alertname\":\"").append(name).append("\",\"pod\":\"pod-")
                    .append(i).append("\"},\"endsAt\":\"").append(endsAt).append("\"}");
        }
        given().header("Authorization", "Bearer " + AlertTestResource.INTAKE_SECRET).contentType(ContentType.JSON)
                .body(body.append(']').toString()).post("/api/v2/alerts").then().statusCode(200);
    }

    private String fingerprint(int pod) {
        return Fingerprints.of(name, Map.of("alertname", name, "pod", "pod-" + pod));
    }

    @Test
    void aNewAlertBeyondTheLimitOfItsAlertnameIsDroppedAndCountedUntilOneOfThoseFiringResolves() throws Exception {
        ExternalAlertIntake intake = ClientProxy.unwrap(injected);
        Instant later = Instant.now().plus(Duration.ofHours(2));
        double limited = PrometheusIntakeTest.intakeMetric("jitsiops_alert_intake_alerts_limited_total");
        post(0, LIMIT, later);
        await().atMost(Duration.ofSeconds(30)).until(() -> intake.firingOf(name) == LIMIT);

        post(LIMIT, LIMIT + 2, later); // two more: over the limit
        await().atMost(Duration.ofSeconds(30)).until(() ->
                PrometheusIntakeTest.intakeMetric("jitsiops_alert_intake_alerts_limited_total") >= limited + 2);
        assertThat(intake.heldState(fingerprint(LIMIT))).as("dropped, not held").isNull();
        assertThat(intake.heldState(fingerprint(LIMIT + 1))).as("dropped, not held").isNull();

        // those firing are still re-posted (no drop), and another alertname is not limited by this one
        post(0, LIMIT, later.plusSeconds(60));
        String other = Fingerprints.of(name + "Other", Map.of("alertname", name + "Other"));
        given().header("Authorization", "Bearer " + AlertTestResource.INTAKE_SECRET).contentType(ContentType.JSON)
                .body("[{\"labels\":{\"alertname\":\"" + name + "Other\"},\"endsAt\":\"" + Instant.now().minusSeconds(1) + "\"}]")
                .post("/api/v2/alerts").then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> intake.heldState(other) == AlertState.RESOLVED);
        assertThat(PrometheusIntakeTest.intakeMetric("jitsiops_alert_intake_alerts_limited_total")).isEqualTo(limited + 2);

        // one resolves: room for one new alert, not two. Which of the two is taken depends on the partitions their
        // fingerprints fall on (a post is applied a partition at a time), so either may be
        post(0, 1, Instant.now().minusSeconds(1));
        await().atMost(Duration.ofSeconds(30)).until(() -> intake.heldState(fingerprint(0)) == AlertState.RESOLVED);
        assertThat(intake.firingOf(name)).isEqualTo(LIMIT - 1);
        post(LIMIT, LIMIT + 2, later);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                PrometheusIntakeTest.intakeMetric("jitsiops_alert_intake_alerts_limited_total") >= limited + 3);
        assertThat(intake.firingOf(name)).isEqualTo(LIMIT);
        assertThat(java.util.stream.Stream.of(intake.heldState(fingerprint(LIMIT)), intake.heldState(fingerprint(LIMIT + 1))))
                .containsExactlyInAnyOrder(AlertState.FIRING, null);

        post(0, LIMIT + 2, Instant.now().minusSeconds(1)); // leaves nothing firing for the other tests
    }
}
