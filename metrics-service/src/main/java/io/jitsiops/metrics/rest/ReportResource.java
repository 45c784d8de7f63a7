package io.jitsiops.metrics.rest;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.jitsiops.metrics.repository.ReportRepository;
import io.jitsiops.metrics.service.DailyReportJob;
import io.jitsiops.metrics.service.PerformanceAnalyzer;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

@Path("/api/reports")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "reports", description = "Performance reports: min/avg/p50/p95/max, worst conferences, trend")
public class ReportResource {
    private final PerformanceAnalyzer analyzer;
    private final ReportRepository reports;
    private final DailyReportJob daily;

    public ReportResource(PerformanceAnalyzer analyzer, ReportRepository reports, DailyReportJob daily) {
        this.analyzer = analyzer;
        this.reports = reports;
        this.daily = daily;
    }

    @GET
    @Path("/performance")
    @Operation(summary = "The report of the window ending now (window=1h, 30m, 24h, 7d …), trend against the window before")
    public Uni<JsonObject> performance(@QueryParam("window") String window) {
        Duration w = QueryParams.duration("window", window, Duration.ofHours(1), Duration.ofMinutes(1), Duration.ofDays(31));
        return analyzer.analyze(Instant.now(), w);
    }

    @GET
    @Path("/daily")
    @Operation(summary = "The stored daily report of a day (UTC; default the latest stored)")
    public Uni<Response> dailyReport(@QueryParam("day") String day) {
        Instant end = day == null || day.isBlank() ? null : day(day).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        return reports.find("daily", end).map(r -> r.map(j -> Response.ok(j.encode()).build())
                .orElseGet(() -> Response.status(404).entity(new JsonObject().put("error", "no daily report stored" + (day == null ? "" : " for " + day)).encode()).build()));
    }

    @POST
    @Path("/daily")
    @RolesAllowed("jitsi-ops-operator")
    @Operation(summary = "Computes and stores the daily report of a day now (default yesterday)")
    public Uni<Response> storeDaily(@QueryParam("day") String day) {
        LocalDate d = day == null || day.isBlank() ? LocalDate.now(ZoneOffset.UTC).minusDays(1) : day(day);
        return daily.store(d).replaceWith(() -> Response.status(201).entity(new JsonObject().put("day", d.toString()).encode()).build());
    }

    private static LocalDate day(String day) {
        try {
            return LocalDate.parse(day);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("day: not a date like 2026-11-28: '" + day + "'");
        }
    }
}
