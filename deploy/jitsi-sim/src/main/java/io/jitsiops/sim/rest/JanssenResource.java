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
import io.jitsiops.sim.janssen.AuthorizationCodes;
import io.jitsiops.sim.janssen.CodeExchange;
import io.jitsiops.sim.janssen.OpenIdConfiguration;
import io.jitsiops.sim.janssen.SigningKeys;
import io.jitsiops.sim.service.FaultRegistry;
import io.jitsiops.sim.service.SimConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/**
 * jans-auth at a Janssen server's paths: OpenID discovery ({@code /.well-known/openid-configuration}, issuer the
 * bare host), the JWKS, the token endpoint (client_credentials; authorization_code with PKCE for the status page's
 * public client, CORS for its authorized origins), the authorization endpoint and login page
 * ({@code /jans-auth/restv1/authorize}, {@code /jans-auth/login.htm}), token introspection (RFC 7662) and the
 * server's health check ({@code /jans-auth/sys/health-check}). Fault target {@code janssen}; special fault targets (any
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

    private final AuthorizationCodes codes;
    private final CodeExchange exchange;

    public JanssenResource(SimConfig config, SigningKeys keys, FaultRegistry faults, AccessTokens tokens,
                           AuthorizationCodes codes, CodeExchange exchange) {
        this.config = config;
        this.keys = keys;
        this.faults = faults;
        this.tokens = tokens;
        this.codes = codes;
        this.exchange = exchange;
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
                               @HeaderParam("Origin") String origin,
                               @FormParam("grant_type") String grantType,
                               @FormParam("client_id") String formClientId,
                               @FormParam("client_secret") String formSecret,
                               @FormParam("scope") String scope,
                               @FormParam("audience") String audience,
                               @FormParam("roles") String roles,
                               @FormParam("code") String code,
                               @FormParam("redirect_uri") String redirectUri,
                               @FormParam("code_verifier") String codeVerifier) {
        if (origin != null && exchange.isPublicClient(formClientId)) {
            return faults.answer(TARGET, () -> {
                if (!exchange.authorizedOrigins().contains(origin)) {
                    return corsRefused();
                }
                return cors(Response.fromResponse(publicClientToken(authorization, grantType, formClientId, code,
                        redirectUri, codeVerifier, scope)), origin).build();
            }, JanssenResource::unavailable);
        }
        if (authorization == null && formSecret == null && exchange.isPublicClient(formClientId)) {
            return faults.answer(TARGET, () -> publicClientToken(authorization, grantType, formClientId, code, redirectUri,
                    codeVerifier, scope), JanssenResource::unavailable);
        }
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

    /** The public client (no secret, {@code token_endpoint_auth_method=none}): only the authorization-code grant. */
    private Response publicClientToken(String authorization, String grantType, String clientId, String code,
                                       String redirectUri, String codeVerifier, String requestedScope) {
        if (authorization != null) {
            return oauthError(401, "invalid_client", "Client authentication failed.").build();
        }
        if (!"authorization_code".equals(grantType)) {
            return oauthError(400, "unsupported_grant_type", "The authorization grant type is not supported.").build();
        }
        if (code == null || code.isBlank()) {
            return oauthError(400, "invalid_request", "Failed to validate request parameters").build();
        }
        return exchange.exchange(clientId, code, redirectUri, codeVerifier, requestedScope);
    }

    /** CORS pre-flight of a browser calling the token endpoint (jans-auth's CorsFilter on {@code /restv1/token}). */
    @jakarta.ws.rs.OPTIONS
    @Path("jans-auth/restv1/token")
    public Response tokenPreflight(@HeaderParam("Origin") String origin,
                                   @HeaderParam("Access-Control-Request-Method") String method) {
        if (origin == null || !exchange.authorizedOrigins().contains(origin) || !"POST".equalsIgnoreCase(method)) {
            return corsRefused();
        }
        return cors(Response.ok(), origin)
                .header("Access-Control-Allow-Methods", "POST, OPTIONS")
                .header("Access-Control-Allow-Headers", "Content-Type, Accept, Authorization")
                .header("Access-Control-Max-Age", "1800")
                .build();
    }

    private static Response.ResponseBuilder cors(Response.ResponseBuilder builder, String origin) {
        return builder.header("Access-Control-Allow-Origin", origin).header("Vary", "Origin");
    }

    /** The CORS filter's answer to an origin it does not allow: 403, no Access-Control headers. */
    private static Response corsRefused() {
        return Response.status(403).type(MediaType.TEXT_PLAIN).entity("CORS request rejected").build();
    }

    /**
     * The authorization endpoint (authorization code with PKCE S256 for the status page's public client), checked in
     * jans-auth's order ({@code AuthorizeRestWebServiceValidator}): an unknown client is 401 JSON
     * {@code unauthorized_client}; a redirect URI that is not registered is 400 JSON
     * {@code invalid_request_redirect_uri} (never a redirect to an unknown place); after that every error goes back
     * on the redirect ({@code error}, {@code error_description}, {@code state}). A valid request waits for its user
     * under the {@code session_id} cookie and the browser is sent to the login page.
     */
    @GET
    @Path("jans-auth/restv1/authorize")
    public Uni<Response> authorize(@QueryParam("response_type") String responseType,
                                   @QueryParam("client_id") String clientId,
                                   @QueryParam("redirect_uri") String redirectUri,
                                   @QueryParam("scope") String scope,
                                   @QueryParam("state") String state,
                                   @QueryParam("nonce") String nonce,
                                   @QueryParam("code_challenge") String codeChallenge,
                                   @QueryParam("code_challenge_method") String codeChallengeMethod) {
        return faults.answer(TARGET, () -> {
            if (clientId == null || clientId.isBlank()) {
                return authorizeError(400, "unauthorized_client", "client_id is empty or blank.", state);
            }
            if (!exchange.isPublicClient(clientId)) {
                return authorizeError(401, "unauthorized_client", "Unable to find client.", state);
            }
            if (!exchange.registeredRedirect(redirectUri)) {
                return authorizeError(400, "invalid_request_redirect_uri", "The redirect URI is not registered for this client.", state);
            }
            if (!"code".equals(responseType)) {
                return backWithError(redirectUri, "unsupported_response_type",
                        "The authorization server does not support obtaining an authorization code using this method.", state);
            }
            if (codeChallenge == null || codeChallenge.isBlank()) {
                return backWithError(redirectUri, "invalid_request", "PKCE is required: code_challenge is missing.", state);
            }
            if (!"S256".equals(codeChallengeMethod)) {
                return backWithError(redirectUri, "invalid_request", "code_challenge_method must be S256.", state);
            }
            List<String> scopes = scope == null || scope.isBlank() ? List.of("openid") : List.of(scope.trim().split("\\s+"));
            String session = codes.await(new AuthorizationCodes.Request(clientId, redirectUri, scopes, state, nonce,
                    codeChallenge, issuer(), Instant.now()));
            return Response.status(302).location(java.net.URI.create(issuer() + "/jans-auth/login.htm"))
                    .header("Set-Cookie", "session_id=" + session + "; Path=/; HttpOnly; SameSite=Lax")
                    .header("Cache-Control", "no-store").build();
        }, JanssenResource::unavailable);
    }

    /** jans-auth's login page ({@code login.xhtml}): form {@code loginForm}, same field ids and names. */
    @GET
    @Path("jans-auth/login.htm")
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> loginPage(@jakarta.ws.rs.CookieParam("session_id") String session) {
        return faults.answer(TARGET, () -> codes.waiting(session).isPresent() ? loginForm(200, null) : sessionExpired(),
                JanssenResource::unavailable);
    }

    /**
     * The login form posted: right credentials issue a code and send the browser back to the client with
     * {@code code, scope, state, session_state}; wrong ones show the form again with "Failed to authenticate.".
     */
    @POST
    @Path("jans-auth/login.htm")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> login(@jakarta.ws.rs.CookieParam("session_id") String session,
                               @FormParam("loginForm:username") String username,
                               @FormParam("loginForm:password") String password) {
        return faults.answer(TARGET, () -> {
            java.util.Optional<AuthorizationCodes.Request> waiting = codes.waiting(session);
            if (waiting.isEmpty()) {
                return sessionExpired();
            }
            java.util.Optional<String> user = exchange.authenticate(username, password);
            if (user.isEmpty()) {
                return loginForm(200, "Failed to authenticate.");
            }
            AuthorizationCodes.Request r = waiting.get();
            String salt = UUID.randomUUID().toString();
            String sessionState = sha256Hex(r.clientId() + " " + origin(r.redirectUri()) + " " + session + " " + salt) + "." + salt;
            AuthorizationCodes.Code code = codes.issue(session, user.get(), sessionState).orElse(null);
            if (code == null) {
                return sessionExpired();
            }
            StringBuilder back = new StringBuilder(r.redirectUri()).append(r.redirectUri().contains("?") ? '&' : '?')
                    .append("code=").append(enc(code.code()))
                    .append("&scope=").append(enc(String.join(" ", r.scopes())));
            if (r.state() != null) {
                back.append("&state=").append(enc(r.state()));
            }
            back.append("&session_state=").append(enc(sessionState));
            return Response.status(302).location(java.net.URI.create(back.toString())).header("Cache-Control", "no-store").build();
        }, JanssenResource::unavailable);
    }

    private Response loginForm(int status, String failure) {
        String action = JanssenPathPrefix.prefix(request) + "/jans-auth/login.htm";
        String html = """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>Login</title>
                <meta name="viewport" content="width=device-width, initial-scale=1"></head>
                <body>
                <form id="loginForm" name="loginForm" method="post" action="%s" enctype="application/x-www-form-urlencoded">
                <div class="sign-in-text">Sign in</div>
                %s
                <label for="loginForm:username">Username</label>
                <input id="loginForm:username" type="text" name="loginForm:username" autocomplete="off" placeholder="Email address"/>
                <label for="loginForm:password">Password</label>
                <input id="loginForm:password" type="password" name="loginForm:password" autocomplete="off" value="" placeholder="Password"/>
                <input type="checkbox" value="rememberme" id="rememberme" name="rememberme"/><label for="rememberme">Remember Me</label>
                <input id="loginForm:loginButton" type="submit" name="loginForm:loginButton" value="Login"/>
                </form>
                </body></html>
                """.formatted(action, failure == null ? "" : "<p id=\"loginForm:messages\" role=\"alert\">" + failure + "</p>");
        return Response.status(status).type(MediaType.TEXT_HTML).entity(html).header("Cache-Control", "no-store").build();
    }

    private static Response sessionExpired() {
        return Response.status(400).type(MediaType.TEXT_HTML)
                .entity("<!DOCTYPE html><html><head><title>Error</title></head><body><h2>Session expired</h2>"
                        + "<p>The authorization request is unknown or expired: start signing in again.</p></body></html>")
                .build();
    }

    private static Response authorizeError(int status, String error, String description, String state) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("error_description", description);
        if (state != null) {
            body.put("state", state);
        }
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body).build();
    }

    private static Response backWithError(String redirectUri, String error, String description, String state) {
        String location = redirectUri + (redirectUri.contains("?") ? "&" : "?") + "error=" + enc(error)
                + "&error_description=" + enc(description) + (state == null ? "" : "&state=" + enc(state));
        return Response.status(302).location(java.net.URI.create(location)).build();
    }

    private static String enc(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String origin(String uri) {
        java.net.URI u = java.net.URI.create(uri);
        return u.getScheme() + "://" + u.getRawAuthority();
    }

    private static String sha256Hex(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
