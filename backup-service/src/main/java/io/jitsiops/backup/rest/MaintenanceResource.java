package io.jitsiops.backup.rest;

import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.jitsiops.backup.maintenance.DatabaseMaintenance;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;

@Path("/api/maintenance")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "maintenance")
public class MaintenanceResource {
    private final DatabaseMaintenance maintenance;

    public MaintenanceResource(DatabaseMaintenance maintenance) {
        this.maintenance = maintenance;
    }

    @POST
    @RolesAllowed(BackupResource.ADMIN)
    @SecurityRequirement(name = "janssen")
    @Operation(summary = "Run database maintenance now (role jitsi-ops-admin): cleanup SQL, VACUUM (ANALYZE), REINDEX CONCURRENTLY of bloated indexes")
    @Blocking // runs for seconds and answers from the worker thread, as POST /api/restores does (RestoreResource says why)
    public DatabaseMaintenance.Report run() {
        return maintenance.run();
    }

    @GET
    @Operation(summary = "The latest maintenance reports, newest first")
    public Uni<List<Map<String, Object>>> recent(@QueryParam("limit") @DefaultValue("10") int limit) {
        return maintenance.recent(Math.max(1, Math.min(limit, 100)));
    }
}
