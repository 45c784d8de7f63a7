package io.jitsiops.metrics.model;

import java.time.Instant;

/**
 * Something about a target's configuration that stops it from being measured, and the exact setting that fixes it
 * (e.g. a JVB answering 404 on {@code /colibri/stats}: {@code videobridge.apis.rest.enabled = true}).
 *
 * @param setting the configuration to change, as the component's own file spells it; null for a non-config problem
 */
public record Finding(String component, String target, String endpoint, String problem, String setting, Instant since) {
}
