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
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A resolved posted alert is held while Prometheus may still post it again (a quarter of an hour after it ended or was
 * last posted), then forgotten, and a group that ended leaves the in-memory notification log with its row (retention):
 * memory follows the alerts that are active, not every alert ever posted. The same
 * resources as the other API tests, so the application is shared, not restarted.
 */
@QuarkusTest
@QuarkusTestResource(JitsiOpsTestResource.class)
@QuarkusTestResource(SmtpTestResource.class)
@QuarkusTestResource(AlertTestResource.class)
class ResolvedAlertForgettingTest {
    @Inject
    ExternalAlertIntake injected;

    @Inject
    Pool pool;

    @Inject
    NotificationService notifications;

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    private String post(String instance, Instant endsAt) {
        String name = "ForgetProbe";
        given().header("Authorization", "Bearer " + AlertTestResource.INTAKE_SECRET).contentType(ContentType.JSON)
                .body("[{\"labels\":{\"alertname\":\"" + name + "\",\"instance\":\"" + instance + "-" + run + "\"},\"endsAt\":\""
                        + endsAt + "\"}]")
                .post("/api/v2/alerts").then().statusCode(200);
        return Fingerprints.of(name, Map.of("alertname", name, "instance", instance + "-" + run));
    }

    private long historyRows(String fingerprint) {
        return pool.preparedQuery("SELECT count(*) FROM alerts.alert_history WHERE fingerprint = $1")
                .execute(Tuple.of(fingerprint)).await().atMost(Duration.ofSeconds(30)).iterator().next().getLong(0);
    }

    @Test
    void aResolvedAlertIsForgottenAQuarterOfAnHourAfterItEndedWhileAFiringOneIsKept() throws Exception {
        ExternalAlertIntake intake = ClientProxy.unwrap(injected); // the bean itself: its thread
        Instant now = Instant.now();
        String firing = post("firing", now.plus(Duration.ofHours(2)));
        String resolvedHere = post("resolved-here", now.plus(Duration.ofHours(2)));
        String postedResolved = post("posted-resolved", now.minusSeconds(60));
        await().atMost(Duration.ofSeconds(30)).until(() -> intake.heldState(firing) == AlertState.FIRING
                && intake.heldState(resolvedHere) == AlertState.FIRING && intake.heldState(postedResolved) == AlertState.RESOLVED);
        post("resolved-here", Instant.now().minusSeconds(1)); // Prometheus says it ended
        await().atMost(Duration.ofSeconds(30)).until(() -> intake.heldState(resolvedHere) == AlertState.RESOLVED);
        assertThat(PrometheusIntakeTest.intakeMetric("jitsiops_alert_intake_held_alerts")).isGreaterThanOrEqualTo(3);

        // within the quarter of an hour a re-post of the resolved alert changes nothing: it is still held
        intake.forgetResolvedAt(Instant.now().plus(ExternalAlertIntake.FORGET_RESOLVED_AFTER).minusSeconds(60));
        assertThat(intake.heldState(resolvedHere)).isEqualTo(AlertState.RESOLVED);
        assertThat(intake.heldState(postedResolved)).isEqualTo(AlertState.RESOLVED);

        intake.forgetResolvedAt(Instant.now().plus(ExternalAlertIntake.FORGET_RESOLVED_AFTER).plusSeconds(60));
        assertThat(intake.heldState(resolvedHere)).as("forgotten").isNull();
        assertThat(intake.heldState(postedResolved)).as("forgotten").isNull();
        assertThat(intake.heldState(firing)).as("a firing alert is never forgotten").isEqualTo(AlertState.FIRING);
        post("firing", Instant.now().minusSeconds(1)); // leaves nothing firing for the other tests
    }

    @Test
    void aForgottenAlertPostedAgainAsResolvedChangesNothingAndPostedFiringFiresAgain() throws Exception {
        ExternalAlertIntake intake = ClientProxy.unwrap(injected);
        String fp = post("again", Instant.now().plus(Duration.ofHours(2)));
        await().atMost(Duration.ofSeconds(30)).until(() -> intake.heldState(fp) == AlertState.FIRING);
        post("again", Instant.now().minusSeconds(1));
        await().atMost(Duration.ofSeconds(30)).until(() -> historyRows(fp) == 2); // fired, resolved: both written
        intake.forgetResolvedAt(Instant.now().plus(ExternalAlertIntake.FORGET_RESOLVED_AFTER).plusSeconds(60));
        assertThat(intake.heldState(fp)).isNull();

        // Prometheus posts a resolved alert for 15 minutes: held again, nothing written
        post("again", Instant.now().minusSeconds(30));
        await().atMost(Duration.ofSeconds(30)).until(() -> intake.heldState(fp) == AlertState.RESOLVED);
        assertThat(historyRows(fp)).isEqualTo(2);

        // and firing again is a new firing, as for any resolved alert
        post("again", Instant.now().plus(Duration.ofHours(2)));
        await().atMost(Duration.ofSeconds(30)).until(() -> intake.heldState(fp) == AlertState.FIRING && historyRows(fp) == 3);
        post("again", Instant.now().minusSeconds(1));
    }

    @Test
    void theNotificationLogEntryOfAGroupThatEndedIsForgottenPastRetentionWhileAHeldGroupKeepsItsEntry() {
        String ended = "ForgetGroupEnded" + run;
        String held = "ForgetGroupHeld" + run;
        String later = Instant.now().plus(Duration.ofHours(2)).toString();
        AlertTestResource.webhookAccepts(); // whichever test class ran before: only a delivered notification is logged
        for (String name : new String[] {ended, held}) {
            given().header("Authorization", "Bearer " + AlertTestResource.INTAKE_SECRET).contentType(ContentType.JSON)
                    .body("[{\"labels\":{\"alertname\":\"" + name + "\"},\"endsAt\":\"" + later + "\"}]")
                    .post("/api/v2/alerts").then().statusCode(200);
        }
        // both told (the webhook receiver of the default route), each its own group
        await().atMost(Duration.ofSeconds(30)).until(() -> notifications.logKeys().stream().filter(k -> k.contains(ended)
                || k.contains(held)).count() == 2);
        given().header("Authorization", "Bearer " + AlertTestResource.INTAKE_SECRET).contentType(ContentType.JSON)
                .body("[{\"labels\":{\"alertname\":\"" + ended + "\"},\"endsAt\":\"" + Instant.now().minusSeconds(1) + "\"}]")
                .post("/api/v2/alerts").then().statusCode(200);
        // its resolved notice told, the group ends
        await().atMost(Duration.ofSeconds(30)).until(() -> notifications.groupKeys().stream().noneMatch(k -> k.contains(ended)));

        notifications.forgetLogBefore(Instant.now().plus(Duration.ofDays(1))); // as if both entries were past retention
        assertThat(notifications.logKeys()).as("the ended group's entry").noneMatch(k -> k.contains(ended));
        assertThat(notifications.logKeys()).as("the held group's entry").anyMatch(k -> k.contains(held));

        given().header("Authorization", "Bearer " + AlertTestResource.INTAKE_SECRET).contentType(ContentType.JSON)
                .body("[{\"labels\":{\"alertname\":\"" + held + "\"},\"endsAt\":\"" + Instant.now().minusSeconds(1) + "\"}]")
                .post("/api/v2/alerts").then().statusCode(200);
    }
}
