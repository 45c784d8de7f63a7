package io.jitsiops.backup.rest;

import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
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

import io.jitsiops.backup.restore.RestoreRecords;
import io.jitsiops.backup.restore.RestoreService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;

@Path("/api/restores")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "restores")
public class RestoreResource {
    private final RestoreService restores;
    private final RestoreRecords records;

    public RestoreResource(RestoreService restores, RestoreRecords records) {
        this.restores = restores;
        this.records = records;
    }

    /** What to restore: a backup, some of its components (default all), and whether only to check and report. */
    public record RestoreRequest(String backupId, List<String> components, Boolean dryRun) {
    }

    @POST
    @RolesAllowed(BackupResource.ADMIN)
    @SecurityRequirement(name = "janssen")
    @Operation(summary = "Restore a backup (role jitsi-ops-admin): check, safety snapshot, stop, restore, start, verify, "
            + "roll back on any failure; answers the restore with its steps (200 completed, 409 failed or rolled back)")
    // Blocking: the restore runs for seconds on this worker thread and its answer is written from it. Until session 34
    // it ran in a Uni subscribed on the worker pool, and the answer, resumed on the event loop after a 5 s rolled-back
    // restore, once failed with ContextNotActiveException (CurrentVertxRequest, request scope not active: a 500 to the
    // stack test instead of its 409; the family of quarkusio/quarkus#40810 and #51230); a blocking method has no resume.
    @Blocking
    public Response restore(RestoreRequest request) {
        if (request == null || request.backupId() == null || request.backupId().isBlank()) {
            throw BackupResource.badRequest("backupId is required");
        }
        boolean dryRun = Boolean.TRUE.equals(request.dryRun());
        try {
            restores.validate(request.backupId(), request.components());
        } catch (IllegalArgumentException e) {
            return Response.status(e.getMessage().startsWith("no backup") ? 404 : 400).entity(Map.of("error", e.getMessage())).build();
        } catch (IllegalStateException e) {
            return Response.status(409).entity(Map.of("error", e.getMessage())).build();
        }
        RestoreRecords.Restore r = restores.restore(restores.newId(), request.backupId(), request.components(), dryRun);
        return Response.status("COMPLETED".equals(r.status()) ? 200 : 409).entity(r).build();
    }

    @GET
    @Operation(summary = "The restores, newest first (limit 1..200, default 20), each as GET /api/restores/{id} answers it")
    public Uni<List<RestoreRecords.Restore>> list(@QueryParam("limit") @DefaultValue("20") int limit) {
        if (limit < 1 || limit > 200) {
            throw BackupResource.badRequest("limit must be 1..200, got " + limit);
        }
        return records.newest(limit);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "A restore and its steps")
    public Uni<RestoreRecords.Restore> get(@PathParam("id") String id) {
        return records.find(id).map(o -> o.orElseThrow(() -> new NotFoundException("no restore " + id)));
    }
}
