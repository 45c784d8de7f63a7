package io.jitsiops.alert.rest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.jitsiops.alert.config.AlertConfig;
import io.jitsiops.alert.notify.Alert;
import io.jitsiops.alert.notify.AlertStatus;
import io.jitsiops.alert.repository.AlertRepository;
import io.jitsiops.alert.rule.Route;
import io.jitsiops.alert.service.NotificationService;
import io.jitsiops.alert.service.RuleRegistry;
import io.smallrye.mutiny.Multi;

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

    /** Rows read per round trip while streaming the matching alerts. */
    static final int PAGE = 1000;

    @GET
    @Path("/alerts")
    @Operation(summary = "Firing alerts in Alertmanager's gettableAlert shape, in fingerprint order",
            description = "As Alertmanager 0.25: filter (repeatable) is a matcher, label=\"value\", label!=\"value\", "
                    + "label=~\"regex\" or label!~\"regex\", an alert must match all of them; receiver is a regular "
                    + "expression (anchored) one of the alert's receivers must match; active, silenced and inhibited "
                    + "(default true) set to false leave out the alerts that are active, silenced or inhibited. "
                    + "Every matching alert, streamed as one JSON array while the rows are read " + PAGE + " at a time.")
    @APIResponse(responseCode = "200", description = "The firing alerts matching every parameter")
    @APIResponse(responseCode = "400", description = "A filter is not a matcher, the receiver is not a regular "
            + "expression, or active/silenced/inhibited is not a boolean")
    public Multi<Map<String, Object>> list(@QueryParam("filter") List<String> filter, @QueryParam("active") String active,
                                           @QueryParam("silenced") String silenced, @QueryParam("inhibited") String inhibited,
                                           @QueryParam("receiver") String receiver) {
        V2AlertQuery query;
        try {
            query = V2AlertQuery.parse(filter, active, silenced, inhibited, receiver);
        } catch (IllegalArgumentException e) {
            throw new WebApplicationException(AlertResource.bad(e.getMessage())); // before anything is streamed
        }
        String[] after = { null };
        return Multi.createBy().repeating()
                .uni(() -> alerts.firingAfter(query.equal(), after[0], PAGE)
                        .invoke(page -> after[0] = page.isEmpty() ? after[0] : page.get(page.size() - 1).fingerprint()))
                .whilst(page -> page.size() == PAGE) // the short page that ends the rows is streamed too
                .onItem().transformToIterable(page -> matching(query, page));
    }

    /**
     * The alerts of one page of firing rows (fingerprint order, keyset {@code fingerprint > last}) that match the query.
     * Every alert Alertmanager would list is listed: the rows are read a page at a time as the answer is written, so
     * neither side holds more than a page. Paging rather than pushing every parameter into SQL: silenced and inhibited
     * are the pipeline's state (in memory, not in a column), the receivers come from the routing tree, and the regular
     * expressions keep exactly the semantics of the module's matchers (PostgreSQL's {@code ~} is POSIX, neither
     * anchored nor Java's nor Go's dialect). Only equalities narrow the SQL. The order is Alertmanager's
     * ({@code sort.Slice(res, … Fingerprint < …)}).
     */
    private List<Map<String, Object>> matching(V2AlertQuery query, List<Alert> page) {
        // alerts read back carry their derived shard, so every matcher sees it as well
        Map<String, AlertStatus> status = pipeline.statusAmong(page); // the firing set taken once per page
        Route root = rules.current().route();
        List<Map<String, Object>> found = new ArrayList<>();
        for (Alert a : page) {
            List<String> receivers = root.match(a.labels()).stream().map(Route::receiver).toList();
            AlertStatus s = status.getOrDefault(a.fingerprint(), AlertStatus.ACTIVE);
            if (query.accepts(a.labels(), s, receivers)) {
                found.add(gettable(a, s, receivers));
            }
        }
        return found;
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

    private Map<String, Object> gettable(Alert a, AlertStatus status, List<String> receivers) {
        Map<String, String> annotations = new java.util.LinkedHashMap<>();
        annotations.put("summary", a.summary() == null ? "" : a.summary());
        annotations.put("description", a.description() == null ? "" : a.description());
        return Map.of("labels", a.labels(), "annotations", annotations, "startsAt", a.startsAt().toString(),
                "endsAt", a.endsAt() == null ? "0001-01-01T00:00:00Z" : a.endsAt().toString(),
                "updatedAt", a.startsAt().toString(), "fingerprint", a.fingerprint(),
                "receivers", receivers.stream().map(r -> Map.of("name", r)).toList(),
                "status", Map.of("state", status.state(), "silencedBy", status.silencedBy(), "inhibitedBy", status.inhibitedBy()),
                "generatorURL", a.generatorUrl() == null ? config.externalUrl() + "/api/alerts/" + a.fingerprint() : a.generatorUrl());
    }
}
