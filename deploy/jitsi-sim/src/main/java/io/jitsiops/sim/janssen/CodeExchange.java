package io.jitsiops.sim.janssen;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.jitsiops.sim.service.SimConfig;

/**
 * The authorization-code grant at jans-auth's token endpoint for the status page's public client (no secret:
 * {@code token_endpoint_auth_method=none}, PKCE required), following {@code TokenRestWebServiceImpl}: an unknown or
 * already used code is 400 {@code invalid_grant} "Unable to find grant object for given code.", a code of another
 * client "Client mismatch.", a verifier that does not hash to the challenge "PKCE check fails. Code challenge does
 * not match to request code verifier."; success is {@code access_token, id_token, token_type, expires_in} and {@code scope} only when the request named one.
 * Also the users who may sign in and the client's CORS origins (jans-auth's {@code CorsFilter} answers a browser
 * only for the client's authorized origins).
 */
@ApplicationScoped
public class CodeExchange {
    /** Janssen's default access token lifetime ({@code accessTokenLifetime}, 300 s), as its answers show it. */
    public static final int EXPIRES_IN = 299;
    /** Janssen's default id_token lifetime ({@code idTokenLifetime}). */
    private static final int ID_TOKEN_LIFETIME = 3600;
    private final SimConfig config;
    private final SigningKeys keys;
    private final AccessTokens tokens;
    private final AuthorizationCodes codes;

    public CodeExchange(SimConfig config, SigningKeys keys, AccessTokens tokens, AuthorizationCodes codes) {
        this.config = config;
        this.keys = keys;
        this.tokens = tokens;
        this.codes = codes;
    }

    public SimConfig.PublicClient client() {
        return config.janssen().statusPage();
    }

    public boolean isPublicClient(String clientId) {
        return client().clientId().equals(clientId);
    }

    public boolean registeredRedirect(String redirectUri) {
        return redirectUri != null && client().redirectUris().contains(redirectUri);
    }

    /** The user these credentials sign in, or empty; compared in constant time, never logged. */
    public Optional<String> authenticate(String user, String password) {
        if (user == null || password == null) {
            return Optional.empty();
        }
        SimConfig.User u = config.janssen().users().get(user);
        boolean ok = u != null && java.security.MessageDigest.isEqual(u.password().getBytes(StandardCharsets.UTF_8),
                password.getBytes(StandardCharsets.UTF_8));
        return ok ? Optional.of(user) : Optional.empty();
    }

    /** The client's authorized origins: configured, or those of its redirect URIs. */
    public Set<String> authorizedOrigins() {
        return client().authorizedOrigins().map(list -> (Set<String>) new LinkedHashSet<>(list)).orElseGet(() -> {
            Set<String> origins = new LinkedHashSet<>();
            for (String r : client().redirectUris()) {
                URI u = URI.create(r);
                origins.add(u.getScheme() + "://" + u.getRawAuthority());
            }
            return origins;
        });
    }

    /**
     * @param requestedScope the token request's own {@code scope} parameter: jans-auth's {@code processAuthorizationCode}
     *                       echoes it in the answer only when the request has one (a recorded real answer to a request
     *                       without it has no {@code scope}: recorded/janssen, jans docs authorization-challenge.md)
     */
    public Response exchange(String clientId, String code, String redirectUri, String codeVerifier, String requestedScope) {
        Optional<AuthorizationCodes.Code> found = codes.redeem(code);
        if (found.isEmpty()) {
            return error(400, "invalid_grant", "Unable to find grant object for given code.");
        }
        AuthorizationCodes.Code grant = found.get();
        if (!grant.request().clientId().equals(clientId)) {
            return error(400, "invalid_grant", "Client mismatch.");
        }
        if (redirectUri != null && !redirectUri.equals(grant.request().redirectUri())) {
            return error(400, "invalid_grant", "Failed to validate redirect uri.");
        }
        if (!AuthorizationCodes.s256Matches(codeVerifier, grant.request().codeChallenge())) {
            return error(400, "invalid_grant", "PKCE check fails. Code challenge does not match to request code verifier.");
        }
        String issuer = grant.request().issuer();
        String user = grant.user();
        List<String> roles = config.janssen().users().get(user).roles().orElse(List.of());
        String scope = String.join(" ", grant.request().scopes());
        long now = Instant.now().getEpochSecond();
        String subject = inum(user);

        Map<String, Object> access = new LinkedHashMap<>();
        access.put("iss", issuer);
        access.put("sub", subject);
        access.put("aud", client().accessTokenAudience());
        access.put("client_id", clientId);
        access.put("scope", scope);
        access.put("token_type", "Bearer");
        access.put("iat", now);
        access.put("nbf", now);
        access.put("exp", now + EXPIRES_IN);
        access.put("jti", UUID.randomUUID().toString());
        access.put("preferred_username", user);
        access.put("role", roles);
        String accessToken = keys.sign(access);
        long exp = keys.tokensExpired() ? now - 3600 : now + EXPIRES_IN;
        tokens.remember(accessToken, clientId, new LinkedHashSet<>(grant.request().scopes()), issuer,
                keys.tokensExpired() ? now - 7200 : now, exp);

        Map<String, Object> id = new LinkedHashMap<>();
        id.put("iss", issuer);
        id.put("aud", clientId);
        id.put("sub", subject);
        id.put("iat", now);
        id.put("exp", now + ID_TOKEN_LIFETIME);
        id.put("auth_time", now);
        if (grant.request().nonce() != null) {
            id.put("nonce", grant.request().nonce());
        }
        id.put("sid", grant.sessionState().substring(grant.sessionState().indexOf('.') + 1));
        id.put("preferred_username", user);
        id.put("role", roles);

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", accessToken);
        body.put("id_token", keys.sign(id));
        body.put("token_type", "Bearer");
        body.put("expires_in", EXPIRES_IN);
        if (requestedScope != null && !requestedScope.isBlank()) {
            body.put("scope", requestedScope);
        }
        return Response.ok(body).type(MediaType.APPLICATION_JSON).header("Cache-Control", "no-store").header("Pragma", "no-cache").build();
    }

    /** A stable subject per user, shaped like Janssen's inum (a UUID). */
    public static String inum(String user) {
        return UUID.nameUUIDFromBytes(("jitsi-sim-user:" + user).getBytes(StandardCharsets.UTF_8)).toString();
    }

    static Response error(int status, String error, String description) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("error_description", description);
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body).header("Cache-Control", "no-store").build();
    }
}
