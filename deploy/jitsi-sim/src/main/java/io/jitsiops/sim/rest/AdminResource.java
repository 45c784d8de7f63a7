package io.jitsiops.sim.rest;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import io.jitsiops.sim.janssen.SigningKeys;
import io.jitsiops.sim.service.ConferenceSimulator;
import io.jitsiops.sim.service.Fault;
import io.jitsiops.sim.service.FaultRegistry;
import io.jitsiops.sim.service.LogWriter;
import io.jitsiops.sim.service.SimConference;

/**
 * Fault injection for demos and tests. The simulator listens on loopback only; this API has no
 * authentication on purpose and must never be exposed.
 */
@Path("/admin")
public class AdminResource {
    private final FaultRegistry faults;
    private final ConferenceSimulator conferences;
    private final LogWriter logs;
    private final SigningKeys keys;
    private final io.jitsiops.sim.jitsi.Bridges bridges;
    private final io.jitsiops.sim.jitsi.OwnPorts ownPorts;
    private final io.jitsiops.sim.web.NginxStubStatus stubStatus;

    public AdminResource(FaultRegistry faults, ConferenceSimulator conferences, LogWriter logs, SigningKeys keys,
                         io.jitsiops.sim.jitsi.Bridges bridges, io.jitsiops.sim.jitsi.OwnPorts ownPorts,
                         io.jitsiops.sim.web.NginxStubStatus stubStatus) {
        this.stubStatus = stubStatus;
        this.faults = faults;
        this.conferences = conferences;
        this.logs = logs;
        this.keys = keys;
        this.bridges = bridges;
        this.ownPorts = ownPorts;
    }

    public record FaultRequest(Fault.Kind kind, Long delayMs, String message) {
    }

    /** {@code audioOnly}: every participant's camera off; unset: as {@code jitsisim.audio-only-rooms} says of the room. */
    public record ConferenceRequest(String bridge, String room, Integer participants, Boolean audioOnly) {
    }

    public record Degradation(Double packetLossPercent, Double jitterMs, Double bitrateKbps, Double framesPerSecond,
                              Integer frameHeight) {
    }

    /** {@code videoSenders}: participants whose video reaches the bridge now (the others have their camera off). */
    public record ConferenceView(String id, String room, String bridge, int participants, boolean audioOnly, int videoSenders,
                                 Map<String, Object> quality) {
        static ConferenceView of(SimConference c, ConferenceSimulator sim) {
            return new ConferenceView(c.id(), c.room(), c.bridge(), c.participants(), c.audioOnly(), c.videoSenders(),
                    sim.quality(c));
        }
    }

    @GET
    @Path("/faults")
    public Map<String, Fault> faults() {
        return faults.all();
    }

    /** Target: a bridge name, jicofo, prosody, web, janssen or scim. */
    @PUT
    @Path("/faults/{target}")
    public Response inject(@PathParam("target") String target, FaultRequest request) {
        if (request == null || request.kind() == null) {
            throw new BadRequestException("body must be {\"kind\": \"DOWN|ERROR|SLOW|GARBAGE|SOFT|REFUSED\", \"delayMs\": n, "
                    + "\"message\": \"health failure text (optional)\"}");
        }
        faults.inject(target, new Fault(request.kind(), request.delayMs() == null ? 0 : request.delayMs(),
                request.message()));
        return Response.noContent().build();
    }

    @DELETE
    @Path("/faults/{target}")
    public Response clear(@PathParam("target") String target) {
        faults.clear(target);
        return Response.noContent().build();
    }

    @DELETE
    @Path("/faults")
    public Response clearAll() {
        faults.clearAll();
        return Response.noContent().build();
    }

    @GET
    @Path("/conferences")
    public List<ConferenceView> conferences() {
        return conferences.allConferences().stream().map(c -> ConferenceView.of(c, conferences)).toList();
    }

    @POST
    @Path("/conferences")
    public Response startConference(ConferenceRequest request) {
        if (request == null || request.bridge() == null || !conferences.isBridge(request.bridge())) {
            throw new BadRequestException("body must name a simulated bridge: " + conferences.bridges());
        }
        SimConference c = conferences.start(request.bridge(), request.room() == null ? "room" : request.room(),
                request.participants() == null ? 2 : request.participants(), request.audioOnly());
        return Response.status(201).entity(ConferenceView.of(c, conferences)).build();
    }

    @POST
    @Path("/conferences/{id}/degrade")
    public ConferenceView degrade(@PathParam("id") String id, Degradation d) {
        SimConference c = conferences.conference(id).orElseThrow(() -> new NotFoundException("no conference " + id));
        conferences.degrade(c, d.packetLossPercent(), d.jitterMs(), d.bitrateKbps(), d.framesPerSecond(), d.frameHeight());
        return ConferenceView.of(c, conferences);
    }

    @DELETE
    @Path("/conferences/{id}")
    public Response end(@PathParam("id") String id) {
        return conferences.end(id) ? Response.noContent().build() : Response.status(404).build();
    }

    @POST
    @Path("/bridges/{bridge}/drain")
    public Response drain(@PathParam("bridge") String bridge, @QueryParam("enabled") @DefaultValue("true") boolean enabled) {
        if (!conferences.isBridge(bridge)) {
            throw new NotFoundException("no bridge " + bridge);
        }
        conferences.setDraining(bridge, enabled);
        bridges.bridge(bridge).ifPresent(b -> bridges.setDrain(b, enabled));
        return Response.noContent().build();
    }

    /** The bridge's REST stats API on or off (videobridge.apis.rest.enabled; off answers 404 like JVB). */
    @PUT
    @Path("/bridges/{bridge}/rest-api")
    public Response restApi(@PathParam("bridge") String bridge, @QueryParam("enabled") @DefaultValue("true") boolean enabled) {
        bridges.setRestApi(bridges.bridge(bridge).orElseThrow(() -> new NotFoundException("no bridge " + bridge)), enabled);
        return Response.noContent().build();
    }

    /**
     * Which /colibri/stats generation the bridge serves (CURRENT or PRE_2024_04) and the version it reports
     * ({@code jvbVersion}; empty: the configured one); {@code debugGeneration} (CURRENT or JVB_2022) switches its
     * /debug document (given alone, only that).
     */
    @PUT
    @Path("/bridges/{bridge}/generation")
    public Response generation(@PathParam("bridge") String bridge, @QueryParam("statsGeneration") String generation,
                               @QueryParam("jvbVersion") String jvbVersion, @QueryParam("debugGeneration") String debugGeneration) {
        io.jitsiops.sim.jitsi.Bridge b = bridges.bridge(bridge).orElseThrow(() -> new NotFoundException("no bridge " + bridge));
        if (debugGeneration != null) {
            try {
                bridges.setDebugGeneration(b, io.jitsiops.sim.jitsi.Bridge.DebugGeneration.valueOf(debugGeneration));
            } catch (IllegalArgumentException e) {
                throw new BadRequestException("debugGeneration must be one of "
                        + java.util.Arrays.toString(io.jitsiops.sim.jitsi.Bridge.DebugGeneration.values()));
            }
            if (generation == null && jvbVersion == null) {
                return Response.noContent().build(); // only /debug switched: /colibri/stats stays as it is
            }
        }
        io.jitsiops.sim.jitsi.Bridge.StatsGeneration g;
        try {
            g = io.jitsiops.sim.jitsi.Bridge.StatsGeneration.valueOf(generation == null ? "CURRENT" : generation);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("statsGeneration must be one of "
                    + java.util.Arrays.toString(io.jitsiops.sim.jitsi.Bridge.StatsGeneration.values()));
        }
        bridges.setGeneration(b, g, jvbVersion);
        return Response.noContent().build();
    }

    /** The web front's nginx stub_status page on (default) or off (404, as a site without the location). */
    @PUT
    @Path("/web/stub-status")
    public Response stubStatus(@QueryParam("enabled") @DefaultValue("true") boolean enabled) {
        stubStatus.setEnabled(enabled);
        return Response.noContent().build();
    }

    /** nginx accepts {@code count} connections it cannot handle (worker_connections exhausted): accepts − handled grows. */
    @POST
    @Path("/web/dropped-connections")
    public Response droppedConnections(@QueryParam("count") @DefaultValue("1") long count) {
        stubStatus.dropConnections(Math.min(Math.max(count, 0), 1_000_000));
        return Response.noContent().build();
    }

    /** The bridges', jicofo's and the web front's own ports (a REFUSED fault closes them), e.g. {"jvb-1": "http://127.0.0.1:41234"}. */
    @GET
    @Path("/jitsi/ports")
    public Map<String, String> jitsiPorts() {
        return ownPorts.urls();
    }

    /** Component: prosody, jicofo, jvb or nginx. */
    @POST
    @Path("/logs/{component}/errors")
    public Response errorBurst(@PathParam("component") String component, @QueryParam("count") @DefaultValue("10") int count) {
        try {
            logs.errorBurst(component, Math.min(count, 100_000));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
        return Response.noContent().build();
    }

    /** Rejected room tokens in prosody's log (mod_auth_token's warning); reason: one of the real ones, or all in turn. */
    @POST
    @Path("/logs/prosody/token-rejections")
    public Response tokenRejections(@QueryParam("count") @DefaultValue("10") int count, @QueryParam("reason") String reason) {
        if (reason != null && !io.jitsiops.sim.service.LogWriter.TOKEN_REJECTION_REASONS.contains(reason)) {
            throw new BadRequestException("reason must be one of " + io.jitsiops.sim.service.LogWriter.TOKEN_REJECTION_REASONS);
        }
        logs.tokenRejections(Math.min(count, 100_000), reason);
        return Response.noContent().build();
    }

    @POST
    @Path("/janssen/rotate-key")
    public Map<String, String> rotateKey() {
        keys.rotate();
        return Map.of("kid", keys.kid());
    }

    @POST
    @Path("/janssen/expire-key")
    public Response expireKey() {
        keys.expire();
        return Response.noContent().build();
    }

    @POST
    @Path("/janssen/unpublish-key")
    public Response unpublishKey() {
        keys.unpublish();
        return Response.noContent().build();
    }

    /**
     * A Jitsi room token signed with the current key, with the claims prosody's token authentication reads:
     * iss, aud, sub (the XMPP domain), room, context.user, exp.
     */
    @POST
    @Path("/janssen/room-token")
    public Map<String, String> roomToken(@QueryParam("room") @DefaultValue("*") String room,
                                         @QueryParam("expiresInSeconds") @DefaultValue("3600") long expiresIn) {
        long now = java.time.Instant.now().getEpochSecond();
        Map<String, Object> claims = new java.util.LinkedHashMap<>();
        claims.put("iss", "jitsi-ops-sim");
        claims.put("aud", "jitsi");
        claims.put("sub", "meet.jitsi");
        claims.put("room", room);
        claims.put("context", Map.of("user", Map.of("id", "u-1", "name", "Probe User", "email", "probe@example.com")));
        claims.put("iat", now);
        claims.put("exp", now + expiresIn);
        return Map.of("token", keys.sign(claims));
    }

    /** Back to a healthy deployment: no faults, a fresh signing key. Conferences stay as they are. */
    @POST
    @Path("/reset")
    public Response reset() {
        faults.clearAll();
        bridges.reset();
        stubStatus.setEnabled(true);
        keys.rotate();
        return Response.noContent().build();
    }
}
