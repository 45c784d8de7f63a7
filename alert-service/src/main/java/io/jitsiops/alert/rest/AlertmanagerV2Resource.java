package io.jitsiops.alert.rest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.jitsiops.alert.config.AlertConfig;
import io.jitsiops.alert.notify.Alert;
import io.jitsiops.alert.notify.AlertStatus;
import io.jitsiops.alert.notify.Silence;
import io.jitsiops.alert.repository.AlertRepository;
import io.jitsiops.alert.rule.Matcher;
import io.jitsiops.alert.rule.Route;
import io.jitsiops.alert.service.AlertOperations;
import io.jitsiops.alert.service.NotificationService;
import io.jitsiops.alert.service.RuleRegistry;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Alertmanager's v2 API: the part Prometheus uses, so a Prometheus server can name jitsi-ops as its Alertmanager
 * ({@code alerting.alertmanagers[].path_prefix} unset, {@code api_version: v2}), and the part amtool and Grafana's
 * Alertmanager data source use — silences, alert groups, receivers — so they work against jitsi-ops unchanged.
 * Reads are open; a silence is created, changed or expired with an OIDC bearer that has the operator role (amtool:
 * {@code --http.config.file} with {@code authorization: {credentials: <token>}}). The intake,
 * {@code POST /api/v2/alerts}, is {@link AlertIntakeRoute} (a plain Vert.x route, for its per-request cost): it accepts
 * the static bearer token Prometheus sends with {@code authorization: {credentials: …}}
 * (jitsiops.alert.intake.bearer-token) or an OIDC token with the operator role.
 */
@Path("/api/v2")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "alertmanager-v2", description = "Alertmanager v2 API for Prometheus, amtool and Grafana")
public class AlertmanagerV2Resource {
    private static final Instant STARTED = Instant.now();
    private final AlertRepository alerts;
    private final NotificationService pipeline;
    private final RuleRegistry rules;
    private final AlertConfig config;

    private final AlertOperations operations;
    private final SecurityIdentity identity;

    public AlertmanagerV2Resource(AlertRepository alerts, NotificationService pipeline, RuleRegistry rules,
                                  AlertConfig config, AlertOperations operations, SecurityIdentity identity) {
        this.alerts = alerts;
        this.pipeline = pipeline;
        this.rules = rules;
        this.config = config;
        this.operations = operations;
        this.identity = identity;
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
        V2AlertQuery query = query(filter, active, silenced, inhibited, receiver);
        return firingPages(query).onItem().transformToIterable(page -> matching(query, page));
    }

    private static V2AlertQuery query(List<String> filter, String active, String silenced, String inhibited, String receiver) {
        try {
            return V2AlertQuery.parse(filter, active, silenced, inhibited, receiver);
        } catch (IllegalArgumentException e) {
            throw new WebApplicationException(AlertResource.bad(e.getMessage())); // before anything is streamed
        }
    }

    /** Every firing row the query's equalities allow, {@link #PAGE} at a time, in fingerprint order. */
    private Multi<List<Alert>> firingPages(V2AlertQuery query) {
        String[] after = { null };
        return Multi.createBy().repeating()
                .uni(() -> alerts.firingAfter(query.equal(), after[0], PAGE)
                        .invoke(page -> after[0] = page.isEmpty() ? after[0] : page.get(page.size() - 1).fingerprint()))
                .whilst(page -> page.size() == PAGE); // the short page that ends the rows is streamed too
    }

    @GET
    @Path("/alerts/groups")
    @Operation(summary = "Firing alerts by aggregation group (Alertmanager's alertGroups): the routing tree and group_by "
            + "applied to every firing alert, whichever replica holds it",
            description = "Parameters as GET /api/v2/alerts, except that receiver selects the groups whose route's "
                    + "receiver it matches (Alertmanager's route filter). Groups in label order, then by receiver; a "
                    + "group with no alert left after the filters is left out.")
    @APIResponse(responseCode = "200", description = "The groups")
    @APIResponse(responseCode = "400", description = "A parameter is not valid (as GET /api/v2/alerts)")
    public Uni<List<Map<String, Object>>> groups(@QueryParam("filter") List<String> filter, @QueryParam("active") String active,
                                                 @QueryParam("silenced") String silenced, @QueryParam("inhibited") String inhibited,
                                                 @QueryParam("receiver") String receiver) {
        V2AlertQuery query = query(filter, active, silenced, inhibited, receiver);
        V2AlertQuery alertFilter = query.withoutReceiver(); // the receiver selects groups here, by their route
        Map<String, V2Group> groups = new java.util.TreeMap<>();
        return firingPages(query).invoke(page -> {
            Map<String, AlertStatus> status = pipeline.statusAmong(page);
            Route root = rules.current().route();
            for (Alert a : page) {
                AlertStatus st = status.getOrDefault(a.fingerprint(), AlertStatus.ACTIVE);
                if (!alertFilter.accepts(a.labels(), st, List.of())) {
                    continue;
                }
                List<Route> routes = root.match(a.labels());
                List<String> receivers = routes.stream().map(Route::receiver).toList();
                Map<String, Object> gettable = null;
                for (Route r : routes) {
                    if (query.receiver() != null && !query.receiver().matcher(r.receiver()).matches()) {
                        continue;
                    }
                    Map<String, String> labels = r.groupLabels(a.labels());
                    if (gettable == null) {
                        gettable = gettable(a, st, receivers);
                    }
                    // the sort key: the group's labels, then its receiver and route (two routes may group alike)
                    groups.computeIfAbsent(labels + "\u0000" + r.receiver() + "\u0000" + r.id(),
                            k -> new V2Group(labels, r.receiver(), new ArrayList<>())).alerts().add(gettable);
                }
            }
        }).collect().last().map(x -> groups.values().stream().map(g -> Map.<String, Object>of("labels", g.labels(),
                "receiver", Map.of("name", g.receiver()), "alerts", g.alerts())).toList());
    }

    private record V2Group(Map<String, String> labels, String receiver, List<Map<String, Object>> alerts) {
    }

    @GET
    @Path("/receivers")
    @Operation(summary = "The configured receivers (Alertmanager's receiver list), by name")
    public List<Map<String, String>> receivers() {
        return pipeline.queues().keySet().stream().sorted().map(name -> Map.of("name", name)).toList();
    }

    @GET
    @Path("/silences")
    @Operation(summary = "Silences in Alertmanager's gettableSilence shape: active by end, pending by start, expired last",
            description = "filter (repeatable): a silence is listed when, for each, it has a matcher of the same name, "
                    + "operator and value (Alertmanager's CheckSilenceMatchesFilterLabels); creator (repeatable): its "
                    + "createdBy is one of them.")
    @APIResponse(responseCode = "400", description = "A filter is not a matcher")
    public List<Map<String, Object>> silences(@QueryParam("filter") List<String> filter, @QueryParam("creator") List<String> creator) {
        List<Matcher> matchers = new ArrayList<>();
        for (String f : filter == null ? List.<String>of() : filter) {
            try {
                matchers.add(Matcher.parse(f));
            } catch (IllegalArgumentException e) {
                throw new WebApplicationException(AlertResource.bad("filter " + e.getMessage()));
            }
        }
        Instant now = Instant.now();
        return pipeline.silences().stream()
                .filter(s -> V2Silences.matchesFilter(s, matchers))
                .filter(s -> creator == null || creator.isEmpty() || creator.contains(s.createdBy()))
                .sorted(V2Silences.order(now)).map(s -> V2Silences.gettable(s, now)).toList();
    }

    @GET
    @Path("/silence/{silenceID}")
    @Operation(summary = "One silence (gettableSilence)")
    @APIResponse(responseCode = "404", description = "No such silence")
    public Response silence(@PathParam("silenceID") String id) {
        return find(id).map(s -> Response.ok(V2Silences.gettable(s, Instant.now())).build())
                .orElseGet(() -> silenceNotFound());
    }

    @POST
    @Path("/silences")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(AlertResource.OPERATOR)
    @SecurityRequirement(name = "oidc")
    @Operation(summary = "Create a silence, or change one (postableSilence with its id); answers {silenceID}",
            description = "As Alertmanager: the start must be before the end and the end not in the past; a change of "
                    + "an active silence's matchers or start (or of an expired one) expires it and makes a new one, "
                    + "whose id is answered. createdBy is the token's user, not the posted text.")
    @APIResponse(responseCode = "200", description = "{silenceID}")
    @APIResponse(responseCode = "400", description = "Invalid matchers or times")
    @APIResponse(responseCode = "401", description = "No valid bearer token")
    @APIResponse(responseCode = "403", description = "The token lacks the role jitsi-ops-operator")
    @APIResponse(responseCode = "404", description = "The silence to change does not exist")
    public Uni<Response> postSilence(V2Silences.PostableSilence posted) {
        if (posted == null || posted.startsAt() == null || posted.endsAt() == null) {
            return Uni.createFrom().item(badText("startsAt and endsAt are required"));
        }
        List<Matcher> matchers;
        try {
            matchers = V2Silences.matchers(posted.matchers());
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(badText(e.getMessage()));
        }
        if (!posted.startsAt().isBefore(posted.endsAt())) {
            return Uni.createFrom().item(badText("Failed to create silence: start time must be before end time"));
        }
        // the API's times are milliseconds (go-openapi's DateTime): a silence read back and posted again by amtool
        // compares equal to what is stored
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        if (posted.endsAt().isBefore(now)) {
            return Uni.createFrom().item(badText("Failed to create silence: end time can't be in the past"));
        }
        String createdBy = identity.getPrincipal().getName();
        String comment = posted.comment() == null ? "" : posted.comment();
        // a new silence cannot start in the past: Alertmanager's Silences.Set moves such a start to now
        Silence fresh = new Silence(UUID.randomUUID(), matchers, posted.startsAt().isBefore(now) ? now : posted.startsAt(),
                posted.endsAt(), createdBy, comment, now);
        if (posted.id() == null || posted.id().isEmpty()) {
            return saved(fresh);
        }
        Optional<Silence> old = find(posted.id());
        if (old.isEmpty()) {
            return Uni.createFrom().item(silenceNotFound());
        }
        Silence existing = old.get();
        Silence changed = new Silence(existing.id(), matchers, posted.startsAt(), posted.endsAt(), createdBy, comment, now);
        if (V2Silences.canUpdate(existing, changed, now)) {
            return saved(changed);
        }
        return operations.expireSilence(existing.id()).chain(() -> saved(fresh));
    }

    private Uni<Response> saved(Silence s) {
        return operations.saveSilence(s).map(x -> Response.ok(Map.of("silenceID", s.id().toString())).build());
    }

    @DELETE
    @Path("/silence/{silenceID}")
    @RolesAllowed(AlertResource.OPERATOR)
    @SecurityRequirement(name = "oidc")
    @Operation(summary = "Expire a silence now (it stays listed as expired)")
    @APIResponse(responseCode = "200", description = "Expired (or already over)")
    @APIResponse(responseCode = "404", description = "No such silence")
    public Uni<Response> expireSilence(@PathParam("silenceID") String id) {
        Optional<Silence> s = find(id);
        if (s.isEmpty()) {
            return Uni.createFrom().item(silenceNotFound());
        }
        return operations.expireSilence(s.get().id()).map(ok -> ok ? Response.ok().build()
                : silenceNotFound());
    }

    private Optional<Silence> find(String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return pipeline.silences().stream().filter(s -> s.id().equals(uuid)).findFirst();
    }

    /** Alertmanager's answer to an unknown silence id (silence.ErrNotFound). */
    private static Response silenceNotFound() {
        return Response.status(404).type(MediaType.TEXT_PLAIN).entity("silence not found").build();
    }

    /** Alertmanager's BadRequest: a JSON string saying why (amtool prints it). */
    private static Response badText(String why) {
        return Response.status(400).type(MediaType.APPLICATION_JSON).entity(why).build();
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
    @Operation(summary = "Alertmanager's status shape: cluster disabled, version, uptime, and config.original: the routing "
            + "tree, inhibit rules, time intervals and receiver names as an Alertmanager configuration (no receiver's "
            + "URL, address or token), which amtool's 'config routes' draws and tests")
    public Map<String, Object> status() {
        return Map.of(
                "cluster", Map.of("status", "disabled", "peers", List.of()),
                "versionInfo", Map.of("version", "jitsi-ops-alert-service-0.1.0", "revision", "", "branch", "",
                        "buildUser", "", "buildDate", "", "goVersion", ""),
                "config", Map.of("original", AlertmanagerConfigText.of(rules.current(), pipeline.queues().keySet())),
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
