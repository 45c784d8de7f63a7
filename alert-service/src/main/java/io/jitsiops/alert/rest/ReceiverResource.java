package io.jitsiops.alert.rest;

import java.util.List;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.jitsiops.alert.repository.NotificationRepository;
import io.jitsiops.alert.service.NotificationService;
import io.smallrye.mutiny.Uni;

@Path("/api/receivers")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "receivers", description = "Receivers: status, counts, last error (never their URLs or credentials)")
public class ReceiverResource {
    private final NotificationService pipeline;
    private final NotificationRepository notifications;

    public ReceiverResource(NotificationService pipeline, NotificationRepository notifications) {
        this.pipeline = pipeline;
        this.notifications = notifications;
    }

    @GET
    @Operation(summary = "Every receiver with its backlog, delivered and undeliverable counts and last error")
    public List<Views.ReceiverView> receivers() {
        return pipeline.queues().entrySet().stream().map(e -> {
            var q = e.getValue();
            return new Views.ReceiverView(e.getKey(), q.receiver().type(), q.backlog(), pipeline.delivered(e.getKey()),
                    pipeline.undeliverable(e.getKey()), q.lastError(), q.lastErrorAt(), q.lastSuccessAt(),
                    q.pausedUntil().orElse(null));
        }).toList();
    }

    @GET
    @Path("/undeliverable")
    @Operation(summary = "The most recent notifications that could not be delivered, with the reason")
    public Uni<List<NotificationRepository.Delivery>> undeliverable(@QueryParam("limit") @DefaultValue("100") int limit) {
        return notifications.undeliverable(Math.max(1, Math.min(limit, 1000)));
    }
}
