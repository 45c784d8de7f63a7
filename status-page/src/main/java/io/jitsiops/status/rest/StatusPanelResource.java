package io.jitsiops.status.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.jitsiops.status.client.PanelSource;
import io.jitsiops.status.config.StatusPageConfig;
import io.smallrye.mutiny.Uni;

/**
 * The status page's panels that belong to other services, fetched server-side: the browser talks to one origin (no
 * cross-origin set-up in four services), and an absent service is a 503 with its reason rather than a failed
 * request in the browser's console. Reads only: they are open inside the cluster like every read API.
 */
@Path("/status/api")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "status page", description = "Panels of the operator status page at /status/")
public class StatusPanelResource {
    private final PanelSource source;
    private final StatusPageConfig config;

    public StatusPanelResource(PanelSource source, StatusPageConfig config) {
        this.source = source;
        this.config = config;
    }

    @GET
    @Path("/alerts")
    @Operation(summary = "Firing alerts, from alert-service")
    @APIResponse(responseCode = "503", description = "alert-service unreachable: JSON {service, url, unavailable}")
    public Uni<Response> alerts() {
        return source.fetch("alert-service", config.alertService(), "/api/alerts?state=firing&limit=50");
    }

    @GET
    @Path("/quality")
    @Operation(summary = "The latest quality sample of every conference, from metrics-service")
    @APIResponse(responseCode = "503", description = "metrics-service unreachable: JSON {service, url, unavailable}")
    public Uni<Response> quality() {
        return source.fetch("metrics-service", config.metricsService(), "/api/video-quality");
    }

    @GET
    @Path("/backups")
    @Operation(summary = "The last backups with their verification, from backup-service")
    @APIResponse(responseCode = "503", description = "backup-service unreachable: JSON {service, url, unavailable}")
    public Uni<Response> backups() {
        return source.fetch("backup-service", config.backupService(), "/api/backups?limit=10");
    }

    @GET
    @Path("/findings")
    @Operation(summary = "The last hour's log analysis (categories, trend, recommendations), from log-service")
    @APIResponse(responseCode = "503", description = "log-service unreachable: JSON {service, url, unavailable}")
    public Uni<Response> findings() {
        return source.fetch("log-service", config.logService(), "/api/logs/analysis?window=1h");
    }
}
