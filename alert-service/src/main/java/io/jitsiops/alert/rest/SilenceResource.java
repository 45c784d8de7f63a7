package io.jitsiops.alert.rest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.jitsiops.alert.notify.Silence;
import io.jitsiops.alert.rule.Matcher;
import io.jitsiops.alert.service.AlertOperations;
import io.jitsiops.alert.service.NotificationService;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

@Path("/api/silences")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "silences", description = "Silences: matching alerts are not notified between start and end")
public class SilenceResource {
    private final NotificationService pipeline;
    private final AlertOperations operations;
    private final SecurityIdentity identity;

    public SilenceResource(NotificationService pipeline, AlertOperations operations, SecurityIdentity identity) {
        this.pipeline = pipeline;
        this.operations = operations;
        this.identity = identity;
    }

    @GET
    @Operation(summary = "Every silence, active, pending and expired (until the retention removes it)")
    public List<Views.SilenceView> list() {
        Instant now = Instant.now();
        return pipeline.silences().stream().map(s -> view(s, now)).toList();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One silence")
    @APIResponse(responseCode = "404", description = "No such silence")
    public Response get(@PathParam("id") UUID id) {
        return pipeline.silences().stream().filter(s -> s.id().equals(id)).findFirst()
                .map(s -> Response.ok(view(s, Instant.now())).build())
                .orElseGet(() -> Response.status(404).entity(new Views.Problem("no silence " + id)).build());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(AlertResource.OPERATOR)
    @SecurityRequirement(name = "oidc")
    @Operation(summary = "Create a silence: {matchers: ['component=jvb', 'target=~\"jvb-.*\"'], startsAt?, endsAt, comment}")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "400", description = "Invalid matchers or times")
    @APIResponse(responseCode = "401", description = "No valid bearer token")
    @APIResponse(responseCode = "403", description = "The token lacks the role jitsi-ops-operator")
    public Uni<Response> create(Views.SilenceRequest request) {
        return save(UUID.randomUUID(), request, 201);
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(AlertResource.OPERATOR)
    @SecurityRequirement(name = "oidc")
    @Operation(summary = "Change a silence (matchers, times, comment)")
    @APIResponse(responseCode = "200", description = "Changed")
    @APIResponse(responseCode = "404", description = "No such silence")
    public Uni<Response> update(@PathParam("id") UUID id, Views.SilenceRequest request) {
        if (pipeline.silences().stream().noneMatch(s -> s.id().equals(id))) {
            return Uni.createFrom().item(Response.status(404).entity(new Views.Problem("no silence " + id)).build());
        }
        return save(id, request, 200);
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(AlertResource.OPERATOR)
    @SecurityRequirement(name = "oidc")
    @Operation(summary = "Expire a silence now (it stays listed as expired)")
    @APIResponse(responseCode = "204", description = "Expired")
    @APIResponse(responseCode = "404", description = "No such silence")
    public Uni<Response> expire(@PathParam("id") UUID id) {
        return operations.expireSilence(id).map(ok -> ok ? Response.noContent().build()
                : Response.status(404).entity(new Views.Problem("no silence " + id)).build());
    }

    private Uni<Response> save(UUID id, Views.SilenceRequest request, int status) {
        if (request == null || request.matchers() == null || request.matchers().isEmpty() || request.endsAt() == null) {
            return Uni.createFrom().item(AlertResource.bad("matchers (at least one) and endsAt are required"));
        }
        List<Matcher> matchers = new ArrayList<>();
        for (String m : request.matchers()) {
            try {
                matchers.add(Matcher.parse(m));
            } catch (IllegalArgumentException e) {
                return Uni.createFrom().item(AlertResource.bad("matchers: " + e.getMessage()));
            }
        }
        if (Silence.matchesNearlyEverything(matchers)) {
            return Uni.createFrom().item(AlertResource.bad("matchers: at least one matcher must not match the empty string"));
        }
        Instant now = Instant.now();
        Instant starts = request.startsAt() == null ? now : request.startsAt();
        if (!request.endsAt().isAfter(starts)) {
            return Uni.createFrom().item(AlertResource.bad("endsAt must be after startsAt"));
        }
        Silence s = new Silence(id, List.copyOf(matchers), starts, request.endsAt(), identity.getPrincipal().getName(),
                request.comment() == null ? "" : request.comment(), now);
        return operations.saveSilence(s).map(saved -> Response.status(status).entity(view(saved, now)).build());
    }

    static Views.SilenceView view(Silence s, Instant now) {
        return new Views.SilenceView(s.id().toString(), s.matchers().stream().map(Matcher::toString).toList(), s.startsAt(),
                s.endsAt(), s.createdBy(), s.comment(), s.state(now), s.updatedAt());
    }
}
