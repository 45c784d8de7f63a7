package io.jitsiops.sim.rest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import io.jitsiops.sim.janssen.AccessTokens;
import io.jitsiops.sim.janssen.OpenIdConfiguration;
import io.jitsiops.sim.janssen.SigningKeys;
import io.jitsiops.sim.service.FaultRegistry;
import io.jitsiops.sim.service.SimConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/**
 * jans-auth at a Janssen server's paths: OpenID discovery ({@code /.well-known/openid-configuration}, issuer the
 * bare host), the JWKS, the token endpoint (client_credentials), token introspection (RFC 7662) and the server's
 * health check ({@code /jans-auth/sys/health-check}). Fault target {@code janssen}; special fault targets (any
 * kind): {@code janssen-opaque-tokens} (the jitsi-ops client gets opaque tokens), {@code janssen-discovery-elsewhere}
 * (discovery points the token, JWKS and introspection endpoints at another origin: the same server under
 * {@code localhost} instead of its address, or the reverse), {@code janssen-starting} (health check says
 * {@code starting}), {@code janssen-no-scim-scopes} (tokens are granted no SCIM scope).
 * <p>Clients: {@code jitsisim.janssen.client-id} with {@code access_token_as_jwt: true} (the services under test
 * verify its tokens locally), and {@code <client-id>-opaque} (same secret) with Janssen's default, opaque tokens.
 */
@Path("/")
public class JanssenResource {
    static final String TARGET = "janssen";
    static final String SCIM_READ = "https://jans.io/scim/users.read";
    static final String SCIM_WRITE = "https://jans.io/scim/users.write";
    /** Janssen's default access token lifetime for this grant, as seen in its answers. */
    static final int EXPIRES_IN = 299;
    private final SimConfig config;
    private final SigningKeys keys;
    private final FaultRegistry faults;
    private final AccessTokens tokens;

    @Context
    UriInfo uriInfo;
    @Context
    HttpServerRequest request;

    public JanssenResource(SimConfig config, SigningKeys keys, FaultRegistry faults, AccessTokens tokens) {
        this.config = config;
        this.keys = keys;
        this.faults = faults;
        this.tokens = tokens;
    }

    String issuer() {
        return config.baseUrl(uriInfo) + JanssenPathPrefix.prefix(request);
    }

    @GET
    @Path(".well-known/openid-configuration")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> discovery() {
        return faults.answer(TARGET, () -> {
            Map<String, Object> d = OpenIdConfiguration.document(issuer(), issuer());
            if (faults.of("janssen-discovery-elsewhere").isPresent()) {
                String elsewhere = elsewhere() + JanssenPathPrefix.prefix(request) + "/jans-auth/restv1";
                d.put("token_endpoint", elsewhere + "/token");
                d.put("jwks_uri", elsewhere + "/jwks");
                d.put("introspection_endpoint", elsewhere + "/introspection");
            }
            return Response.ok(d).build();
        }, JanssenResource::unavailable);
    }

    /** The same server under another name: another origin to a client pinning the issuer's. */
    private String elsewhere() {
        java.net.URI base = java.net.URI.create(config.baseUrl(uriInfo));
        String other = "localhost".equals(base.getHost()) ? "127.0.0.1" : "localhost";
        return base.getScheme() + "://" + other + (base.getPort() < 0 ? "" : ":" + base.getPort());
    }

    @GET
    @Path("jans-auth/restv1/jwks")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> jwks() {
        return faults.answer(TARGET, () -> Response.ok(keys.jwks()).build(), JanssenResource::unavailable);
    }

    /**
     * client_credentials with client_secret_basic or client_secret_post. Client authentication comes first: bad
     * credentials are 401 {@code invalid_client} with {@code WWW-Authenticate: Basic realm="jans-auth"} whatever
     * the grant type. Granted scopes are the requested ones the client may have. An optional {@code roles} form
     * field (space separated) lands in a JWT's {@code role} claim, so tests can ask for tokens with or without the
     * roles jitsi-ops' mutating endpoints require; {@code audience} sets {@code aud} (default: the client id).
     */
    @POST
    @Path("jans-auth/restv1/token")
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
            String[] credentials = clientCredentials(authorization, formClientId, formSecret);
            String client = credentials == null ? null : registeredClient(credentials[0], credentials[1]);
            if (client == null) {
                return oauthError(401, "invalid_client", "Client authentication failed.")
                        .header("WWW-Authenticate", "Basic realm=\"jans-auth\"").build();
            }
            if (!"client_credentials".equals(grantType)) {
                return oauthError(400, "unsupported_grant_type", "The authorization grant type is not supported.").build();
            }
            Set<String> granted = grantedScopes(scope);
            long now = Instant.now().getEpochSecond();
            boolean jwt = client.equals(config.janssen().clientId()) && faults.of("janssen-opaque-tokens").isEmpty();
            String token;
            if (jwt) {
                Map<String, Object> claims = new LinkedHashMap<>();
                claims.put("iss", issuer());
                claims.put("sub", client);
                claims.put("aud", audience == null || audience.isBlank() ? client : audience);
                claims.put("client_id", client);
                claims.put("scope", String.join(" ", AccessTokens.sorted(granted)));
                claims.put("token_type", "Bearer");
                claims.put("iat", now);
                claims.put("nbf", now);
                claims.put("exp", now + EXPIRES_IN);
                claims.put("jti", UUID.randomUUID().toString());
                if (roles != null && !roles.isBlank()) {
                    claims.put("role", List.of(roles.trim().split("\\s+")));
                }
                token = keys.sign(claims);
            } else {
                token = tokens.opaqueToken();
            }
            long exp = keys.tokensExpired() ? now - 3600 : now + EXPIRES_IN;
            tokens.remember(token, client, granted, issuer(), keys.tokensExpired() ? now - 7200 : now, exp);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("access_token", token);
            body.put("scope", String.join(" ", AccessTokens.sorted(granted)));
            body.put("token_type", "Bearer");
            body.put("expires_in", EXPIRES_IN);
            return Response.ok(body).header("Cache-Control", "no-store").header("Pragma", "no-cache").build();
        }, JanssenResource::unavailable);
    }

    /**
     * RFC 7662 as jans-auth's {@code IntrospectionWebService} answers it: the caller authenticates with a bearer
     * token of its own or with client credentials (Basic); no Authorization is 400 {@code invalid_request}, a bad
     * one 401 {@code access_denied}; an unknown or expired token is {@code {"active":false}}; an active one has
     * {@code active, scope, client_id, token_type, exp, iat, iss, aud} (null members left out, as upstream).
     */
    @POST
    @Path("jans-auth/restv1/introspection")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> introspect(@HeaderParam("Authorization") String authorization, @FormParam("token") String token) {
        return faults.answer(TARGET, () -> introspection(authorization, token), JanssenResource::unavailable);
    }

    @GET
    @Path("jans-auth/restv1/introspection")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> introspectGet(@HeaderParam("Authorization") String authorization, @QueryParam("token") String token) {
        return faults.answer(TARGET, () -> introspection(authorization, token), JanssenResource::unavailable);
    }

    private Response introspection(String authorization, String token) {
        if (authorization == null || authorization.isBlank()) {
            return oauthError(400, "invalid_request", "").build();
        }
        boolean authorized = tokens.bearer(authorization).isPresent();
        if (!authorized && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String[] c = clientCredentials(authorization, null, null);
            authorized = c != null && registeredClient(c[0], c[1]) != null;
        }
        if (!authorized) {
            return oauthError(401, "access_denied", "Authorization is not valid").build();
        }
        if (token == null || token.isBlank()) {
            return oauthError(400, "invalid_request", "").build();
        }
        long now = Instant.now().getEpochSecond();
        return tokens.find(token).filter(g -> g.active(now)).map(g -> {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("active", true);
            answer.put("scope", String.join(" ", AccessTokens.sorted(g.scopes())));
            answer.put("client_id", g.clientId());
            answer.put("token_type", "Bearer");
            answer.put("exp", g.expiresAt());
            answer.put("iat", g.issuedAt());
            answer.put("iss", g.issuer());
            answer.put("aud", g.clientId());
            return Response.ok(answer).build();
        }).orElseGet(() -> Response.ok("{\"active\":false}").type(MediaType.APPLICATION_JSON).build());
    }

    /**
     * Janssen's own health check: {@code {"status": "running", "db_status":"online"}} (the exact text of
     * jans-auth's {@code HealthCheckController}), always 200; {@code db_status} offline under a DOWN fault,
     * {@code status} starting under {@code janssen-starting}.
     */
    @GET
    @Path("jans-auth/sys/health-check")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> healthCheck() {
        String status = faults.of("janssen-starting").isPresent() ? "starting" : "running";
        return faults.answer(TARGET, () -> health(status, "online"), () -> health(status, "offline"));
    }

    private static Response health(String status, String db) {
        return Response.ok("{\"status\": \"" + status + "\", \"db_status\":\"" + db + "\"}").type(MediaType.APPLICATION_JSON).build();
    }

    /** The registered client these credentials authenticate, or null. */
    private String registeredClient(String clientId, String secret) {
        String id = config.janssen().clientId();
        if (!config.janssen().clientSecret().equals(secret)) {
            return null;
        }
        return id.equals(clientId) || (id + "-opaque").equals(clientId) ? clientId : null;
    }

    private Set<String> grantedScopes(String requested) {
        Set<String> granted = new LinkedHashSet<>();
        if (requested != null && !requested.isBlank()) {
            granted.addAll(Arrays.asList(requested.trim().split("\\s+")));
        }
        if (faults.of("janssen-no-scim-scopes").isPresent()) {
            granted.remove(SCIM_READ);
            granted.remove(SCIM_WRITE);
        }
        return granted;
    }

    static String[] clientCredentials(String authorization, String formClientId, String formSecret) {
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                if (colon > 0) {
                    return new String[] { java.net.URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                            java.net.URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8) };
                }
            } catch (IllegalArgumentException e) {
                return null;
            }
            return null;
        }
        return formClientId == null || formSecret == null ? null : new String[] { formClientId, formSecret };
    }

    static Response.ResponseBuilder oauthError(int status, String error, String description) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("error_description", description);
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body);
    }

    static Response unavailable() {
        return Response.status(503).type(MediaType.TEXT_HTML)
                .entity("<html><head><title>Error 503 Service Unavailable</title></head><body><h2>HTTP ERROR 503</h2></body></html>")
                .build();
    }
}
