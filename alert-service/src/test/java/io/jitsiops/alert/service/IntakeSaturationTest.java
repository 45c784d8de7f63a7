package io.jitsiops.alert.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.jitsiops.alert.AlertTestResource;
import io.jitsiops.alert.PrometheusIntakeTest;
import io.jitsiops.testkit.JitsiOpsTestResource;
import io.jitsiops.testkit.SmtpTestResource;
import io.quarkus.arc.ClientProxy;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * When the intake thread falls behind (its hand-over queue half full), a post waits, its body unread, as it does for
 * PostgreSQL: it is taken once the thread catches up, and refused with 503 only past max-wait (1 s in the tests),
 * counted as {@code refused_intake_queue_full}. Memory stays bounded either way. The same resources as the other API
 * tests, so the application is shared, not restarted.
 */
@QuarkusTest
@QuarkusTestResource(JitsiOpsTestResource.class)
@QuarkusTestResource(SmtpTestResource.class)
@QuarkusTestResource(AlertTestResource.class)
class IntakeSaturationTest {
    /** Already ended: applied without notifying anyone, so nothing here reaches the other tests' receivers. */
    private static final String ENDED = Instant.now().minusSeconds(60).toString();

    @Inject
    ExternalAlertIntake injected;

    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void releaseTheThread() {
        release.countDown();
    }

    /** Holds the intake thread busy and queues no-op hand-overs behind it until the queue is half full. */
    private ExternalAlertIntake holdTheThreadWithItsQueueHalfFull() throws Exception {
        ExternalAlertIntake intake = ClientProxy.unwrap(injected); // the bean itself: its thread, not the proxy's field
        CompletableFuture<Void> busy = new CompletableFuture<>();
        intake.thread.execute(() -> {
            busy.complete(null);
            try {
                release.await(2, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        busy.get(30, TimeUnit.SECONDS);
        while (intake.thread.getQueue().size() < ExternalAlertIntake.QUEUE_CAPACITY / 2) {
            intake.thread.execute(() -> { });
        }
        assertThat(intake.threadBehind()).isTrue();
        return intake;
    }

    private static CompletableFuture<Response> postInBackground(String instance) {
        String post = "[{\"labels\":{\"alertname\":\"SaturationProbe\",\"instance\":\"" + instance + "\"},\"endsAt\":\"" + ENDED + "\"}]";
        return CompletableFuture.supplyAsync(() -> given().header("Authorization", "Bearer " + AlertTestResource.INTAKE_SECRET)
                .contentType(ContentType.JSON).body(post).post("/api/v2/alerts"));
    }

    @Test
    void aPostWaitsWhileTheIntakeThreadIsBehindAndIsTakenOnceItCatchesUp() throws Exception {
        holdTheThreadWithItsQueueHalfFull();
        double waited = PrometheusIntakeTest.intakeMetric("jitsiops_alert_intake_posts_waited_total");
        CompletableFuture<Response> post = postInBackground("waits");
        Thread.sleep(300);
        assertThat(post).isNotDone(); // neither refused nor taken: waiting
        assertThat(PrometheusIntakeTest.intakeMetric("jitsiops_alert_intake_posts_waiting")).isGreaterThanOrEqualTo(1);
        release.countDown();
        assertThat(post.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(PrometheusIntakeTest.intakeMetric("jitsiops_alert_intake_posts_waited_total")).isGreaterThanOrEqualTo(waited + 1);
    }

    @Test
    void aPostIsRefusedWith503AsIntakeQueueFullOnceTheThreadHasBeenBehindForLongerThanMaxWait() throws Exception {
        ExternalAlertIntake intake = holdTheThreadWithItsQueueHalfFull();
        double refused = PrometheusIntakeTest.intakeMetric("jitsiops_alert_intake_posts_total{outcome=\"refused_intake_queue_full\"}");
        Response answer = postInBackground("refused").get(30, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.asString()).contains("intake thread");
        assertThat(PrometheusIntakeTest.intakeMetric("jitsiops_alert_intake_posts_total{outcome=\"refused_intake_queue_full\"}"))
                .isEqualTo(refused + 1);
        release.countDown();
        org.awaitility.Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> !intake.threadBehind());
        assertThat(postInBackground("after").get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
}
