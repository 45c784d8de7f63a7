package io.jitsiops.backup.client;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What health-service answers on {@code GET /api/health} (its {@code rest.HealthReport}): the worst status and every
 * check with its status after flap damping and when it last ran. Fields this service does not use are ignored.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record HealthServiceReport(String status, Instant checkedAt, List<Check> checks) {

    /** One check ({@code rest.CheckView}): UP, DEGRADED, DOWN or UNKNOWN (pending its first run). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Check(String component, String target, String check, String status, String error, Instant checkedAt) {
    }
}
