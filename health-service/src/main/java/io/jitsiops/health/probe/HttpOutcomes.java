package io.jitsiops.health.probe;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import io.jitsiops.health.config.HealthConfig;

/** The rules every HTTP check shares: expected status, slowness, certificate expiry. */
public final class HttpOutcomes {
    private HttpOutcomes() {
    }

    /**
     * UP when the status is the expected one, DEGRADED when slow or the certificate expires soon, DOWN otherwise.
     * {@code extra} measurements are added to the ones read here.
     */
    public static ProbeOutcome evaluate(HttpProber.Answer answer, int expectedStatus, HealthConfig config,
                                        Map<String, Double> extra) {
        Map<String, Double> m = new HashMap<>(extra);
        m.put("http.status", (double) answer.status());
        answer.certificate().ifPresent(c -> m.put("tls.cert_days_to_expiry",
                Math.floor(HttpProber.daysToExpiry(c, Instant.now()) * 10) / 10));
        if (answer.status() != expectedStatus) {
            String why = "HTTP " + answer.status() + " (expected " + expectedStatus + ")" + snippet(answer.body());
            return transientStatus(answer.status()) ? ProbeOutcome.transientDown(answer.latencyMs(), why, m)
                    : ProbeOutcome.down(answer.latencyMs(), why, m);
        }
        return degradedIfSlowOrExpiring(answer.latencyMs(), m, config);
    }

    public static ProbeOutcome degradedIfSlowOrExpiring(long latencyMs, Map<String, Double> m, HealthConfig config) {
        Double days = m.get("tls.cert_days_to_expiry");
        if (days != null && days < config.tls().expiryWarningDays()) {
            return ProbeOutcome.degraded(latencyMs, "TLS certificate expires in " + Math.max(0, days.intValue()) + " days", m);
        }
        if (latencyMs > config.degradedLatency().toMillis()) {
            return ProbeOutcome.degraded(latencyMs, "slow: answered in " + latencyMs + " ms (degraded above "
                    + config.degradedLatency().toMillis() + " ms)", m);
        }
        return ProbeOutcome.up(latencyMs, m);
    }

    /** Statuses a proxy or an overloaded server answers for a moment: another attempt may succeed. */
    public static boolean transientStatus(int status) {
        return status == 429 || status == 502 || status == 503 || status == 504;
    }

    /** The start of a body, for error messages: enough to recognise an nginx error page or a stack trace. */
    public static String snippet(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String oneLine = body.replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").trim();
        return oneLine.isEmpty() ? "" : ": " + (oneLine.length() > 160 ? oneLine.substring(0, 160) + "…" : oneLine);
    }
}
