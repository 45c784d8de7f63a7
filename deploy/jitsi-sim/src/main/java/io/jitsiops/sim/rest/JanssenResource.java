package io.jitsiops.sim.rest;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import io.jitsiops.sim.janssen.SigningKeys;
import io.jitsiops.sim.service.FaultRegistry;
import io.jitsiops.sim.service.SimConfig;
import io.smallrye.mutiny.Uni;

/**
 * jans-auth: OpenID discovery, JWKS, the token endpoint (client_credentials) and the server's health check,
 * at the paths a Janssen server uses ({@code /jans-auth/restv1/...}, {@code /jans-auth/sys/health-check}).
 * Issuer: {@code <base-url>/janssen}. Fault target: {@code janssen}.
 */
@Path("/janssen")
public class JanssenResource {
    static final String TARGET = "janssen";
    private final SimConfig config;

    @Context
    UriInfo uriInfo;
    private final SigningKeys keys;
    private final FaultRegistry faults;

    public JanssenResource(SimConfig config, SigningKeys keys, FaultRegistry faults) {
        this.config = config;
        this.keys = keys;
        this.faults = faults;
    }

    String issuer() {
        return config.baseUrl(uriInfo) + "/janssen";
    }

    @GET
    @Path("/.well-known/openid-configuration")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> discovery() {
        return faults.answer(TARGET, () -> {
            String auth = issuer() + "/jans-auth/restv1";
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("issuer", issuer());
            d.put("authorization_endpoint", auth + "/authorize");
            d.put("token_endpoint", auth + "/token");
            d.put("userinfo_endpoint", auth + "/userinfo");
            d.put("jwks_uri", auth + "/jwks");
            d.put("registration_endpoint", auth + "/register");
            d.put("end_session_endpoint", auth + "/end_session");
            d.put("introspection_endpoint", auth + "/introspection");
            d.put("revocation_endpoint", auth + "/revoke");
            d.put("response_types_supported", List.of("code", "token", "id_token", "code id_token"));
            d.put("grant_types_supported", List.of("authorization_code", "client_credentials", "refresh_token"));
            d.put("subject_types_supported", List.of("public", "pairwise"));
            d.put("id_token_signing_alg_values_supported", List.of("RS256", "RS384", "RS512"));
            d.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
            d.put("scopes_supported", List.of("openid", "profile", "email", "https://jans.io/scim/users.read",
                    "https://jans.io/scim/users.write"));
            d.put("claims_supported", List.of("sub", "iss", "aud", "exp", "iat", "name", "email", "jansAdminUIRole"));
            return Response.ok(d).build();
        }, JanssenResource::unavailable);
    }

    @GET
    @Path("/jans-auth/restv1/jwks")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> jwks() {
        return faults.answer(TARGET, () -> Response.ok(keys.jwks()).build(), JanssenResource::unavailable);
    }

    /**
     * client_credentials with client_secret_basic or client_secret_post. An optional {@code roles} form field
     * (space separated) lands in the token's {@code role} claim, so tests can ask for tokens with or without
     * the roles jitsi-ops' mutating endpoints require.
     */
    @POST
    @Path("/jans-auth/restv1/token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> token(@HeaderParam("Authorization") String authorization,
                               @FormParam("grant_type") String grantType,
                               @FormParam("client_id") String formClientId,
                               @FormParam("client_secret") String formSecret,
                               @FormParam("scope") String scope,
                               @FormParam("audience") String audience,
                               @FormParam("roles") String roles) {
        return faults.answer(TARGET, () -> {
            if (!"client_credentials".equals(grantType)) {
                return oauthError(400, "unsupported_grant_type", "The authorization grant type is not supported.");
            }
            String[] credentials = clientCredentials(authorization, formClientId, formSecret);
            if (credentials == null || !config.janssen().clientId().equals(credentials[0])
                    || !config.janssen().clientSecret().equals(credentials[1])) {
                return oauthError(401, "invalid_client", "Client authentication failed.");
            }
            long now = Instant.now().getEpochSecond();
            Map<String, Object> claims = new LinkedHashMap<>();
            claims.put("iss", issuer());
            claims.put("sub", credentials[0]);
            claims.put("aud", audience == null || audience.isBlank() ? credentials[0] : audience);
            claims.put("client_id", credentials[0]);
            claims.put("scope", scope == null ? "" : scope);
            claims.put("token_type", "Bearer");
            claims.put("iat", now);
            claims.put("nbf", now);
            claims.put("exp", now + 299);
            claims.put("jti", UUID.randomUUID().toString());
            if (roles != null && !roles.isBlank()) {
                claims.put("role", List.of(roles.trim().split("\\s+")));
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("access_token", keys.sign(claims));
            body.put("scope", scope == null ? "" : scope);
            body.put("token_type", "Bearer");
            body.put("expires_in", 299);
            return Response.ok(body).header("Cache-Control", "no-store").header("Pragma", "no-cache").build();
        }, JanssenResource::unavailable);
    }

    /** Janssen's own health check: {@code {"status":"running","db_status":"online"}}. */
    @GET
    @Path("/jans-auth/sys/health-check")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> healthCheck() {
        return faults.answer(TARGET, () -> Response.ok(Map.of("status", "running", "db_status", "online")).build(),
                () -> Response.ok(Map.of("status", "running", "db_status", "offline")).build());
    }

    private static String[] clientCredentials(String authorization, String formClientId, String formSecret) {
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(java.util.Base64.getDecoder().decode(authorization.substring(6).trim()),
                        java.nio.charset.StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                if (colon > 0) {
                    return new String[] { java.net.URLDecoder.decode(decoded.substring(0, colon), java.nio.charset.StandardCharsets.UTF_8),
                            java.net.URLDecoder.decode(decoded.substring(colon + 1), java.nio.charset.StandardCharsets.UTF_8) };
                }
            } catch (IllegalArgumentException e) {
                return null;
            }
            return null;
        }
        return formClientId == null || formSecret == null ? null : new String[] { formClientId, formSecret };
    }

    static Response oauthError(int status, String error, String description) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", error, "error_description", description)).build();
    }

    static Response unavailable() {
        return Response.status(503).type(MediaType.TEXT_HTML)
                .entity("<html><head><title>Error 503 Service Unavailable</title></head><body><h2>HTTP ERROR 503</h2></body></html>")
                .build();
    }
}
