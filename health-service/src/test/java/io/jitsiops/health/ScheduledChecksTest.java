package io.jitsiops.health;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.jitsiops.testkit.JitsiOpsTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The checks run by themselves: every configured check is listed from start-up (UNKNOWN until its first run),
 * first runs come within the short spread window although the interval is a minute, and each check keeps its
 * cadence afterwards.
 */
@QuarkusTest
@QuarkusTestResource(JitsiOpsTestResource.class)
@TestProfile(ScheduledChecksTest.MinuteIntervalsTwoSecondSpread.class)
class ScheduledChecksTest {

    public static class MinuteIntervalsTwoSecondSpread implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("jitsiops.health.schedule-enabled", "true", "jitsiops.health.default-interval", "60s",
                    "jitsiops.health.first-run-spread", "2s", "jitsiops.health.host.interval", "2s");
        }
    }

    @Test
    void listsEveryCheckFromStartAndRunsEachWithinTheSpreadWindowThoughIntervalsAreAMinute() {
        given().get("/api/health").then().statusCode(200).body("checks.size()", greaterThanOrEqualTo(14));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/health").then().statusCode(200)
                .body("checks.findAll { it.status == 'UNKNOWN' }.size()", equalTo(0))
                .body("status", not(equalTo("UNKNOWN"))));
    }

    @Test
    void keepsEachChecksCadence() {
        await().atMost(Duration.ofSeconds(20)).until(() -> given().get("/api/health").then().extract()
                .path("checks.find { it.component == 'host' && it.target == 'jvb-host' }.checkedAt") != null);
        String first = given().get("/api/health").then().extract()
                .path("checks.find { it.component == 'host' && it.target == 'jvb-host' }.checkedAt");
        await().atMost(Duration.ofSeconds(10)).until(() -> !first.equals(given().get("/api/health").then().extract()
                .path("checks.find { it.component == 'host' && it.target == 'jvb-host' }.checkedAt")));
    }
}
