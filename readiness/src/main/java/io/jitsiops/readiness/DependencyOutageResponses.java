package io.jitsiops.readiness;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * How every service's API answers while a server it depends on is away: 503 with
 * {@code {"error": "...", "unavailable": "PostgreSQL"}} and {@code Retry-After}, whether the resource said so
 * ({@link DependencyUnavailableException}) or the database client's failure reached the API as it was. Anything
 * else keeps its own mapping.
 */
public class DependencyOutageResponses {
    /** Seconds a client should wait before asking again while a dependency is away. */
    static final int RETRY_AFTER_SECONDS = 10;
    private final String postgresAddress;

    public DependencyOutageResponses(@ConfigProperty(name = "quarkus.datasource.reactive.url") Optional<String> reactiveUrl) {
        this.postgresAddress = reactiveUrl.map(DependencyOutageResponses::hostAndPort).orElse(null);
    }

    @ServerExceptionMapper
    public Response unavailable(DependencyUnavailableException e) {
        return response(e);
    }

    /** A database failure that reached the API unwrapped; anything else is left to the default mapping (null). */
    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 100)
    public Response databaseFailure(io.vertx.core.VertxException e) {
        return DependencyUnavailableException.postgresOutage(e, postgresAddress).map(DependencyOutageResponses::response)
                .orElse(null);
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 100)
    public Response refused(java.net.ConnectException e) {
        return DependencyUnavailableException.postgresOutage(e, postgresAddress).map(DependencyOutageResponses::response)
                .orElse(null);
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 100)
    public Response postgresError(io.vertx.pgclient.PgException e) {
        return DependencyUnavailableException.postgresOutage(e, postgresAddress).map(DependencyOutageResponses::response)
                .orElse(null);
    }

    static Response response(DependencyUnavailableException e) {
        return Response.status(Response.Status.SERVICE_UNAVAILABLE).type(MediaType.APPLICATION_JSON)
                .header("Retry-After", RETRY_AFTER_SECONDS)
                .entity(Map.of("error", e.dependency() + " is unavailable, try again later",
                        "unavailable", e.dependency()))
                .build();
    }

    /** "127.0.0.1:18432" of "postgresql://127.0.0.1:18432/jitsiops" (as a refused connection names it). */
    static String hostAndPort(String reactiveUrl) {
        try {
            URI uri = URI.create(reactiveUrl.startsWith("vertx-reactive:") ? reactiveUrl.substring(15) : reactiveUrl);
            return uri.getHost() == null ? null : uri.getHost() + ":" + (uri.getPort() < 0 ? 5432 : uri.getPort());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
