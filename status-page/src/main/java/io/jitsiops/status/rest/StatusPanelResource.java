package io.jitsiops.status.rest;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
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
 * request in the browser's console. Reads are open inside the cluster like every read API; the two actions
 * (acknowledge, silence) carry the signed-in operator's bearer token to alert-service, which checks it.
 */
@Path("/status/api")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "status page", description = "Panels of the operator status page at /status/")
public class StatusPanelResource {
    /** Firing alerts the page lists; an incident with more shows the most severe and says how many it leaves out. */
    static final int ALERTS_SHOWN = 50;
    private final PanelSource source;
    private final StatusPageConfig config;

    public StatusPanelResource(PanelSource source, StatusPageConfig config) {
        this.source = source;
        this.config = config;
    }

    @GET
    @Path("/alerts")
    @Operation(summary = "Firing alerts, from alert-service: the " + ALERTS_SHOWN + " most severe (critical first); X-Total-Count says how many fire")
    @APIResponse(responseCode = "503", description = "alert-service unreachable: JSON {service, url, unavailable}")
    public Uni<Response> alerts() {
        return source.fetch("alert-service", config.alertService(), "/api/alerts?state=firing&limit=" + ALERTS_SHOWN + "&order=severity");
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
    @Path("/restores")
    @Operation(summary = "The last restores with their steps (state and message each), from backup-service")
    @APIResponse(responseCode = "503", description = "backup-service unreachable: JSON {service, url, unavailable}")
    public Uni<Response> restores() {
        return source.fetch("backup-service", config.backupService(), "/api/restores?limit=" + config.restoresShown());
    }

    @GET
    @Path("/config")
    @Operation(summary = "What the page needs to sign in (issuer, public client id, scope, endpoints): nothing secret")
    public SignInSettings signInSettings() {
        return SignInSettings.of(config.signIn());
    }

    @POST
    @Path("/alerts/{fingerprint}/ack")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Acknowledge a firing alert: POST /api/alerts/{fingerprint}/ack of alert-service, with the caller's bearer")
    @APIResponse(responseCode = "200", description = "alert-service's answer: {fingerprint, until}")
    @APIResponse(responseCode = "401", description = "alert-service did not accept the token (or none was sent)")
    @APIResponse(responseCode = "403", description = "The token lacks the role jitsi-ops-operator")
    @APIResponse(responseCode = "503", description = "alert-service unreachable: JSON {service, url, unavailable}")
    public Uni<Response> acknowledge(@PathParam("fingerprint") String fingerprint,
                                     @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, String body) {
        String path = "/api/alerts/" + URLEncoder.encode(fingerprint, StandardCharsets.UTF_8).replace("+", "%20") + "/ack";
        return source.forward("alert-service", config.alertService(), path, authorization, body);
    }

    @POST
    @Path("/silences")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a silence: POST /api/silences of alert-service ({matchers, endsAt, comment}), with the caller's bearer")
    @APIResponse(responseCode = "201", description = "alert-service's answer: the silence")
    @APIResponse(responseCode = "401", description = "alert-service did not accept the token (or none was sent)")
    @APIResponse(responseCode = "403", description = "The token lacks the role jitsi-ops-operator")
    @APIResponse(responseCode = "503", description = "alert-service unreachable: JSON {service, url, unavailable}")
    public Uni<Response> silence(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, String body) {
        return source.forward("alert-service", config.alertService(), "/api/silences", authorization, body);
    }

    /** The sign-in settings the page reads; public values only (the client is public, PKCE protects the code). */
    public record SignInSettings(String issuer, String clientId, String scope, String authorizationEndpoint,
                                 String tokenEndpoint, String operatorRole) {
        static SignInSettings of(StatusPageConfig.SignIn s) {
            String issuer = s.issuer().replaceAll("/+$", "");
            return new SignInSettings(issuer, s.clientId(), s.scope(),
                    s.authorizationEndpoint().orElse(issuer + "/jans-auth/restv1/authorize"),
                    s.tokenEndpoint().orElse(issuer + "/jans-auth/restv1/token"), "jitsi-ops-operator");
        }
    }

    @GET
    @Path("/findings")
    @Operation(summary = "The last hour's log analysis (categories, trend, recommendations), from log-service")
    @APIResponse(responseCode = "503", description = "log-service unreachable: JSON {service, url, unavailable}")
    public Uni<Response> findings() {
        return source.fetch("log-service", config.logService(), "/api/logs/analysis?window=1h");
    }
}
