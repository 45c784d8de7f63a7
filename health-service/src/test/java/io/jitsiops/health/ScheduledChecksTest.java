package io.jitsiops.health;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.jitsiops.testkit.JitsiOpsTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** The checks run by themselves, each on its interval, without anyone asking. */
@QuarkusTest
@QuarkusTestResource(JitsiOpsTestResource.class)
@TestProfile(ScheduledChecksTest.EveryTwoSeconds.class)
class ScheduledChecksTest {

    public static class EveryTwoSeconds implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("jitsiops.health.schedule-enabled", "true", "jitsiops.health.default-interval", "2s",
                    "jitsiops.health.host.interval", "2s");
        }
    }

    @Test
    void everyCheckReportsWithinItsFirstIntervalsAndKeepsReporting() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/health").then().statusCode(200)
                .body("checks.size()", greaterThanOrEqualTo(14)));
        String first = given().get("/api/health").then().extract().path("checks.find { it.target == 'jvb-1' }.checkedAt");
        await().atMost(Duration.ofSeconds(10)).until(() -> !first.equals(
                given().get("/api/health").then().extract().path("checks.find { it.target == 'jvb-1' }.checkedAt")));
    }
}
