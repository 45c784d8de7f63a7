package io.jitsiops.log.rest;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.jitsiops.deployment.DeploymentDescription.LogFormat;
import io.jitsiops.log.analysis.Analysis;
import io.jitsiops.log.analysis.PasteAnalysis;
import io.jitsiops.log.repository.LogStore;
import io.smallrye.common.annotation.Blocking;

/** The log analysis API. Reads are open; analysing pasted text needs an operator's bearer token. */
@Path("/api/logs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "logs")
public class LogResource {
    static final String OPERATOR = "jitsi-ops-operator";
    static final String FORMATS = Arrays.stream(LogFormat.values()).map(Enum::name).collect(Collectors.joining(", "));

    private final PasteAnalysis paste;
    private final LogStore store;

    public LogResource(PasteAnalysis paste, LogStore store) {
        this.paste = paste;
        this.store = store;
    }

    public record Problem(String error) {
    }

    @POST
    @Path("/analyze")
    @Consumes({ MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM })
    @RolesAllowed(OPERATOR)
    @Blocking
    @SecurityRequirement(name = "janssen")
    @Operation(summary = "Parse and analyse pasted log text with the tailer's parsers and rules (role jitsi-ops-operator)")
    @APIResponse(responseCode = "200", description = "{entries, analysis}")
    @APIResponse(responseCode = "400", description = "unknown format or time zone; the message names the accepted ones")
    @APIResponse(responseCode = "413", description = "body over quarkus.http.limits.max-body-size")
    public PasteAnalysis.Result analyze(@QueryParam("format") String format, @QueryParam("component") String component,
                                        @QueryParam("timeZone") String timeZone, byte[] body) {
        LogFormat f = format(format);
        ZoneId zone;
        try {
            zone = timeZone == null || timeZone.isBlank() ? ZoneId.systemDefault() : ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            throw bad("timeZone: unknown time zone '" + timeZone + "' (use an IANA name such as Europe/Berlin or UTC)");
        }
        return paste.analyze(f, component == null || component.isBlank() ? f.name() : component, zone,
                body == null ? new byte[0] : body);
    }

    @GET
    @Path("/analysis")
    @Blocking
    @Operation(summary = "Totals, counts per category and component, trend against the previous window, recommendations")
    public Analysis analysis(@QueryParam("window") String window) {
        Duration w = duration("window", window == null || window.isBlank() ? "1h" : window);
        return store.analysis(w, Instant.now());
    }

    @GET
    @Path("/errors")
    @Blocking
    @Operation(summary = "Stored error and warning entries, newest first")
    public List<LogStore.StoredError> errors(@QueryParam("component") String component, @QueryParam("category") String category,
                                             @QueryParam("since") String since, @QueryParam("limit") Integer limit) {
        Instant from;
        try {
            from = since == null || since.isBlank() ? Instant.now().minus(Duration.ofHours(24)) : Instant.parse(since);
        } catch (DateTimeException e) {
            throw bad("since: not an ISO-8601 instant, got '" + since + "'");
        }
        int n = limit == null ? 100 : limit;
        if (n < 1 || n > 1000) {
            throw bad("limit: must be 1..1000, got " + n);
        }
        return store.errors(component, category, from, n);
    }

    static LogFormat format(String format) {
        if (format == null || format.isBlank()) {
            throw bad("format: is required: one of " + FORMATS);
        }
        try {
            return LogFormat.valueOf(format);
        } catch (IllegalArgumentException e) {
            throw bad("format: unknown format '" + format + "'; accepted: " + FORMATS);
        }
    }

    static Duration duration(String key, String value) {
        try {
            Duration d = io.jitsiops.deployment.DurationParser.parse(value);
            if (d.isZero() || d.isNegative() || d.compareTo(Duration.ofDays(31)) > 0) {
                throw bad(key + ": must be between 1m and 31d, got '" + value + "'");
            }
            return d;
        } catch (RuntimeException e) {
            if (e instanceof WebApplicationException w) {
                throw w;
            }
            throw bad(key + ": not a duration such as 15m, 1h or 7d, got '" + value + "'");
        }
    }

    private static WebApplicationException bad(String message) {
        return new WebApplicationException(Response.status(400).type(MediaType.APPLICATION_JSON).entity(new Problem(message)).build());
    }
}
