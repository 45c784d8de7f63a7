package io.jitsiops.health.rest;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.jboss.resteasy.reactive.RestStreamElementType;

import io.jitsiops.events.payload.HealthCheckResult;
import io.jitsiops.health.repository.CheckResultRepository;
import io.jitsiops.health.service.ProbeScheduler;
import io.jitsiops.health.service.ResultPipeline;
import io.jitsiops.readiness.DependencyUnavailableException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

@Path("/api/health")
@Produces(MediaType.APPLICATION_JSON)
public class HealthResource {
    /** The role a Janssen-issued token must carry (claim {@code role}) to run checks on demand. */
    public static final String OPERATOR = "jitsi-ops-operator";
    /** A history query that takes longer is answered 503: the database is then as good as away. */
    private static final Duration HISTORY_TIMEOUT = Duration.ofSeconds(5);
    private final ResultPipeline pipeline;
    private final ProbeScheduler scheduler;
    private final CheckResultRepository repository;

    public HealthResource(ResultPipeline pipeline, ProbeScheduler scheduler, CheckResultRepository repository) {
        this.pipeline = pipeline;
        this.scheduler = scheduler;
        this.repository = repository;
    }

    @GET
    @Operation(summary = "Every check now: overall status (the worst), and per check status, latency, error and since when")
    public HealthReport now() {
        return HealthReport.of(pipeline.states());
    }

    @GET
    @Path("/history")
    @Operation(summary = "Stored results, newest first; since/until are ISO-8601 instants (default: the last hour)")
    @org.eclipse.microprofile.openapi.annotations.responses.APIResponse(responseCode = "503",
            description = "PostgreSQL is unavailable: JSON {error, unavailable} and Retry-After")
    public Uni<List<HealthCheckResult>> history(@QueryParam("component") String component,
                                                @QueryParam("target") String target,
                                                @QueryParam("since") String since,
                                                @QueryParam("until") String until,
                                                @QueryParam("limit") @DefaultValue("500") int limit) {
        Instant to = instant("until", until, Instant.now());
        Instant from = instant("since", since, to.minus(Duration.ofHours(1)));
        if (!from.isBefore(to)) {
            throw badRequest("since must be before until");
        }
        return repository.history(blankToNull(component), blankToNull(target), from, to, Math.max(1, Math.min(limit, 5000)))
                .ifNoItem().after(HISTORY_TIMEOUT).failWith(() -> new java.util.concurrent.TimeoutException(
                        "no answer within " + HISTORY_TIMEOUT.toSeconds() + " s"))
                .onFailure(DependencyUnavailableException::isPostgresUnavailable)
                .transform(e -> new DependencyUnavailableException(DependencyUnavailableException.POSTGRESQL, e));
    }

    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Server-Sent Events: every check result as it happens")
    public Multi<CheckView> stream() {
        return pipeline.updates().map(CheckView::of);
    }

    @POST
    @Path("/check")
    @RolesAllowed(OPERATOR)
    @SecurityRequirement(name = "janssen")
    @Operation(summary = "Run every check now and answer the new report (needs a bearer token with role jitsi-ops-operator)")
    public Uni<HealthReport> checkNow() {
        return scheduler.runAll().map(x -> HealthReport.of(pipeline.states()));
    }

    private static Instant instant(String name, String value, Instant fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw badRequest(name + " must be an ISO-8601 instant like 2026-11-28T21:00:00Z, got '" + value + "'");
        }
    }

    private static BadRequestException badRequest(String message) {
        return new BadRequestException(Response.status(400).type(MediaType.APPLICATION_JSON)
                .entity(java.util.Map.of("error", message)).build());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
