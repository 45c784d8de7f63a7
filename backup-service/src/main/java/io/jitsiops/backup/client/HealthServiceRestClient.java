package io.jitsiops.backup.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** health-service's read API (open, no token): {@code GET /api/health}, every check now. */
@Path("/api/health")
@RegisterRestClient(configKey = "health-service")
interface HealthServiceRestClient {

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    HealthServiceReport now();
}
