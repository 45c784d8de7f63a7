package io.jitsiops.sim.rest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import io.jitsiops.sim.janssen.AccessTokens;
import io.jitsiops.sim.janssen.ScimUsers;
import io.jitsiops.sim.service.FaultRegistry;
import io.jitsiops.sim.service.SimConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/**
 * jans-scim's SCIM 2.0 API ({@code /jans-scim/restv1/v2}): ServiceProviderConfig (open, as RFC 7644 advises and
 * jans-scim's {@code ServiceProviderConfigWS} serves it, auth scheme {@code oauth2}) and Users, which need a bearer
 * token from the Janssen server with {@code https://jans.io/scim/users.read} (reads) or {@code users.write}
 * (changes): no token 401, an inactive token or a missing scope 403 (RFC 7644 3.12). Listing honours
 * {@code filter}, {@code startIndex} (1-based) and {@code count} (at most 200, Janssen's default maxCount).
 * {@code application/scim+json} bodies, SCIM error documents. Fault targets: {@code scim} (everything),
 * {@code scim-read} (reading a user back), {@code scim-delete} (deleting a user).
 */
@Path("/jans-scim/restv1/v2")
public class ScimResource {
    static final String SCIM_JSON = "application/scim+json";
    static final String TARGET = "scim";
    static final int MAX_COUNT = 200;
    private final ScimUsers users;
    private final FaultRegistry faults;
    private final SimConfig config;
    private final AccessTokens tokens;

    @Context
    UriInfo uriInfo;
    @Context
    HttpServerRequest request;

    public ScimResource(ScimUsers users, FaultRegistry faults, SimConfig config, AccessTokens tokens) {
        this.users = users;
        this.faults = faults;
        this.config = config;
        this.tokens = tokens;
    }

    @GET
    @Path("/ServiceProviderConfig")
    @Produces({ SCIM_JSON, "application/json" })
    public Uni<Response> serviceProviderConfig() {
        return faults.answer(TARGET, () -> {
            Map<String, Object> spc = new LinkedHashMap<>();
            spc.put("schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"));
            spc.put("meta", Map.of("resourceType", "ServiceProviderConfig", "location", base() + "/ServiceProviderConfig"));
            spc.put("documentationUri", "https://gluu.org/docs/ce/user-management/scim2/");
            spc.put("patch", Map.of("supported", true));
            spc.put("bulk", Map.of("supported", true, "maxOperations", 30, "maxPayloadSize", 3072000));
            spc.put("filter", Map.of("supported", true, "maxResults", MAX_COUNT));
            spc.put("changePassword", Map.of("supported", true));
            spc.put("sort", Map.of("supported", true));
            spc.put("etag", Map.of("supported", false));
            Map<String, Object> oauth2 = new LinkedHashMap<>();
            oauth2.put("name", "OAuth 2.0");
            oauth2.put("description", "OAuth2 Bearer Token Authentication Scheme.");
            oauth2.put("specUri", "http://tools.ietf.org/html/rfc6749");
            oauth2.put("documentationUri", "http://tools.ietf.org/html/rfc6749");
            oauth2.put("type", "oauth2");
            oauth2.put("primary", true);
            spc.put("authenticationSchemes", List.of(oauth2));
            return Response.ok(spc).type(SCIM_JSON).build();
        }, ScimResource::scimFailure);
    }

    @POST
    @Path("/Users")
    @Consumes({ SCIM_JSON, "application/json" })
    @Produces({ SCIM_JSON, "application/json" })
    public Uni<Response> create(@HeaderParam("Authorization") String authorization, Map<String, Object> body) {
        return faults.answer(TARGET, () -> refused(authorization, JanssenResource.SCIM_WRITE).orElseGet(() -> {
            if (body == null || !(body.get("userName") instanceof String name) || name.isBlank()) {
                return scimError(400, "invalidValue", "userName is required");
            }
            Map<String, Object> user = users.create(body, base() + "/Users");
            return Response.status(201).type(SCIM_JSON).entity(user).build();
        }), ScimResource::scimFailure);
    }

    @GET
    @Path("/Users/{id}")
    @Produces({ SCIM_JSON, "application/json" })
    public Uni<Response> get(@HeaderParam("Authorization") String authorization, @PathParam("id") String id) {
        // "scim-read" fails only reading a user back: the middle of a provisioning round trip.
        return faults.of("scim-read").isPresent() ? Uni.createFrom().item(ScimResource::scimFailure)
                : faults.answer(TARGET, () -> refused(authorization, JanssenResource.SCIM_READ).orElseGet(() -> users.get(id)
                        .map(u -> Response.ok(u).type(SCIM_JSON).build())
                        .orElseGet(() -> scimError(404, null, "Resource " + id + " not found"))), ScimResource::scimFailure);
    }

    @GET
    @Path("/Users")
    @Produces({ SCIM_JSON, "application/json" })
    public Uni<Response> list(@HeaderParam("Authorization") String authorization, @QueryParam("filter") String filter,
                              @QueryParam("startIndex") Integer startIndex, @QueryParam("count") Integer count) {
        return faults.answer(TARGET, () -> refused(authorization, JanssenResource.SCIM_READ).orElseGet(() -> {
            List<Map<String, Object>> matching;
            try {
                matching = filter == null || filter.isBlank() ? users.all()
                        : users.all().stream().filter(ScimUsers.filter(filter)).toList();
            } catch (IllegalArgumentException e) {
                return scimError(400, "invalidFilter", e.getMessage());
            }
            int start = startIndex == null || startIndex < 1 ? 1 : startIndex;
            int size = count == null ? MAX_COUNT : Math.max(0, Math.min(count, MAX_COUNT));
            List<Map<String, Object>> page = matching.stream().skip(start - 1L).limit(size).toList();
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("schemas", List.of("urn:ietf:params:scim:api:messages:2.0:ListResponse"));
            answer.put("totalResults", matching.size());
            answer.put("startIndex", start);
            answer.put("itemsPerPage", page.size());
            answer.put("Resources", page);
            return Response.ok(answer).type(SCIM_JSON).build();
        }), ScimResource::scimFailure);
    }

    @DELETE
    @Path("/Users/{id}")
    public Uni<Response> delete(@HeaderParam("Authorization") String authorization, @PathParam("id") String id) {
        // "scim-delete" fails only deletes, so that a client's clean-up can be seen to retry.
        return faults.of("scim-delete").isPresent() ? Uni.createFrom().item(ScimResource::scimFailure)
                : faults.answer(TARGET, () -> refused(authorization, JanssenResource.SCIM_WRITE).orElseGet(() -> users.delete(id)
                        ? Response.noContent().build()
                        : scimError(404, null, "Resource " + id + " not found")), ScimResource::scimFailure);
    }

    /** The refusal of a request without an active bearer token holding {@code scope}, or empty when allowed. */
    private Optional<Response> refused(String authorization, String scope) {
        if (authorization == null || authorization.isBlank()) {
            return Optional.of(scimError(401, null, "No authorization header found"));
        }
        return tokens.bearer(authorization).filter(g -> g.scopes().contains(scope)).isPresent() ? Optional.empty()
                : Optional.of(scimError(403, null, "Invalid token or insufficient scopes"));
    }

    private String base() {
        return config.baseUrl(uriInfo) + JanssenPathPrefix.prefix(request) + "/jans-scim/restv1/v2";
    }

    static Response scimFailure() {
        return scimError(500, null, "Unexpected error: could not reach the persistence layer");
    }

    static Response scimError(int status, String scimType, String detail) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("schemas", List.of("urn:ietf:params:scim:api:messages:2.0:Error"));
        error.put("status", String.valueOf(status));
        if (scimType != null) {
            error.put("scimType", scimType);
        }
        error.put("detail", detail);
        return Response.status(status).type(SCIM_JSON).entity(error).build();
    }
}
