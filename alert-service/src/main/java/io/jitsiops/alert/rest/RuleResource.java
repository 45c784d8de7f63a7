package io.jitsiops.alert.rest;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.jitsiops.alert.notify.TimeIntervalStage;
import io.jitsiops.alert.rule.InvalidRulesException;
import io.jitsiops.alert.rule.Matcher;
import io.jitsiops.alert.rule.Route;
import io.jitsiops.alert.rule.Rule;
import io.jitsiops.alert.rule.RuleFile;
import io.jitsiops.alert.service.AlertEngine;
import io.jitsiops.alert.service.RuleRegistry;

@Path("/api/rules")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "rules", description = "The rules in force and the state of the rules file")
public class RuleResource {
    private final RuleRegistry registry;
    private final AlertEngine engine;

    public RuleResource(RuleRegistry registry, AlertEngine engine) {
        this.registry = registry;
        this.engine = engine;
    }

    @GET
    @Operation(summary = "The rules in force; whether the last change of the file was refused, and why; the time "
            + "intervals, whether now is inside each, and the routes they mute or make active")
    public Views.RulesView rules() {
        RuleRegistry.Status s = registry.status();
        RuleFile file = registry.current();
        List<Views.RuleView> rules = file.rules().stream().map(RuleResource::view).toList();
        return new Views.RulesView(s.source(), s.loadedAt(), s.lastReloadOk(), s.lastError(), s.lastErrorAt(),
                engine.unknownMetricObservations(), rules, timeIntervals(file, Instant.now()));
    }

    /** The largest rules file checked: the shipped pack is ~70 kB. */
    static final int MAX_CHECKED_BYTES = 1 << 20;

    @POST
    @Path("/check")
    @Consumes({ MediaType.TEXT_PLAIN, "application/yaml", "application/x-yaml", "text/yaml", MediaType.APPLICATION_OCTET_STREAM })
    @Operation(summary = "Check a rules file against this service's receivers without using it",
            description = "For CI before a deployment, as amtool check-config or promtool check rules: the body is the "
                    + "YAML. 200 with what it holds, or 400 naming the rule and the key, exactly as a reload would refuse "
                    + "it. Nothing changes, so no token is needed.")
    @APIResponse(responseCode = "200", description = "Valid: the counts of what it holds")
    @APIResponse(responseCode = "400", description = "Not valid: why (the rule and key)")
    @APIResponse(responseCode = "413", description = "Larger than 1 MiB")
    public jakarta.ws.rs.core.Response check(String yaml) {
        if (yaml != null && yaml.length() > MAX_CHECKED_BYTES) {
            return jakarta.ws.rs.core.Response.status(413).entity(new Views.Problem("a rules file of at most 1 MiB is checked")).build();
        }
        try {
            RuleFile file = registry.check(yaml == null ? "" : yaml);
            return jakarta.ws.rs.core.Response.ok(new Views.RulesCheck(true, null, file.rules().size(), file.route().subtree().size(),
                    file.inhibitRules().size(), List.copyOf(file.timeIntervals().keySet()))).build();
        } catch (InvalidRulesException e) {
            return jakarta.ws.rs.core.Response.status(400).entity(new Views.RulesCheck(false, e.getMessage(), 0, 0, 0, List.of())).build();
        }
    }

    private static List<Views.TimeIntervalView> timeIntervals(RuleFile file, Instant now) {
        List<Route> routes = file.route().subtree();
        return file.timeIntervals().keySet().stream().map(name -> new Views.TimeIntervalView(name,
                TimeIntervalStage.inAny(List.of(name), file.timeIntervals(), now),
                routes.stream().filter(r -> r.muteTimeIntervals().contains(name)).map(RuleResource::describe).toList(),
                routes.stream().filter(r -> r.activeTimeIntervals().contains(name)).map(RuleResource::describe).toList()))
                .toList();
    }

    private static String describe(Route r) {
        return "route " + r.id() + " (receiver " + r.receiver() + ")";
    }

    private static Views.RuleView view(Rule r) {
        return new Views.RuleView(r.name(), r.input().yamlName(), r.metric(),
                r.isAbsence() ? null : r.direction().name().toLowerCase(Locale.ROOT), r.threshold(), r.clear(),
                r.forDuration().toString(), r.severity().name().toLowerCase(Locale.ROOT), r.page(),
                r.matchers().stream().map(Matcher::toString).toList(), r.labels(),
                r.absence().map(a -> a.missed() + " x " + a.expectedInterval()).orElse(null), r.summary().source(),
                r.description().source());
    }
}
