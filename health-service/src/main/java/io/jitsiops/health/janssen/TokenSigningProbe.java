package io.jitsiops.health.janssen;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import org.jose4j.jwt.MalformedClaimException;

import io.jitsiops.health.config.HealthConfig;
import io.jitsiops.health.probe.CheckKey;
import io.jitsiops.health.probe.HttpOutcomes;
import io.jitsiops.health.probe.ProbeFailure;
import io.jitsiops.health.probe.ProbeOutcome;
import io.jitsiops.health.probe.ProbeSettings;
import io.smallrye.mutiny.Uni;

/**
 * Token issuance end to end: obtain a token (client_credentials). A JWT access token is verified against the
 * JWKS (fetched again when the kid is new: a rotation), then iss, aud and exp; a rotation is normal and reported
 * as a measurement ({@code jwt.key_rotated}). An opaque token (Janssen's default, {@code access_token_as_jwt:
 * false}) is checked through the introspection endpoint discovery names (RFC 7662): active, not expired, ours.
 * A token that does not verify is DOWN, since the services that accept it would refuse it too.
 */
public final class TokenSigningProbe extends JanssenProbe {
    private static final Logger LOG = Logger.getLogger(TokenSigningProbe.class);
    private volatile JanssenKeys jwks;
    private volatile String lastKid;

    public TokenSigningProbe(CheckKey key, ProbeSettings settings, JanssenClient janssen, HealthConfig config) {
        super(key, settings, janssen, config);
    }

    @Override
    public Uni<ProbeOutcome> run() {
        long started = System.nanoTime();
        return janssen.clientCredentialsToken(null, settings.timeout())
                .flatMap(token -> JwtVerifier.isJws(token)
                        ? keysFor(token).map(keys -> verify(token, keys, started))
                        : janssen.introspect(token, settings.timeout()).map(answer -> introspected(answer, started)));
    }

    private ProbeOutcome introspected(JsonNode answer, long started) {
        long latency = elapsedMs(started);
        Map<String, Double> m = new HashMap<>();
        m.put("token.opaque", 1.0);
        if (!answer.path("active").asBoolean(false)) {
            return ProbeOutcome.down(latency, "introspection says the issued token is not active", m);
        }
        long now = Instant.now().getEpochSecond();
        if (answer.hasNonNull("exp") && answer.get("exp").asLong() + JwtVerifier.CLOCK_SKEW_SECONDS < now) {
            return ProbeOutcome.down(latency, "introspected token expired at " + Instant.ofEpochSecond(answer.get("exp").asLong()), m);
        }
        String iss = answer.path("iss").asText(null);
        if (iss != null && !janssen.issuer().equals(iss.endsWith("/") ? iss.substring(0, iss.length() - 1) : iss)) {
            return ProbeOutcome.down(latency, "introspected token's iss '" + iss + "' is not the issuer '" + janssen.issuer() + "'", m);
        }
        String clientId = answer.path("client_id").asText(null);
        if (clientId != null && !clientId.equals(janssen.config().clientId())) {
            return ProbeOutcome.down(latency, "introspected token belongs to client '" + clientId + "', not '"
                    + janssen.config().clientId() + "'", m);
        }
        if (answer.hasNonNull("exp") && answer.hasNonNull("iat")) {
            m.put("jwt.lifetime_seconds", (double) (answer.get("exp").asLong() - answer.get("iat").asLong()));
        }
        return HttpOutcomes.degradedIfSlowOrExpiring(latency, m, config);
    }

    private Uni<JanssenKeys> keysFor(String token) {
        String kid;
        try {
            kid = JwtVerifier.header(token).getKeyIdHeaderValue();
        } catch (JwtVerifier.InvalidTokenException e) {
            return Uni.createFrom().failure(new ProbeFailure("issued token: " + e.getMessage()));
        }
        JanssenKeys known = jwks;
        if (known != null && known.hasKid(kid)) {
            return Uni.createFrom().item(known);
        }
        return janssen.fetchJwks(settings.timeout()).invoke(k -> jwks = k);
    }

    private ProbeOutcome verify(String token, JanssenKeys keys, long started) {
        long latency = elapsedMs(started);
        Map<String, Double> m = new HashMap<>();
        JwtVerifier.Verified jwt;
        try {
            jwt = JwtVerifier.verify(token, keys, janssen.issuer(), janssen.config().audience(), Instant.now());
        } catch (JwtVerifier.InvalidTokenException e) {
            return ProbeOutcome.down(latency, "issued token does not verify: " + e.getMessage(), m);
        }
        boolean rotated = lastKid != null && !lastKid.equals(jwt.kid());
        if (rotated) {
            LOG.infof("Janssen signing key rotated: kid %s -> %s", lastKid, jwt.kid());
        }
        lastKid = jwt.kid();
        m.put("jwt.key_rotated", rotated ? 1.0 : 0.0);
        m.put("token.opaque", 0.0);
        try {
            if (jwt.claims().getExpirationTime() != null && jwt.claims().getIssuedAt() != null) {
                m.put("jwt.lifetime_seconds", (double) (jwt.claims().getExpirationTime().getValue()
                        - jwt.claims().getIssuedAt().getValue()));
            }
        } catch (MalformedClaimException e) {
            return ProbeOutcome.down(latency, "issued token: malformed claim: " + e.getMessage(), m);
        }
        return HttpOutcomes.degradedIfSlowOrExpiring(latency, m, config);
    }
}
