package io.jitsiops.alert.rest;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.jitsiops.alert.notify.Alert;
import io.jitsiops.alert.notify.AlertStatus;
import io.jitsiops.alert.repository.AlertRepository;
import io.jitsiops.alert.repository.NotificationRepository;
import io.jitsiops.alert.rule.RuleFileParser;
import io.jitsiops.alert.service.AlertOperations;
import io.jitsiops.alert.service.NotificationService;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

@Path("/api/alerts")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "alerts", description = "Alerts, their history and notifications; acknowledgement")
public class AlertResource {
    static final String OPERATOR = "jitsi-ops-operator";
    /** The number of alerts matching a list's filters, however many the list holds (its limit). */
    static final String TOTAL_COUNT = "X-Total-Count";
    private final AlertRepository alerts;
    private final NotificationRepository notifications;
    private final NotificationService pipeline;
    private final AlertOperations operations;
    private final SecurityIdentity identity;

    public AlertResource(AlertRepository alerts, NotificationRepository notifications, NotificationService pipeline,
                         AlertOperations operations, SecurityIdentity identity) {
        this.alerts = alerts;
        this.notifications = notifications;
        this.pipeline = pipeline;
        this.operations = operations;
        this.identity = identity;
    }

    @GET
    @Operation(summary = "Alerts, most recently changed first (order=severity: critical first)",
            description = "Each alert with muted (silenced or inhibited now), silencedBy (silence ids) and inhibitedBy (the inhibiting alert's fingerprint). Filters: state (pending, firing, resolved), severity (info, warning, critical), label=name=value (repeatable). order=changed (default) or severity: critical, warning, info, none, paging alerts first within each, then most recently changed. Header X-Total-Count: how many match, whatever the limit (1-1000, default 100)")
    @APIResponse(responseCode = "200", description = "The matching alerts, up to the limit; X-Total-Count: all that match")
    @APIResponse(responseCode = "400", description = "A label filter is not name=value, or state, severity or order is not one of its values")
    public Uni<Response> list(@QueryParam("state") String state, @QueryParam("severity") String severity,
                              @QueryParam("label") List<String> labels, @QueryParam("limit") @DefaultValue("100") int limit,
                              @QueryParam("order") @DefaultValue("changed") String order) {
        Map<String, String> byLabel = new HashMap<>();
        for (String l : labels) {
            int eq = l.indexOf('=');
            if (eq <= 0) {
                return Uni.createFrom().item(bad("label filter '" + l + "' is not name=value"));
            }
            byLabel.put(l.substring(0, eq), l.substring(eq + 1));
        }
        if (state != null && !List.of("pending", "firing", "resolved").contains(state.toLowerCase())) {
            return Uni.createFrom().item(bad("state must be pending, firing or resolved"));
        }
        if (severity != null && !List.of("info", "warning", "critical").contains(severity.toLowerCase())) {
            return Uni.createFrom().item(bad("severity must be info, warning or critical"));
        }
        if (!List.of("changed", "severity").contains(order)) {
            return Uni.createFrom().item(bad("order must be changed or severity"));
        }
        AlertRepository.Filter filter = new AlertRepository.Filter(state, severity, byLabel, Math.max(1, Math.min(limit, 1000)),
                order.equals("severity"));
        return Uni.combine().all().unis(alerts.find(filter), alerts.count(filter)).asTuple()
                .map(found -> {
                    List<Alert> list = found.getItem1();
                    Map<String, AlertStatus> status = pipeline.statusAmong(list);
                    return Response.ok(list.stream().map(a -> new Views.AlertListItem(a, status.getOrDefault(a.fingerprint(), AlertStatus.ACTIVE)))
                            .toList()).header(TOTAL_COUNT, found.getItem2()).build();
                });
    }

    @GET
    @Path("/{fingerprint}")
    @Operation(summary = "One alert with its history and the notifications sent about it (delivered or not)")
    @APIResponse(responseCode = "200", description = "The alert")
    @APIResponse(responseCode = "404", description = "No such alert")
    public Uni<Response> get(@PathParam("fingerprint") String fingerprint) {
        return alerts.find(fingerprint).chain(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().item(Response.status(404).entity(new Views.Problem("no alert " + fingerprint)).build());
            }
            Alert a = found.get();
            return Uni.combine().all().unis(alerts.history(fingerprint), notifications.deliveriesOf(fingerprint)).asTuple()
                    .map(t -> {
                        AlertStatus status = pipeline.statusAmong(List.of(a)).getOrDefault(a.fingerprint(), AlertStatus.ACTIVE);
                        return Response.ok(new Views.AlertDetail(a, status.suppressed(), status.silencedBy(),
                                status.inhibitedBy(), t.getItem1(), t.getItem2())).build();
                    });
        });
    }

    @POST
    @Path("/{fingerprint}/ack")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(OPERATOR)
    @SecurityRequirement(name = "oidc")
    @Operation(summary = "Acknowledge an alert: no repeats until it resolves or the acknowledgement ends",
            description = "Body (optional): {\"duration\": \"4h\"}; default jitsiops.alert.ack.default-duration")
    @APIResponse(responseCode = "200", description = "Acknowledged until the time given")
    @APIResponse(responseCode = "401", description = "No valid bearer token for this service")
    @APIResponse(responseCode = "403", description = "The token lacks the role jitsi-ops-operator")
    @APIResponse(responseCode = "404", description = "No such active alert")
    public Uni<Response> ack(@PathParam("fingerprint") String fingerprint, Views.AckRequest request) {
        Duration duration = null;
        if (request != null && request.duration() != null) {
            try {
                duration = RuleFileParser.parseDuration(request.duration());
            } catch (IllegalArgumentException e) {
                return Uni.createFrom().item(bad("duration: " + e.getMessage()));
            }
        }
        return operations.acknowledge(fingerprint, duration, identity.getPrincipal().getName())
                .map(until -> until.map(u -> Response.ok(new Views.Ack(fingerprint, u)).build())
                        .orElseGet(() -> Response.status(404).entity(new Views.Problem("no active alert " + fingerprint)).build()));
    }

    @GET
    @Path("/{fingerprint}/ack-link")
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(summary = "Acknowledge through the signed, expiring link of a notification (the signature is the authority)")
    @APIResponse(responseCode = "200", description = "Acknowledged")
    @APIResponse(responseCode = "403", description = "The link is not valid or has expired")
    @APIResponse(responseCode = "404", description = "The alert is no longer active")
    public Uni<Response> ackLink(@PathParam("fingerprint") String fingerprint, @QueryParam("expires") long expires,
                                 @QueryParam("sig") String sig) {
        if (pipeline.signer() == null || !pipeline.signer().valid(fingerprint, expires, sig, java.time.Instant.now())) {
            return Uni.createFrom().item(Response.status(403).entity("This acknowledgement link is not valid or has expired.\n").build());
        }
        return operations.acknowledgeByLink(fingerprint, expires, sig)
                .map(until -> until.map(u -> Response.ok("Acknowledged until " + u + ".\n").build())
                        .orElseGet(() -> Response.status(404).entity("The alert is no longer active.\n").build()));
    }

    @POST
    @Path("/test")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(OPERATOR)
    @SecurityRequirement(name = "oidc")
    @Operation(summary = "Send one test notification through one receiver (one attempt, no grouping)")
    @APIResponse(responseCode = "200", description = "What the receiver answered")
    @APIResponse(responseCode = "404", description = "No such receiver")
    public Uni<Response> test(Views.TestRequest request) {
        if (request == null || request.receiver() == null) {
            return Uni.createFrom().item(bad("receiver is required"));
        }
        return operations.test(request.receiver()).map(r -> r
                .map(d -> Response.ok(new Views.TestResult(request.receiver(), d.delivered(), d.retry(), d.error())).build())
                .orElseGet(() -> Response.status(404).entity(new Views.Problem("no receiver " + request.receiver())).build()));
    }

    static Response bad(String why) {
        return Response.status(400).entity(new Views.Problem(why)).build();
    }
}
