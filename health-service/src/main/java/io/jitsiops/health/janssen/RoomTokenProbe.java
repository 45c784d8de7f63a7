package io.jitsiops.health.janssen;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import io.jitsiops.health.config.Secrets;
import io.jitsiops.health.probe.AbstractProbe;
import io.jitsiops.health.probe.CheckKey;
import io.jitsiops.health.probe.ProbeOutcome;
import io.jitsiops.health.probe.ProbeSettings;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * A Jitsi room token (prosody's token authentication) carries {@code iss}, {@code aud}, {@code sub} (the
 * XMPP domain or tenant), {@code room} and usually a {@code context} with the user. When a sample token is
 * configured, its signature is verified (RS/PS/ES: against the Janssen JWKS; HS: with jitsi-meet's
 * {@code app_secret}, configured by variable name) before its exp and claims are read. A token that cannot be
 * verified is never reported UP.
 */
public final class RoomTokenProbe extends AbstractProbe {
    private final JanssenClient janssen;
    private final String tokenEnv;
    private final Supplier<Optional<String>> token;
    private final String secretEnv;
    private final Supplier<Optional<String>> secret;

    public RoomTokenProbe(CheckKey key, ProbeSettings settings, JanssenClient janssen, String tokenEnv) {
        this(key, settings, janssen, tokenEnv, () -> Secrets.byName(tokenEnv), janssen.config().roomTokenSecretEnv(),
                () -> Secrets.byName(janssen.config().roomTokenSecretEnv()));
    }

    /**
     * @param token     where the sample token comes from (the variable {@code tokenEnv}, normally)
     * @param secretEnv the variable holding jitsi-meet's app_secret, or null when none is configured
     * @param secret    where the app secret comes from (the variable {@code secretEnv}, normally)
     */
    public RoomTokenProbe(CheckKey key, ProbeSettings settings, JanssenClient janssen, String tokenEnv,
                          Supplier<Optional<String>> token, String secretEnv, Supplier<Optional<String>> secret) {
        super(key, settings);
        this.janssen = janssen;
        this.tokenEnv = tokenEnv;
        this.token = token;
        this.secretEnv = secretEnv;
        this.secret = secret;
    }

    @Override
    public Uni<ProbeOutcome> run() {
        // Both may be mounted files: read them off the event loop.
        return Uni.createFrom().item(() -> this.token.get().orElse(null))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .flatMap(this::check);
    }

    private Uni<ProbeOutcome> check(String token) {
        if (token == null) {
            return Uni.createFrom().item(ProbeOutcome.down(null, "room token missing: " + Secrets.howToSet(tokenEnv)));
        }
        String alg;
        try {
            alg = JwtVerifier.header(token).getAlgorithmHeaderValue();
        } catch (JwtVerifier.InvalidTokenException e) {
            return Uni.createFrom().item(ProbeOutcome.down(null, "room token: " + e.getMessage()));
        }
        long started = System.nanoTime();
        if (alg != null && alg.startsWith("HS")) {
            return Uni.createFrom().item(() -> hmac(token, alg, started)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        }
        return janssen.fetchJwks(settings.timeout()).map(keys -> {
            try {
                // Room tokens are issued by the Jitsi side (iss is the app id), so only the signature and exp are
                // the JWKS's business here; the Jitsi claims are checked below.
                return claims(JwtVerifier.verify(token, keys, null, null, Instant.now()), started);
            } catch (JwtVerifier.InvalidTokenException e) {
                return ProbeOutcome.down(elapsedMs(started), refusal(e));
            }
        });
    }

    /** An HS token is signed with jitsi-meet's app_secret: without it the token cannot be checked, so not UP. */
    private ProbeOutcome hmac(String token, String alg, long started) {
        if (secretEnv == null) {
            return ProbeOutcome.down(elapsedMs(started), "room token is " + alg
                    + " (signed with jitsi-meet's app_secret): set janssen.roomTokenSecretEnv to check it");
        }
        Optional<String> appSecret = secret.get();
        if (appSecret.isEmpty()) {
            return ProbeOutcome.down(elapsedMs(started), "room token app secret missing: " + Secrets.howToSet(secretEnv));
        }
        try {
            return claims(JwtVerifier.verifyWithSecret(token, appSecret.get().getBytes(StandardCharsets.UTF_8), Instant.now()), started);
        } catch (JwtVerifier.InvalidTokenException e) {
            return ProbeOutcome.down(elapsedMs(started), refusal(e));
        }
    }

    static String refusal(JwtVerifier.InvalidTokenException e) {
        String m = e.getMessage();
        return m.startsWith("token ") ? "room token " + m.substring(6) : "room token: " + m;
    }

    /** The claims prosody's token authentication reads, on a token whose signature and exp were verified. */
    private static ProbeOutcome claims(JwtVerifier.Verified jwt, long started) {
        long latency = elapsedMs(started);
        Map<String, Object> c = jwt.claims().getClaimsMap();
        List<String> missing = new ArrayList<>();
        for (String claim : new String[] { "iss", "aud", "sub", "room" }) {
            if (c.get(claim) == null) {
                missing.add(claim);
            }
        }
        if (!missing.isEmpty()) {
            return ProbeOutcome.down(latency, "room token lacks " + String.join(", ", missing));
        }
        if (c.containsKey("context") && !(c.get("context") instanceof Map)) {
            return ProbeOutcome.down(latency, "room token 'context' is not an object");
        }
        Map<String, Double> m = new HashMap<>();
        Object expClaim = c.get("exp");
        if (expClaim instanceof Number n) {
            Instant exp = Instant.ofEpochSecond(n.longValue());
            double days = Duration.between(Instant.now(), exp).toMinutes() / 1440.0;
            m.put("room_token.days_to_expiry", Math.floor(days * 10) / 10);
            if (days < 1) {
                return ProbeOutcome.degraded(latency, "room token expires at " + exp, m);
            }
        }
        m.put("room_token.signature_checked", 1.0);
        return ProbeOutcome.up(latency, m);
    }
}
