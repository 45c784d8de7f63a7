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
        return http.get(uri, settings.timeout(), Map.of()).map(this::evaluate)
                .onFailure(f -> unresolved(f) && unresolvedHint() != null)
                .recoverWithItem(f -> ProbeOutcome.down(null, HttpProber.describe(f, settings.timeout()) + " — "
                        + unresolvedHint()))
                .onFailure(f -> unreachable(f) && unreachableHint() != null)
                .recoverWithItem(f -> ProbeOutcome.transientDown(null, HttpProber.describe(f, settings.timeout())
                        + " — " + unreachableHint(), Map.of()));
    }

    /**
     * Configuration diagnosis: the component's host name does not resolve where jitsi-ops runs, typically a name only
     * the Jitsi containers' own network knows (docker-jitsi-meet's {@code jvb}, {@code jicofo}, a Kubernetes pod
     * name) copied into the deployment description.
     */
    String unresolvedHint() {
        String what = switch (key.component()) {
            case "jvb" -> "JVB's health endpoint";
            case "jicofo" -> "jicofo's REST interface";
            default -> null;
        };
        return what == null ? null : what + " is unreachable from where jitsi-ops runs: its host name '" + uri.getHost()
                + "' does not resolve here (a name only the Jitsi containers' network knows?); set the url of "
                + key.component() + " '" + key.target() + "' in the deployment description to a name or address this "
                + "host resolves and reaches";
    }

    private static boolean unresolved(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.UnknownHostException || t instanceof java.nio.channels.UnresolvedAddressException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Configuration diagnosis: why the component's REST interface may be out of reach from where jitsi-ops runs.
     * Both listen on loopback by default: JVB's private HTTP server ({@code videobridge.http-servers.private.host =
     * 127.0.0.1}, port 8080, jvb {@code reference.conf}) and jicofo's ({@code jicofo.rest.host = "127.0.0.1"}, port
     * 8888, {@code jicofo.rest.enabled}).
     */
    String unreachableHint() {
        return switch (key.component()) {
            case "jvb" -> "JVB's health endpoint is unreachable from where jitsi-ops runs: the bridge's private REST "
                    + "server listens on 127.0.0.1:8080 by default; set videobridge.http-servers.private.host = "
                    + "\"0.0.0.0\" (or the address jitsi-ops reaches) in jvb.conf, and allow the port to this host";
            case "jicofo" -> "jicofo's REST interface is unreachable from where jitsi-ops runs: it listens on "
                    + "127.0.0.1:8888 by default; set jicofo.rest.host = \"0.0.0.0\" (and jicofo.rest.enabled = true) in "
                    + "jicofo.conf, and allow the port to this host";
            default -> null;
        };
    }

    /** Nothing listens there, or nothing can be reached there (refused, no route, connect timeout); not a slow answer. */
    private static boolean unreachable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof java.net.NoRouteToHostException
                    || t instanceof java.net.http.HttpConnectTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** Configuration diagnosis: a 404 from /about/health means the component's health endpoint is turned off. */
    private String notFoundHint() {
        return switch (key.component()) {
            case "jvb" -> "the bridge's health endpoint is off: set videobridge.rest.health.enabled = true in jvb.conf";
            case "jicofo" -> "jicofo's health checks are off (jicofo.health.enabled is false by default): set "
                    + "jicofo.health.enabled = true in jicofo.conf";
            default -> null;
        };
    }

    ProbeOutcome evaluate(HttpProber.Answer answer) {
        if (answer.status() == 404 && settings.expectedStatus() != 404 && notFoundHint() != null) {
            softFailures.set(0);
            return ProbeOutcome.down(answer.latencyMs(), "HTTP 404 from " + uri.getPath() + " — " + notFoundHint(),
                    Map.of("http.status", 404.0));
        }
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
