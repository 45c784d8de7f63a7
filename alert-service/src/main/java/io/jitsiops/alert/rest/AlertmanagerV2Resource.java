package io.jitsiops.alert.rest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.jitsiops.alert.config.AlertConfig;
import io.jitsiops.alert.notify.Alert;
import io.jitsiops.alert.repository.AlertRepository;
import io.jitsiops.alert.rule.Matcher;
import io.jitsiops.alert.service.NotificationService;
import io.jitsiops.alert.service.RuleRegistry;
import io.smallrye.mutiny.Uni;

/**
 * The part of Alertmanager's v2 API that Prometheus uses, so a Prometheus server can name jitsi-ops as its
 * Alertmanager ({@code alerting.alertmanagers[].path_prefix} unset, {@code api_version: v2}). The intake,
 * {@code POST /api/v2/alerts}, is {@link AlertIntakeRoute} (a plain Vert.x route, for its per-request cost): it accepts
 * the static bearer token Prometheus sends with {@code authorization: {credentials: …}}
 * (jitsiops.alert.intake.bearer-token) or an OIDC token with the operator role.
 */
@Path("/api/v2")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "alertmanager-v2", description = "Alertmanager v2 API subset for Prometheus")
public class AlertmanagerV2Resource {
    private static final Instant STARTED = Instant.now();
    private final AlertRepository alerts;
    private final NotificationService pipeline;
    private final RuleRegistry rules;
    private final AlertConfig config;

    public AlertmanagerV2Resource(AlertRepository alerts, NotificationService pipeline, RuleRegistry rules,
                                  AlertConfig config) {
        this.alerts = alerts;
        this.pipeline = pipeline;
        this.rules = rules;
        this.config = config;
    }

    @GET
    @Path("/alerts")
    @Operation(summary = "Firing alerts in Alertmanager's gettableAlert shape",
            description = "filter (repeatable): a matcher in Alertmanager's syntax, label=\"value\", label!=\"value\", "
                    + "label=~\"regex\" or label!~\"regex\"; an alert must match all of them")
    @APIResponse(responseCode = "200", description = "The firing alerts matching every filter")
    @APIResponse(responseCode = "400", description = "A filter is not a matcher")
    public Uni<Response> list(@QueryParam("filter") List<String> filter) {
        Map<String, String> equal = new HashMap<>();
        List<Matcher> others = new ArrayList<>();
        for (String f : filter) {
            Matcher m;
            try {
                m = Matcher.parse(f);
            } catch (IllegalArgumentException e) {
                return Uni.createFrom().item(AlertResource.bad("filter " + e.getMessage()));
            }
            // equality goes to the repository's label filter, the one GET /api/alerts uses: it also finds rows stored
            // before the shard label existed through their target; label="" means "no such label", which a JSON
            // containment cannot say, and a second value for one label must hold too: both checked on the read labels
            if (m.op() == Matcher.Op.EQ && !m.value().isEmpty() && !equal.containsKey(m.name())) {
                equal.put(m.name(), m.value());
            } else {
                others.add(m);
            }
        }
        return alerts.find(new AlertRepository.Filter("FIRING", null, equal, 1000)).map(found -> {
            // alerts read back carry their derived shard, so the other matchers see it as well
            List<Alert> list = others.isEmpty() ? found
                    : found.stream().filter(a -> Matcher.all(others, a.labels())).toList();
            java.util.Set<String> muted = pipeline.mutedAmong(list); // the firing set taken once, not once per alert
            return Response.ok(list.stream().map(a -> gettable(a, muted.contains(a.fingerprint()))).toList()).build();
        });
    }

    @GET
    @Path("/status")
    @Operation(summary = "Alertmanager's status shape: cluster disabled, version, configuration summary, uptime")
    public Map<String, Object> status() {
        return Map.of(
                "cluster", Map.of("status", "disabled", "peers", List.of()),
                "versionInfo", Map.of("version", "jitsi-ops-alert-service-0.1.0", "revision", "", "branch", "",
                        "buildUser", "", "buildDate", "", "goVersion", ""),
                "config", Map.of("original", "route receiver: " + rules.current().route().receiver() + "; receivers: "
                        + pipeline.queues().keySet()),
                "uptime", STARTED.toString());
    }

    private Map<String, Object> gettable(Alert a, boolean muted) {
        Map<String, String> annotations = new java.util.LinkedHashMap<>();
        annotations.put("summary", a.summary() == null ? "" : a.summary());
        annotations.put("description", a.description() == null ? "" : a.description());
        return Map.of("labels", a.labels(), "annotations", annotations, "startsAt", a.startsAt().toString(),
                "endsAt", a.endsAt() == null ? "0001-01-01T00:00:00Z" : a.endsAt().toString(),
                "updatedAt", a.startsAt().toString(), "fingerprint", a.fingerprint(),
                "receivers", rules.current().route().match(a.labels()).stream().map(r -> Map.of("name", r.receiver())).toList(),
                "status", Map.of("state", muted ? "suppressed" : "active", "silencedBy", List.of(), "inhibitedBy", List.of()),
                "generatorURL", a.generatorUrl() == null ? config.externalUrl() + "/api/alerts/" + a.fingerprint() : a.generatorUrl());
    }
}
