package io.jitsiops.health.rest;

import java.util.Map;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** How failures of the API look to clients: JSON with a reason, and the status that tells them what to do. */
public class ErrorResponses {
    /** Seconds a client should wait before asking again while a dependency is away. */
    static final int RETRY_AFTER_SECONDS = 10;

    @ServerExceptionMapper
    public Response dependencyUnavailable(DependencyUnavailableException e) {
        return Response.status(Response.Status.SERVICE_UNAVAILABLE).type(MediaType.APPLICATION_JSON)
                .header("Retry-After", RETRY_AFTER_SECONDS)
                .entity(Map.of("error", e.dependency() + " is unavailable, try again later",
                        "unavailable", e.dependency()))
                .build();
    }
}
