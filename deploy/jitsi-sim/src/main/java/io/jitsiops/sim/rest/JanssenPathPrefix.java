package io.jitsiops.sim.rest;

import java.net.URI;

import jakarta.ws.rs.container.ContainerRequestContext;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The simulated Janssen lives at the root, as a real one does (issuer {@code https://host}, endpoints under
 * {@code /jans-auth} and {@code /jans-scim}). Configurations written for the simulator's first layout reach it under
 * {@code /janssen/...}: this filter routes them to the same resources, which then answer with the issuer
 * {@code <base>/janssen} so that such a configuration stays coherent (tokens' {@code iss} matches its discovery).
 */
public class JanssenPathPrefix {
    static final String LEGACY = "/janssen";

    @ServerRequestFilter(preMatching = true)
    public void route(ContainerRequestContext request) {
        String path = request.getUriInfo().getRequestUri().getRawPath();
        if (path.startsWith(LEGACY + "/.well-known/") || path.startsWith(LEGACY + "/jans-auth/")
                || path.startsWith(LEGACY + "/jans-scim/")) {
            URI uri = request.getUriInfo().getRequestUri();
            String rest = uri.getRawPath().substring(LEGACY.length());
            request.setRequestUri(URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + rest
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())));
        }
    }

    /** The issuer path prefix of this request: {@code /janssen} when it came through the old layout. */
    static String prefix(io.vertx.core.http.HttpServerRequest request) {
        return request.path().startsWith(LEGACY + "/") ? LEGACY : "";
    }
}
