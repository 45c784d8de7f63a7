package io.jitsiops.backup.rest;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.jitsiops.backup.repository.BackupCatalogue;
import io.jitsiops.backup.repository.BackupRecord;
import io.jitsiops.backup.service.BackupFailedException;
import io.jitsiops.backup.service.BackupService;
import io.jitsiops.backup.service.Verifier;
import io.jitsiops.backup.verify.Verification;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;

@Path("/api/backups")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "backups")
public class BackupResource {
    /** The role a Janssen-issued token must carry (claim {@code role}) for backups, restores and maintenance. */
    public static final String ADMIN = "jitsi-ops-admin";
    private static final List<String> STATUSES = List.of("RUNNING", "COMPLETED", "FAILED", "VERIFIED", "VERIFICATION_FAILED", "PRUNED");
    private final BackupService service;
    private final BackupCatalogue catalogue;
    private final Verifier verifier;

    public BackupResource(BackupService service, BackupCatalogue catalogue, Verifier verifier) {
        this.service = service;
        this.catalogue = catalogue;
        this.verifier = verifier;
    }

    /** A backup request: a schedule's name (its components and retention) or "manual", optionally some components. */
    public record BackupRequest(String schedule, List<String> components) {
    }

    @POST
    @RolesAllowed(ADMIN)
    @SecurityRequirement(name = "janssen")
    @Operation(summary = "Back up now (needs role jitsi-ops-admin); wait=true answers when written and verified")
    @Blocking // wait=true runs for seconds and answers from this worker thread, as POST /api/restores does (RestoreResource says why)
    public Response backup(BackupRequest request, @QueryParam("wait") @DefaultValue("false") boolean wait) {
        String schedule = request == null || request.schedule() == null || request.schedule().isBlank() ? "manual" : request.schedule();
        List<String> components = request == null ? null : request.components();
        try {
            service.validate(schedule, components); // bad input answers at once, before any work
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(Response.status(400).entity(Map.of("error", e.getMessage())).build());
        }
        if (!wait) {
            service.backupAsync(schedule, components).subscribe().with(r -> {
            }, e -> {
            });
            return Response.accepted(Map.of("schedule", schedule, "status", "RUNNING")).build();
        }
        try {
            // the backup itself runs here, on this request's worker thread, not on a second one
            BackupRecord r = service.backup(schedule, components);
            return Response.status(201).entity(BackupView.of(r, true)).build();
        } catch (BackupFailedException e) {
            return Response.status(500).entity(Map.of("id", e.backupId(), "status", "FAILED", "error", e.getMessage())).build();
        }
    }

    @GET
    @Operation(summary = "Backups newest first: complete ones by default; filter by status, schedule, component, time")
    public Uni<List<BackupView>> list(@QueryParam("status") List<String> status, @QueryParam("schedule") String schedule,
                                      @QueryParam("component") String component, @QueryParam("since") String since,
                                      @QueryParam("until") String until, @QueryParam("limit") @DefaultValue("100") int limit) {
        for (String s : status) {
            if (!STATUSES.contains(s)) {
                throw badRequest("status must be one of " + STATUSES + ", got '" + s + "'");
            }
        }
        if (limit < 1 || limit > 1000) {
            throw badRequest("limit must be 1..1000");
        }
        return catalogue.list(status, schedule, component, instant("since", since), instant("until", until), limit)
                .map(list -> list.stream().map(r -> BackupView.of(r, false)).toList());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One backup with its manifest and its verification")
    public Uni<BackupView> get(@PathParam("id") String id) {
        return catalogue.find(id).map(o -> o.map(r -> BackupView.of(r, true))
                .orElseThrow(() -> new NotFoundException("no backup " + id)));
    }

    @POST
    @Path("/{id}/verify")
    @RolesAllowed(ADMIN)
    @SecurityRequirement(name = "janssen")
    @Operation(summary = "Verify a backup now: checksums in every store, restore into scratch, parse, compare (role jitsi-ops-admin)")
    @Blocking // runs for seconds and answers from the worker thread, as POST /api/restores does (RestoreResource says why)
    public Verification verify(@PathParam("id") String id) {
        BackupRecord r = catalogue.find(id).await().indefinitely()
                .orElseThrow(() -> new NotFoundException("no backup " + id));
        if (!BackupCatalogue.LISTED.contains(r.status())) {
            throw new jakarta.ws.rs.ClientErrorException(Response.status(409)
                    .entity(Map.of("error", "backup " + id + " is " + r.status() + ": only complete backups can be verified")).build());
        }
        return verifier.verify(id);
    }

    static BadRequestException badRequest(String message) {
        return new BadRequestException(Response.status(400).entity(Map.of("error", message)).build());
    }

    static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw badRequest(name + " must be an ISO-8601 instant like 2026-11-28T21:00:00Z, got '" + value + "'");
        }
    }
}
