package io.jitsiops.metrics.export;

import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.ext.web.Router;

/**
 * Content negotiation for {@code /q/metrics} by quality values, as Prometheus and the Jitsi servers (jicoco
 * {@code MetricsContainer}) do it. Quarkus' own handler picks the 0.0.4 text format whenever the Accept header
 * mentions {@code text/plain} at all, so Prometheus' header
 * ({@code application/openmetrics-text;version=1.0.0,…,text/plain;version=0.0.4;q=0.5,*}{@code /*;q=0.1}) got the
 * old format although it prefers OpenMetrics. This filter runs first and leaves the handler one unambiguous type:
 * the highest-q of OpenMetrics ({@code *}{@code /*} counts as OpenMetrics, as with the JVB) and the text format;
 * the earlier one on a tie; an Accept header naming neither is left as it is.
 */
@ApplicationScoped
public class ExpositionNegotiation {
    static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";

    void route(@Observes Router router) {
        router.route("/q/metrics").order(Integer.MIN_VALUE).handler(rc -> {
            String chosen = choose(rc.request().getHeader("Accept"));
            if (chosen != null) {
                rc.request().headers().set("Accept", chosen);
            }
            rc.next();
        });
    }

    /** The one exposition type the Accept header prefers, or null when it names neither (nor *}{@code /*). */
    static String choose(String accept) {
        if (accept == null || accept.isBlank()) {
            return null;
        }
        String best = null;
        double bestQ = -1;
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            String type = parts[0].trim().toLowerCase(Locale.ROOT);
            double q = 1;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].trim();
                if (p.startsWith("q=") || p.startsWith("Q=")) {
                    try {
                        q = Double.parseDouble(p.substring(2).trim());
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            String candidate = switch (type) {
                case "application/openmetrics-text", "*/*", "application/*" -> OPENMETRICS;
                case "text/plain", "text/*", "text/html" -> TEXT; // a browser reads the text format
                default -> null;
            };
            if (candidate != null && q > 0 && q > bestQ) {
                best = candidate;
                bestQ = q;
            }
        }
        return best;
    }
}
