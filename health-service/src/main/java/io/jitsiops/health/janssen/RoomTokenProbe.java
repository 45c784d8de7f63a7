package io.jitsiops.health.janssen;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

import io.jitsiops.health.config.Secrets;
import io.jitsiops.health.probe.AbstractProbe;
import io.jitsiops.health.probe.CheckKey;
import io.jitsiops.health.probe.ProbeOutcome;
import io.jitsiops.health.probe.ProbeSettings;
import io.smallrye.mutiny.Uni;

/**
 * A Jitsi room token (prosody's token authentication) carries {@code iss}, {@code aud}, {@code sub} (the
 * XMPP domain or tenant), {@code room} and usually a {@code context} with the user. When a sample token is
 * configured, its claims are checked, and its signature too when it names a key the Janssen JWKS holds
 * (HS256 tokens use the app secret, which this service does not have).
 */
public final class RoomTokenProbe extends AbstractProbe {
    private final JanssenClient janssen;
    private final String tokenEnv;
    private final Supplier<Optional<String>> token;

    public RoomTokenProbe(CheckKey key, ProbeSettings settings, JanssenClient janssen, String tokenEnv) {
        this(key, settings, janssen, tokenEnv, () -> Secrets.byName(tokenEnv));
    }

    /** @param token where the sample token comes from (the environment variable {@code tokenEnv}, normally) */
    public RoomTokenProbe(CheckKey key, ProbeSettings settings, JanssenClient janssen, String tokenEnv,
                          Supplier<Optional<String>> token) {
        super(key, settings);
        this.janssen = janssen;
        this.tokenEnv = tokenEnv;
        this.token = token;
    }

    @Override
    public Uni<ProbeOutcome> run() {
        String token = this.token.get().orElse(null);
        if (token == null) {
            return Uni.createFrom().item(ProbeOutcome.down(null, "room token missing: set " + tokenEnv));
        }
        JwtVerifier.Jwt jwt;
        try {
            jwt = JwtVerifier.parse(token);
        } catch (JwtVerifier.InvalidTokenException e) {
            return Uni.createFrom().item(ProbeOutcome.down(null, "room token: " + e.getMessage()));
        }
        long started = System.nanoTime();
        if (jwt.alg() != null && jwt.alg().startsWith("HS")) {
            return Uni.createFrom().item(claims(jwt, started, jwt.alg()));
        }
        return janssen.fetchJwks(settings.timeout()).map(keys -> {
            try {
                JwtVerifier.verifySignature(token, keys);
            } catch (JwtVerifier.InvalidTokenException e) {
                return ProbeOutcome.down(elapsedMs(started), "room token: " + e.getMessage());
            }
            return claims(jwt, started, null);
        });
    }

    private static ProbeOutcome claims(JwtVerifier.Jwt jwt, long started, String uncheckedAlg) {
        long latency = elapsedMs(started);
        JsonNode c = jwt.claims();
        List<String> missing = new ArrayList<>();
        for (String claim : new String[] { "iss", "aud", "sub", "room" }) {
            if (!c.hasNonNull(claim)) {
                missing.add(claim);
            }
        }
        if (!missing.isEmpty()) {
            return ProbeOutcome.down(latency, "room token lacks " + String.join(", ", missing));
        }
        if (c.has("context") && !c.get("context").isObject()) {
            return ProbeOutcome.down(latency, "room token 'context' is not an object");
        }
        Map<String, Double> m = new HashMap<>();
        if (c.hasNonNull("exp")) {
            Instant exp = Instant.ofEpochSecond(c.get("exp").asLong());
            double days = Duration.between(Instant.now(), exp).toMinutes() / 1440.0;
            m.put("room_token.days_to_expiry", Math.floor(days * 10) / 10);
            if (days < 0) {
                return ProbeOutcome.down(latency, "room token expired at " + exp, m);
            }
            if (days < 1) {
                return ProbeOutcome.degraded(latency, "room token expires at " + exp, m);
            }
        }
        // An HS256 token is signed with the app secret, which this service does not hold: say so, do not fail.
        m.put("room_token.signature_checked", uncheckedAlg == null ? 1.0 : 0.0);
        return ProbeOutcome.up(latency, m);
    }
}
