package io.jitsiops.health;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.jitsiops.health.probe.CheckKey;
import io.jitsiops.health.probe.Probe;
import io.jitsiops.health.probe.ProbeCatalog;
import io.jitsiops.health.probe.ProbeOutcome;
import io.jitsiops.health.service.CheckState;
import io.jitsiops.health.service.ProbeScheduler;
import io.jitsiops.health.service.ResultPipeline;
import io.jitsiops.testkit.JitsiOpsTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;

/**
 * The checks run by themselves: every configured check is listed from start-up, first runs come within the short
 * spread window although the intervals are long, and each check keeps its cadence afterwards.
 * <p>
 * In the module's one shared application (checks on demand only, {@code schedule-enabled=false} in the test profile):
 * the test starts a schedule of its own, exactly what start-up does with {@code schedule-enabled=true}, and cancels it
 * afterwards. A profile with the schedule on would restart the application and every test server (about 17 s).
 */
@QuarkusTest
@QuarkusTestResource(JitsiOpsTestResource.class)
class ScheduledChecksTest {
    @Inject
    ProbeScheduler scheduler;
    @Inject
    ProbeCatalog catalog;
    @Inject
    ResultPipeline pipeline;

    private ProbeScheduler.Schedule schedule;

    @AfterEach
    void cancelTheSchedule() {
        if (schedule != null) {
            schedule.cancel();
        }
    }

    @Test
    void listsEveryCheckFromStartAndRunsEachWithinTheSpreadWindowThoughIntervalsAreLong() {
        List<Probe> probes = catalog.probes();
        assertThat(probes).hasSizeGreaterThanOrEqualTo(14)
                .allSatisfy(p -> assertThat(p.interval()).isGreaterThanOrEqualTo(Duration.ofSeconds(30)));
        // every configured check is listed (other tests of the shared app may have added checks of their own)
        given().get("/api/health").then().statusCode(200).body("checks.size()", greaterThanOrEqualTo(probes.size()));
        assertThat(pipeline.states()).extracting(CheckState::key)
                .containsAll(probes.stream().map(Probe::key).toList());

        Instant started = Instant.now();
        schedule = scheduler.schedule(probes, Duration.ofSeconds(2));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<CheckKey, Instant> checkedAt = pipeline.states().stream().filter(s -> s.lastCheckedAt() != null)
                    .collect(Collectors.toMap(CheckState::key, CheckState::lastCheckedAt));
            assertThat(probes).allSatisfy(p -> assertThat(checkedAt.get(p.key())).as(p.key().toString())
                    .isNotNull().isAfterOrEqualTo(started));
        });
    }

    @Test
    void keepsEachChecksCadence() {
        Probe host = catalog.probes().stream().filter(p -> p.key().component().equals("host")).findFirst().orElseThrow();
        List<Instant> runs = new CopyOnWriteArrayList<>();
        Probe everySecond = new EverySecond(host, runs::add);

        schedule = scheduler.schedule(List.of(everySecond), Duration.ofMillis(200));

        // three runs with nothing asking for them: the first, and two more at the check's cadence
        await().atMost(Duration.ofSeconds(20)).until(() -> runs.size() >= 3);
        schedule.cancel();
        int afterCancel = runs.size();
        assertThat(pipeline.states()).anySatisfy(s -> assertThat(s.key()).isEqualTo(host.key()));
        await().pollDelay(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(runs.size()).as("no run after cancel").isLessThanOrEqualTo(afterCancel + 1));
    }

    /** The real host check at a one-second interval, noting when each run starts. */
    private record EverySecond(Probe host, java.util.function.Consumer<Instant> started) implements Probe {
        @Override
        public CheckKey key() {
            return host.key();
        }

        @Override
        public Duration interval() {
            return Duration.ofSeconds(1);
        }

        @Override
        public Duration timeout() {
            return host.timeout();
        }

        @Override
        public Uni<ProbeOutcome> run() {
            started.accept(Instant.now());
            return host.run();
        }
    }
}
