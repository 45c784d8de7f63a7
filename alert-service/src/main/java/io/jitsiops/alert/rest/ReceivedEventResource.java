package io.jitsiops.alert.rest;

import java.util.List;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.jitsiops.alert.service.ReceivedEventRepository;
import io.jitsiops.alert.service.ReceivedEventRepository.ReceivedEvent;
import io.smallrye.mutiny.Uni;

@Path("/api/events")
@Produces(MediaType.APPLICATION_JSON)
public class ReceivedEventResource {
    private final ReceivedEventRepository repository;

    public ReceivedEventResource(ReceivedEventRepository repository) {
        this.repository = repository;
    }

    @GET
    @Operation(summary = "The most recently consumed events from every jitsi-ops topic")
    public Uni<List<ReceivedEvent>> recent(@QueryParam("limit") @DefaultValue("50") int limit) {
        return repository.recent(Math.max(1, Math.min(limit, 1000)));
    }
}
