package io.jitsiops.health.conference;

import java.util.Map;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;

/**
 * Mints the JWT room token the probe logs in with when the deployment uses token authentication, as a Jitsi
 * token issuer does for jitsi-meet (prosody mod_auth_token / luajwtjitsi, jitsi-meet {@code doc/tokens.md}): HS256
 * with the shared {@code app_secret}; {@code iss} the {@code app_id}, {@code aud}, {@code sub} the XMPP domain,
 * {@code room} the probe's room, a short {@code exp}, and a {@code context.user} naming the probe. jose4j, the JOSE
 * library the Janssen checks already use.
 */
final class RoomTokens {
    /** Long enough for one run; a token that leaks is useless minutes later and only for a probe room. */
    static final int LIFETIME_SECONDS = 300;

    private RoomTokens() {
    }

    static String mint(String appId, String appSecret, String audience, String domain, String room) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(appId);
        claims.setAudience(audience);
        claims.setSubject(domain);
        claims.setIssuedAtToNow();
        claims.setNotBeforeMinutesInThePast(1);
        claims.setExpirationTimeMinutesInTheFuture(LIFETIME_SECONDS / 60f);
        claims.setClaim("room", room);
        claims.setClaim("context", Map.of("user", Map.of("id", "jitsi-ops-probe", "name", "jitsi-ops probe")));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        jws.setHeader("typ", "JWT");
        // jose4j refuses HMAC keys shorter than the hash; app secrets of Jitsi installs can be shorter
        jws.setDoKeyValidation(false);
        jws.setKey(new HmacKey(appSecret.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("cannot sign the probe's room token: " + e.getMessage(), e);
        }
    }
}
