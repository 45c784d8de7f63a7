package io.jitsiops.sim.rest;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import io.jitsiops.sim.janssen.ScimUsers;
import io.jitsiops.sim.service.FaultRegistry;
import io.jitsiops.sim.service.SimConfig;
import io.smallrye.mutiny.Uni;

/**
 * jans-scim's SCIM 2.0 API ({@code /jans-scim/restv1/v2}): ServiceProviderConfig and Users, with
 * {@code application/scim+json} bodies and SCIM error documents (RFC 7644). Fault targets: {@code scim}
 * (everything), {@code scim-read} (reading a user back), {@code scim-delete} (deleting a user).
 */
@Path("/janssen/jans-scim/restv1/v2")
public class ScimResource {
    static final String SCIM_JSON = "application/scim+json";
    static final String TARGET = "scim";
    private final ScimUsers users;
    private final FaultRegistry faults;
    private final SimConfig config;

    @Context
    UriInfo uriInfo;

    public ScimResource(ScimUsers users, FaultRegistry faults, SimConfig config) {
        this.users = users;
        this.faults = faults;
        this.config = config;
    }

    @GET
    @Path("/ServiceProviderConfig")
    @Produces({ SCIM_JSON, "application/json" })
    public Uni<Response> serviceProviderConfig() {
        return faults.answer(TARGET, () -> Response.ok(Map.of(
                "schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"),
                "patch", Map.of("supported", true),
                "bulk", Map.of("supported", true, "maxOperations", 30, "maxPayloadSize", 3072000),
                "filter", Map.of("supported", true, "maxResults", 200),
                "changePassword", Map.of("supported", true),
                "sort", Map.of("supported", true),
                "etag", Map.of("supported", false),
                "authenticationSchemes", List.of(Map.of("type", "oauthbearertoken", "name", "OAuth Bearer Token",
                        "description", "Authentication scheme using the OAuth Bearer Token Standard", "primary", true)),
                "meta", Map.of("resourceType", "ServiceProviderConfig",
                        "location", base() + "/ServiceProviderConfig"))).type(SCIM_JSON).build(), ScimResource::scimFailure);
    }

    @POST
    @Path("/Users")
    @Consumes({ SCIM_JSON, "application/json" })
    @Produces({ SCIM_JSON, "application/json" })
    public Uni<Response> create(Map<String, Object> body) {
        return faults.answer(TARGET, () -> {
            if (body == null || !(body.get("userName") instanceof String name) || name.isBlank()) {
                return scimError(400, "invalidValue", "userName is required");
            }
            Map<String, Object> user = users.create(body, base() + "/Users");
            return Response.status(201).type(SCIM_JSON).entity(user).build();
        }, ScimResource::scimFailure);
    }

    @GET
    @Path("/Users/{id}")
    @Produces({ SCIM_JSON, "application/json" })
    public Uni<Response> get(@PathParam("id") String id) {
        // "scim-read" fails only reading a user back: the middle of a provisioning round trip.
        return faults.of("scim-read").isPresent() ? Uni.createFrom().item(ScimResource::scimFailure) : faults.answer(TARGET, () -> users.get(id)
                .map(u -> Response.ok(u).type(SCIM_JSON).build())
                .orElseGet(() -> scimError(404, null, "Resource " + id + " not found")), ScimResource::scimFailure);
    }

    @GET
    @Path("/Users")
    @Produces({ SCIM_JSON, "application/json" })
    public Uni<Response> list() {
        return faults.answer(TARGET, () -> {
            List<Map<String, Object>> all = users.all();
            return Response.ok(Map.of("schemas", List.of("urn:ietf:params:scim:api:messages:2.0:ListResponse"),
                    "totalResults", all.size(), "startIndex", 1, "itemsPerPage", all.size(), "Resources", all))
                    .type(SCIM_JSON).build();
        }, ScimResource::scimFailure);
    }

    @DELETE
    @Path("/Users/{id}")
    public Uni<Response> delete(@PathParam("id") String id) {
        // "scim-delete" fails only deletes, so that a client's clean-up can be seen to retry.
        return faults.of("scim-delete").isPresent() ? Uni.createFrom().item(ScimResource::scimFailure) : faults.answer(TARGET, () -> users.delete(id) ? Response.noContent().build()
                : scimError(404, null, "Resource " + id + " not found"), ScimResource::scimFailure);
    }

    private String base() {
        return config.baseUrl(uriInfo) + "/janssen/jans-scim/restv1/v2";
    }

    static Response scimFailure() {
        return scimError(500, null, "Unexpected error: could not reach the persistence layer");
    }

    static Response scimError(int status, String scimType, String detail) {
        Map<String, Object> error = new java.util.LinkedHashMap<>();
        error.put("schemas", List.of("urn:ietf:params:scim:api:messages:2.0:Error"));
        error.put("status", String.valueOf(status));
        if (scimType != null) {
            error.put("scimType", scimType);
        }
        error.put("detail", detail);
        return Response.status(status).type(SCIM_JSON).entity(error).build();
    }
}
