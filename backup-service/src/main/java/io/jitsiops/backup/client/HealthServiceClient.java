package io.jitsiops.backup.client;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Asks health-service whether a restarted component is healthy. Blocking (a restore's worker thread): each call is
 * bounded by the REST client's connect and read timeouts ({@code quarkus.rest-client.health-service.*}) and retried
 * twice, so an unreachable health-service costs a few seconds at most and answers {@link Verdict.Kind#UNREACHABLE},
 * never an exception. Deliberately no {@code @Timeout}: on a synchronous method it interrupts the calling thread, and
 * when it fires as the call returns (the read timeout was equal) the interrupt can land after the call — the restore's
 * next wait on PostgreSQL then failed with an InterruptedException and the restore answered 500 instead of rolling
 * back (a CI run of {@code RestoreTest}).
 */
@ApplicationScoped
public class HealthServiceClient {
    private final HealthServiceRestClient rest;

    public HealthServiceClient(@RestClient HealthServiceRestClient rest) {
        this.rest = rest;
    }

    /** What health-service says of a component. */
    public record Verdict(Kind kind, String detail) {
        public enum Kind {
            /** every check of the component ran since the restart and is UP */
            UP,
            /** a check that ran since the restart is not UP */
            NOT_UP,
            /** health-service watches the component but has not checked it again since the restart */
            STALE,
            /** health-service has no check of the component */
            NOT_WATCHED,
            /** health-service did not answer */
            UNREACHABLE
        }
    }

    /** health-service's report now; throws when it does not answer within the timeout after its retries. */
    @Retry(maxRetries = 2, delay = 200)
    public HealthServiceReport report() {
        return rest.now();
    }

    /** The verdict when health-service did not answer. */
    public static Verdict unreachable(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return new Verdict(Verdict.Kind.UNREACHABLE, "unreachable (" + (t.getMessage() == null ? t.getClass().getSimpleName()
                : t.getMessage()) + ")");
    }

    /** The verdict from one report (pure: unit-tested alone). */
    public static Verdict judge(HealthServiceReport report, String component, Optional<String> target, Instant since) {
        List<HealthServiceReport.Check> of = report.checks() == null ? List.of() : report.checks().stream()
                .filter(c -> component.equals(c.component()) && target.map(t -> t.equals(c.target())).orElse(true)).toList();
        String what = component + target.map(t -> "/" + t).orElse("");
        if (of.isEmpty()) {
            return new Verdict(Verdict.Kind.NOT_WATCHED, "has no check of " + what);
        }
        // Only checks from the restart on count, with no slack for two hosts' clocks: a slack reaches back before the
        // stop when stop and start are under a second apart (the stack test saw a pre-stop UP judge a restart healthy).
        // A lagging health-service clock can only make a fresh check look stale: the wait goes on, never a false UP.
        List<HealthServiceReport.Check> fresh = of.stream().filter(c -> c.checkedAt() != null && !c.checkedAt().isBefore(since))
                .toList();
        List<HealthServiceReport.Check> bad = fresh.stream().filter(c -> !"UP".equals(c.status())).toList();
        if (!bad.isEmpty()) {
            return new Verdict(Verdict.Kind.NOT_UP, String.join("; ", bad.stream().map(c -> c.target() + " " + c.check() + " "
                    + c.status() + (c.error() == null ? "" : ": " + c.error())).toList()));
        }
        if (fresh.size() < of.size()) {
            return new Verdict(Verdict.Kind.STALE, (of.size() - fresh.size()) + " of " + of.size() + " checks of " + what
                    + " not run since the restart");
        }
        return new Verdict(Verdict.Kind.UP, of.size() + " checks of " + what + " UP since the restart");
    }
}
