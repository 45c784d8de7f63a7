package io.jitsiops.alert.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.jitsiops.alert.AlertTestResource;
import io.jitsiops.testkit.JitsiOpsTestResource;
import io.jitsiops.testkit.SmtpTestResource;
import io.quarkus.arc.ClientProxy;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * When the intake thread cannot keep up and its hand-over queue is full, a post is refused with 503 (Prometheus posts
 * again) instead of memory growing without bound; once the thread catches up, every queued post is applied and posts
 * are taken again. The same resources as the other API tests, so the application is shared, not restarted.
 */
@QuarkusTest
@QuarkusTestResource(JitsiOpsTestResource.class)
@QuarkusTestResource(SmtpTestResource.class)
@QuarkusTestResource(AlertTestResource.class)
class IntakeSaturationTest {
    @Inject
    ExternalAlertIntake injected;

    @Test
    void aPostIsRefusedWith503WhileTheIntakeQueueIsFullAndTakenAgainOnceItDrains() throws Exception {
        ExternalAlertIntake intake = ClientProxy.unwrap(injected); // the bean itself: its thread, not the proxy's field
        // already ended: applied without notifying anyone, so nothing here reaches the other tests' receivers
        String ended = Instant.now().minusSeconds(60).toString();
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> busy = new CompletableFuture<>();
        intake.thread.execute(() -> {
            busy.complete(null);
            try {
                release.await(2, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        List<CompletableFuture<Integer>> queued = new ArrayList<>();
        try {
            busy.get(30, TimeUnit.SECONDS);
            // fill what is left of the queue (the evaluation tick may hold a slot of its own meanwhile)
            for (int i = 0; intake.thread.getQueue().remainingCapacity() > 0; i++) {
                queued.add(intake.take(List.of(new ExternalAlertIntake.PostableAlert(
                        Map.of("alertname", "SaturationProbe", "instance", "queued-" + i), null, null, null, Instant.parse(ended), null))));
            }
            assertThat(queued).isNotEmpty();
            String post = "[{\"labels\":{\"alertname\":\"SaturationProbe\",\"instance\":\"refused\"},\"endsAt\":\"" + ended + "\"}]";
            given().header("Authorization", "Bearer " + AlertTestResource.INTAKE_SECRET).contentType(ContentType.JSON).body(post)
                    .post("/api/v2/alerts").then().statusCode(503).body(containsString("saturated"));
            assertThat(queued).noneMatch(CompletableFuture::isDone);
        } finally {
            release.countDown();
        }
        // the thread catches up: every queued post is applied, and a post is taken again
        for (CompletableFuture<Integer> q : queued) {
            assertThat(q.get(60, TimeUnit.SECONDS)).isZero(); // already ended: no change of state
        }
        String post = "[{\"labels\":{\"alertname\":\"SaturationProbe\",\"instance\":\"after\"},\"endsAt\":\"" + ended + "\"}]";
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().header("Authorization", "Bearer " + AlertTestResource.INTAKE_SECRET)
                .contentType(ContentType.JSON).body(post).post("/api/v2/alerts").then().statusCode(200));
    }
}
