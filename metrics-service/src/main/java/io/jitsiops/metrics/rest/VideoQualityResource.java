package io.jitsiops.metrics.rest;

import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.jitsiops.metrics.config.MetricsConfig;
import io.jitsiops.metrics.quality.ClientSampleReader;
import io.jitsiops.metrics.quality.ConferenceQuality;
import io.jitsiops.metrics.repository.QualityRepository;
import io.jitsiops.metrics.service.QualityPipeline;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;

@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "video quality", description = "Per-conference quality from the bridges and from browsers")
public class VideoQualityResource {
    private final QualityPipeline pipeline;
    private final QualityRepository repository;
    private final MetricsConfig config;

    public VideoQualityResource(QualityPipeline pipeline, QualityRepository repository, MetricsConfig config) {
        this.pipeline = pipeline;
        this.repository = repository;
        this.config = config;
    }

    public record Answer(int accepted, List<ClientSampleReader.Rejected> rejected) {
    }

    @POST
    @Path("/video-metrics")
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking // the body is read as a stream, sample by sample
    @RolesAllowed("${jitsiops.metrics.ingest-role}")
    @Operation(summary = "A batch of browser-side samples; bad ones are listed with field and reason, good ones kept")
    public Response ingest(InputStream body) {
        int backlog = pipeline.streamBuffer().backlog();
        if (backlog >= config.ingestBacklogLimit()) {
            // PostgreSQL is behind (or away): taking more now would only push the oldest waiting samples out of the
            // bounded buffer; the sender keeps them instead and tries again
            pipeline.throttled();
            return Response.status(503).header("Retry-After", "1")
                    .entity(Map.of("error", "PostgreSQL is behind: " + backlog + " samples are waiting to be stored; send this batch again later"))
                    .build();
        }
        ClientSampleReader.Batch batch;
        try {
            batch = ClientSampleReader.read(body, config.maxBatchSamples(), Instant.now());
        } catch (ClientSampleReader.BadBatchException e) {
            return Response.status(400).entity(Map.of("error", e.getMessage())).build();
        }
        pipeline.acceptClient(batch.accepted(), batch.rejected().size());
        Answer answer = new Answer(batch.accepted().size(), batch.rejected());
        // Some kept: 202 (stored asynchronously); none kept: 400. Either way each rejected sample is named.
        return Response.status(batch.accepted().isEmpty() && !batch.rejected().isEmpty() ? 400 : 202).entity(answer).build();
    }

    public record Quality(String conferenceId, String room, String bridge, String source, Instant sampledAt, int participants,
                          Double bitrateKbps, Double framesPerSecond, int frameWidth, int frameHeight, Double packetLossPercent,
                          Double jitterMs, Double rttMs, boolean degraded, List<String> reasons) {
        static Quality of(ConferenceQuality q) {
            return new Quality(q.conferenceId(), q.room(), q.bridge(), q.source(), q.sampledAt(), q.participants(),
                    Double.isNaN(q.bitrateKbps()) ? null : q.bitrateKbps(),
                    Double.isNaN(q.framesPerSecond()) ? null : q.framesPerSecond(), q.frameWidth(), q.frameHeight(), Double.isNaN(q.packetLossPercent()) ? null : q.packetLossPercent(),
                    Double.isNaN(q.jitterMs()) ? null : q.jitterMs(), Double.isNaN(q.rttMs()) ? null : q.rttMs(), q.degraded(), q.reasons());
        }
    }

    @GET
    @Path("/video-quality")
    @Operation(summary = "A room's conference quality over time; without room, the latest sample of every conference")
    public Uni<List<Quality>> quality(@QueryParam("room") String room, @QueryParam("from") String from, @QueryParam("to") String to) {
        if (room == null || room.isBlank()) {
            return Uni.createFrom().item(pipeline.latest().stream().map(Quality::of)
                    .sorted(Comparator.comparing(Quality::room).thenComparing(Quality::bridge)).toList());
        }
        Instant end = QueryParams.instant("to", to, Instant.now());
        Instant start = QueryParams.instant("from", from, end.minus(Duration.ofHours(1)));
        QueryParams.range(start, end, Duration.ofDays(31));
        return repository.byRoom(room, start, end).map(list -> list.stream().map(Quality::of).toList());
    }
}
