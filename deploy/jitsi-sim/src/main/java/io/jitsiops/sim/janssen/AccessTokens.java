package io.jitsiops.sim.janssen;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Grants of issued access tokens, as jans-auth keeps them: introspection and SCIM's bearer check look tokens up
 * here, JWT and opaque alike. An opaque token is a random UUID, as Janssen's are. Expired grants are dropped.
 */
@ApplicationScoped
public class AccessTokens {
    /** A token's grant: who it was issued to, with which scopes, for how long. */
    public record Grant(String token, String clientId, Set<String> scopes, String issuer, long issuedAt, long expiresAt) {
        public boolean active(long now) {
            return expiresAt > now;
        }
    }

    private final Map<String, Grant> grants = new ConcurrentHashMap<>();

    public String opaqueToken() {
        return UUID.randomUUID().toString();
    }

    public Grant remember(String token, String clientId, Set<String> scopes, String issuer, long issuedAt, long expiresAt) {
        long now = Instant.now().getEpochSecond();
        grants.values().removeIf(g -> g.expiresAt() < now - 60);
        Grant grant = new Grant(token, clientId, Set.copyOf(scopes), issuer, issuedAt, expiresAt);
        grants.put(token, grant);
        return grant;
    }

    public Optional<Grant> find(String token) {
        return token == null ? Optional.empty() : Optional.ofNullable(grants.get(token));
    }

    /** The scopes of an active bearer token named in an Authorization header, or empty. */
    public Optional<Grant> bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        long now = Instant.now().getEpochSecond();
        return find(authorization.substring(7).trim()).filter(g -> g.active(now));
    }

    public static List<String> sorted(Set<String> scopes) {
        return scopes.stream().sorted().toList();
    }
}
