package io.jitsiops.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.jitsiops.alert.evaluate.Transition;
import io.jitsiops.alert.repository.AlertRepository;
import io.jitsiops.events.payload.AlertSeverity;
import io.jitsiops.events.payload.AlertState;
import io.jitsiops.testkit.JitsiOpsTestResource;
import io.jitsiops.testkit.SmtpTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;

/**
 * Replicas that start together (or reload the same rules file) all find the alerts whose rule changed; the
 * resolution is claimed in PostgreSQL so that exactly one of them resolves each and sends its resolved notice.
 */
@QuarkusTest
@QuarkusTestResource(JitsiOpsTestResource.class)
@QuarkusTestResource(SmtpTestResource.class)
@QuarkusTestResource(AlertTestResource.class)
class ChangedRuleResolutionTest {
    @Inject
    AlertRepository repository;

    @Test
    void twoReplicasClaimingTheSameChangedAlertsResolveEachExactlyOnce() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String a = "claim-" + UUID.randomUUID().toString().substring(0, 8);
        String b = "claim-" + UUID.randomUUID().toString().substring(0, 8);
        repository.persist(List.of(firing(a, now), firing(b, now))).await().atMost(Duration.ofSeconds(30));

        // both replicas race for both alerts at the same moment
        List<Set<String>> claims = Uni.join().all(repository.claimResolution(List.of(a, b), now),
                repository.claimResolution(List.of(b, a), now)).andFailFast().await().atMost(Duration.ofSeconds(30));

        assertThat(claims.get(0).size() + claims.get(1).size()).isEqualTo(2);
        assertThat(java.util.Collections.disjoint(claims.get(0), claims.get(1))).as("claimed by both: %s", claims).isTrue();
        Set<String> all = new java.util.HashSet<>(claims.get(0));
        all.addAll(claims.get(1));
        assertThat(all).as("each alert claimed once").containsExactlyInAnyOrder(a, b);
        assertThat(repository.find(a).await().atMost(Duration.ofSeconds(10))).get()
                .satisfies(alert -> assertThat(alert.state()).isEqualTo(AlertState.RESOLVED));
        // a replica starting later finds them resolved: nothing left to claim, no second notice
        assertThat(repository.claimResolution(List.of(a, b), now).await().atMost(Duration.ofSeconds(10))).isEmpty();
    }

    private static Transition firing(String fp, Instant at) {
        return new Transition(fp, "cpu-warning", Map.of("alertname", "cpu-warning", "target", fp), null, AlertState.FIRING,
                AlertSeverity.WARNING, false, 0.9, 0.8, at, at, "cpu high on " + fp, "", null, null, null);
    }
}
