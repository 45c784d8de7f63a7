package io.jitsiops.sim.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.jitsiops.sim.service.FaultRegistry;
import io.smallrye.mutiny.Uni;

/** The Jitsi Meet web front (nginx serving jitsi-meet) under {@code /web}. Fault target: {@code web}. */
@Path("/web")
public class WebResource {
    static final String TARGET = "web";
    private final FaultRegistry faults;

    public WebResource(FaultRegistry faults) {
        this.faults = faults;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> index() {
        return faults.answer(TARGET, () -> Response.ok("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                + "<title>Jitsi Meet</title><script src=\"config.js\"></script></head><body><div id=\"react\"></div>"
                + "</body></html>\n").build(), ProsodyResource::unavailable);
    }

    @GET
    @Path("/about/health")
    public Uni<Response> health() {
        return faults.answer(TARGET, () -> Response.ok().build(), ProsodyResource::unavailable);
    }
}
