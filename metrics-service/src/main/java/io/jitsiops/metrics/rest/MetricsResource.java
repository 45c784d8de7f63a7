package io.jitsiops.metrics.rest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.jitsiops.metrics.model.Finding;
import io.jitsiops.metrics.model.Point;
import io.jitsiops.metrics.repository.SeriesRepository;
import io.jitsiops.metrics.scrape.Findings;
import io.jitsiops.metrics.scrape.Readings;
import io.jitsiops.metrics.scrape.ScrapeStats;
import io.jitsiops.metrics.scrape.ScrapeTarget;
import io.jitsiops.metrics.service.MetricsPipeline;
import io.jitsiops.metrics.service.ScrapeScheduler;
import io.smallrye.mutiny.Uni;

@Path("/api/metrics")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "metrics", description = "Scraped JVB, jicofo and prosody series")
public class MetricsResource {
    private final MetricsPipeline pipeline;
    private final SeriesRepository series;
    private final Findings findings;
    private final ScrapeStats stats;
    private final ScrapeScheduler scheduler;

    public MetricsResource(MetricsPipeline pipeline, SeriesRepository series, Findings findings, ScrapeStats stats, ScrapeScheduler scheduler) {
        this.pipeline = pipeline;
        this.series = series;
        this.findings = findings;
        this.stats = stats;
        this.scheduler = scheduler;
    }

    public record LatestSeries(String name, String labels, double value, String kind) {
    }

    public record Latest(String component, String target, Instant sampledAt, List<LatestSeries> series) {
    }

    @GET
    @Path("/latest")
    @Operation(summary = "The latest scrape of each target (filter by component and/or target)")
    public List<Latest> latest(@QueryParam("component") String component, @QueryParam("target") String target) {
        List<Latest> out = new ArrayList<>();
        for (Readings r : pipeline.latest()) {
            if ((component == null || component.equals(r.component())) && (target == null || target.equals(r.target()))) {
                List<LatestSeries> s = new ArrayList<>(r.points().size());
                for (Point p : r.points()) {
                    s.add(new LatestSeries(p.key().name(), p.key().labels(), p.value(), p.kind().name().toLowerCase()));
                }
                out.add(new Latest(r.component(), r.target(), r.at(), s));
            }
        }
        out.sort(java.util.Comparator.comparing(Latest::component).thenComparing(Latest::target));
        return out;
    }

    @GET
    @Path("/series")
    @Operation(summary = "One metric over time: avg/min/max per step for each target and label set")
    public Uni<List<SeriesRepository.Series>> series(@QueryParam("name") String name, @QueryParam("target") String target,
                                                     @QueryParam("from") String from, @QueryParam("to") String to,
                                                     @QueryParam("step") String step) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name: required (a metric name such as jitsi_jvb_stress)");
        }
        Instant end = QueryParams.instant("to", to, Instant.now());
        Instant start = QueryParams.instant("from", from, end.minus(Duration.ofHours(1)));
        QueryParams.range(start, end, Duration.ofDays(366));
        Duration s = QueryParams.duration("step", step, Duration.ofSeconds(60), Duration.ofSeconds(1), Duration.ofDays(1));
        return series.series(name, target, start, end, s);
    }

    @GET
    @Path("/findings")
    @Operation(summary = "Configuration findings: targets that cannot be measured and the setting that fixes each")
    public List<Finding> findings() {
        return findings.all();
    }

    /**
     * @param scrapedHere whether this replica scrapes the target now: always with static membership (a replica knows only
     *                    its own targets), with Kafka membership only while it holds the target's lease (it knows every
     *                    target, and a released one's endpoints are forgotten, so they are empty)
     */
    public record TargetState(String component, String target, String url, String statsInterval, String qualityInterval,
                              boolean scrapedHere, Map<String, Object> endpoints) {
    }

    @GET
    @Path("/targets")
    @Operation(summary = "The targets this replica knows, whether it scrapes each now, and each endpoint's last scrape")
    public List<TargetState> targets() {
        List<TargetState> out = new ArrayList<>();
        for (ScrapeTarget t : scheduler.targets()) {
            Map<String, Object> endpoints = new LinkedHashMap<>();
            String prefix = t.component() + "\u0000" + t.name() + "\u0000";
            stats.all().forEach((k, e) -> {
                if (k.startsWith(prefix)) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("up", e.up);
                    m.put("scrapes", e.scrapes.get());
                    m.put("errors", e.errors.get());
                    m.put("lastSeconds", e.lastSeconds);
                    m.put("lastAt", e.lastAt);
                    m.put("lastError", e.lastError);
                    endpoints.put(k.substring(prefix.length()), m);
                }
            });
            out.add(new TargetState(t.component(), t.name(), t.url(), t.statsInterval().toString(), t.qualityInterval().toString(),
                    scheduler.scrapesHere(t), endpoints));
        }
        return out;
    }
}
