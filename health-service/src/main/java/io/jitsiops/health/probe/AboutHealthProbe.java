package io.jitsiops.health.probe;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.jitsiops.health.config.HealthConfig;
import io.smallrye.mutiny.Uni;

/**
 * jicofo's and the bridge's {@code /about/health} (jicoco-jetty {@code org.jitsi.rest.Health}, jicofo
 * {@code ktor/Application.kt}): 200 is healthy (empty body from JVB, {@code OK} from jicofo); otherwise the body is the
 * component's own failure message and the status says how bad: 500 is a hard failure ("No valid IP addresses
 * available for harvesting.", "No operational bridges available (total bridge count: 0)") and is DOWN at once; 503
 * is a soft one ("Test conference failed to start due to timeout.", an XMPP ping timeout), which can be load, so it
 * is DEGRADED until it has persisted for {@link #SOFT_FAILURES_BEFORE_DOWN} consecutive runs, then DOWN. The status
 * code ({@code http.status}) and the body text (in the error) are kept in the result.
 */
public final class AboutHealthProbe extends HttpProbe {
    /** Consecutive soft failures after which the component counts as down (about 3 minutes at the default 60 s). */
    static final int SOFT_FAILURES_BEFORE_DOWN = 3;
    private final AtomicInteger softFailures = new AtomicInteger();

    public AboutHealthProbe(CheckKey key, URI uri, ProbeSettings settings, HttpProber http, HealthConfig config) {
        super(key, settings, uri, http, config);
    }

    @Override
    public Uni<ProbeOutcome> run() {
        return http.get(uri, settings.timeout(), Map.of()).map(this::evaluate);
    }

    ProbeOutcome evaluate(HttpProber.Answer answer) {
        if (answer.status() != 503 || settings.expectedStatus() == 503) {
            softFailures.set(0);
            ProbeOutcome outcome = HttpOutcomes.evaluate(answer, settings.expectedStatus(), config, Map.of());
            if (answer.status() == 500 && outcome.failed()) {
                return ProbeOutcome.down(answer.latencyMs(), "hard failure (HTTP 500): " + message(answer),
                        outcome.measurements());
            }
            return outcome;
        }
        int inARow = softFailures.incrementAndGet();
        Map<String, Double> m = new HashMap<>();
        m.put("http.status", 503.0);
        m.put("health.soft_failures_in_a_row", (double) inARow);
        String why = "soft failure (HTTP 503): " + message(answer);
        if (inARow >= SOFT_FAILURES_BEFORE_DOWN) {
            return ProbeOutcome.down(answer.latencyMs(), why + " — for " + inARow + " checks in a row", m);
        }
        return ProbeOutcome.degraded(answer.latencyMs(), why, m);
    }

    /** The component's own words: its body, trimmed; an HTML error page (a proxy's) reduced to its text. */
    private static String message(HttpProber.Answer answer) {
        String body = answer.body() == null ? "" : answer.body().strip();
        if (body.isEmpty()) {
            return "(no message)";
        }
        if (body.startsWith("<")) {
            return HttpOutcomes.snippet(body).replaceFirst("^: ", "");
        }
        return body.length() > 300 ? body.substring(0, 300) + "…" : body;
    }
}
