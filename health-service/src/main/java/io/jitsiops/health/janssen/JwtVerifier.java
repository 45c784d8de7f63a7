package io.jitsiops.health.janssen;

import java.time.Instant;
import java.util.List;

import org.jose4j.jwa.AlgorithmConstraints.ConstraintType;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.VerificationJwkSelector;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.ErrorCodeValidator;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;

/**
 * Verifies compact JWS tokens with jose4j the way a relying party must. Issuer-signed tokens: the key is chosen
 * from the JWKS by {@link VerificationJwkSelector} ({@code kid}, key type and {@code alg}, {@code use=sig}); a
 * token without {@code kid} is accepted only when exactly one key fits; the algorithm must be the key's own
 * {@code alg} (or, for a key without one, an asymmetric algorithm of its type and curve), so {@code none} and
 * HMAC with a public key's bytes (algorithm confusion) never verify. jose4j also refuses unknown {@code crit}
 * headers and ECDSA signatures of the wrong length. Then {@code iss}, {@code aud}, {@code exp} and {@code nbf}
 * with 30 s of clock skew. Every refusal says which rule broke.
 */
public final class JwtVerifier {
    static final int CLOCK_SKEW_SECONDS = 30;
    private static final String[] RSA_ALGS = { AlgorithmIdentifiers.RSA_USING_SHA256, AlgorithmIdentifiers.RSA_USING_SHA384,
            AlgorithmIdentifiers.RSA_USING_SHA512, AlgorithmIdentifiers.RSA_PSS_USING_SHA256,
            AlgorithmIdentifiers.RSA_PSS_USING_SHA384, AlgorithmIdentifiers.RSA_PSS_USING_SHA512 };
    private static final String[] HMAC_ALGS = { AlgorithmIdentifiers.HMAC_SHA256, AlgorithmIdentifiers.HMAC_SHA384,
            AlgorithmIdentifiers.HMAC_SHA512 };

    /** A verified token: its claims and the header fields that chose the key. */
    public record Verified(JwtClaims claims, String kid, String alg) {
    }

    public static final class InvalidTokenException extends Exception {
        public InvalidTokenException(String message) {
            super(message, null, false, false);
        }
    }

    private JwtVerifier() {
    }

    /** The signature header of a compact JWS, not yet verified. */
    public static JsonWebSignature header(String token) throws InvalidTokenException {
        try {
            if (JsonWebStructure.fromCompactSerialization(token) instanceof JsonWebSignature jws) {
                return jws;
            }
            throw new InvalidTokenException("an encrypted token (JWE), not a signed one");
        } catch (JoseException | RuntimeException e) {
            throw new InvalidTokenException("not a signed JWT: " + e.getMessage());
        }
    }

    /** True when the token has the shape of a compact JWS (three parts, a JSON header naming {@code alg}). */
    public static boolean isJws(String token) {
        if (token == null || token.chars().filter(c -> c == '.').count() != 2) {
            return false;
        }
        try {
            return header(token).getAlgorithmHeaderValue() != null;
        } catch (InvalidTokenException e) {
            return false;
        }
    }

    /**
     * An issuer-signed token.
     *
     * @param issuer   the expected {@code iss} (a trailing slash is tolerated either way)
     * @param audience the audience {@code aud} must contain, or null to not check it
     */
    public static Verified verify(String token, JanssenKeys keys, String issuer, String audience, Instant now)
            throws InvalidTokenException {
        JsonWebSignature jws = header(token);
        String alg = jws.getAlgorithmHeaderValue();
        String kid = jws.getKeyIdHeaderValue();
        if (alg == null || AlgorithmIdentifiers.NONE.equals(alg)) {
            throw new InvalidTokenException("unsigned token (alg " + alg + ")");
        }
        if (alg.startsWith("HS")) {
            throw new InvalidTokenException(alg + " is a shared-secret algorithm; the issuer's public keys never verify it");
        }
        JsonWebKey key = select(jws, keys, kid, alg);
        JwtConsumerBuilder b = new JwtConsumerBuilder()
                .setVerificationKey(key.getKey())
                .setJwsAlgorithmConstraints(ConstraintType.PERMIT, allowedFor(key))
                .setRequireExpirationTime()
                .setAllowedClockSkewInSeconds(CLOCK_SKEW_SECONDS)
                .setEvaluationTime(NumericDate.fromMilliseconds(now.toEpochMilli()));
        if (issuer != null) {
            String bare = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
            b.setExpectedIssuers(true, bare, bare + "/");
        }
        if (audience != null && !audience.isBlank()) {
            b.setExpectedAudience(audience);
        } else {
            b.setSkipDefaultAudienceValidation();
        }
        return new Verified(consume(b, token, issuer, audience, "key kid=" + key.getKeyId()), key.getKeyId(), alg);
    }

    /**
     * A token signed with a shared secret (HS256/384/512), as jitsi-meet's {@code app_secret} signs room tokens.
     * The audience and issuer are the probe's business; exp is required. Secrets shorter than the algorithm's
     * size are accepted (prosody's token plugin accepts them too) but never another algorithm family.
     */
    public static Verified verifyWithSecret(String token, byte[] secret, Instant now) throws InvalidTokenException {
        JsonWebSignature jws = header(token);
        String alg = jws.getAlgorithmHeaderValue();
        if (alg == null || !alg.startsWith("HS")) {
            throw new InvalidTokenException("alg " + alg + " is not a shared-secret algorithm");
        }
        JwtConsumerBuilder b = new JwtConsumerBuilder()
                .setVerificationKey(new HmacKey(secret))
                .setRelaxVerificationKeyValidation()
                .setJwsAlgorithmConstraints(ConstraintType.PERMIT, HMAC_ALGS)
                .setRequireExpirationTime()
                .setSkipDefaultAudienceValidation()
                .setAllowedClockSkewInSeconds(CLOCK_SKEW_SECONDS)
                .setEvaluationTime(NumericDate.fromMilliseconds(now.toEpochMilli()));
        return new Verified(consume(b, token, null, null, "the shared secret"), jws.getKeyIdHeaderValue(), alg);
    }

    private static JsonWebKey select(JsonWebSignature jws, JanssenKeys keys, String kid, String alg) throws InvalidTokenException {
        List<JsonWebKey> candidates;
        try {
            candidates = new VerificationJwkSelector().selectList(jws, keys.signingKeys());
        } catch (JoseException e) {
            throw new InvalidTokenException("no JWKS key fits: " + e.getMessage());
        }
        // The selector matches the key type; a key that states its alg only verifies that alg.
        candidates = candidates.stream().filter(k -> java.util.Arrays.asList(allowedFor(k)).contains(alg)).toList();
        if (kid != null) {
            if (candidates.isEmpty()) {
                throw new InvalidTokenException(keys.hasKid(kid)
                        ? "JWKS key kid=" + kid + " does not sign " + alg + " tokens"
                        : "signing key kid=" + kid + " is not in the JWKS");
            }
            return candidates.get(0);
        }
        if (candidates.size() != 1) {
            throw new InvalidTokenException("token has no kid and " + candidates.size() + " JWKS keys fit alg " + alg);
        }
        return candidates.get(0);
    }

    /** The algorithms a key may verify: its own {@code alg}, or the asymmetric ones of its type (and curve). */
    static String[] allowedFor(JsonWebKey key) {
        if (key.getAlgorithm() != null) {
            return new String[] { key.getAlgorithm() };
        }
        if (key instanceof RsaJsonWebKey) {
            return RSA_ALGS;
        }
        if (key instanceof EllipticCurveJsonWebKey ec) {
            return switch (String.valueOf(ec.getCurveName())) {
                case "P-256" -> new String[] { AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256 };
                case "P-384" -> new String[] { AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384 };
                case "P-521" -> new String[] { AlgorithmIdentifiers.ECDSA_USING_P521_CURVE_AND_SHA512 };
                default -> new String[0];
            };
        }
        return new String[0];
    }

    private static JwtClaims consume(JwtConsumerBuilder builder, String token, String issuer, String audience, String keyName)
            throws InvalidTokenException {
        try {
            return builder.build().processToClaims(token);
        } catch (InvalidJwtException e) {
            throw new InvalidTokenException(describe(e, issuer, audience, keyName));
        }
    }

    private static String describe(InvalidJwtException e, String issuer, String audience, String keyName) {
        JwtClaims claims = e.getJwtContext() == null ? null : e.getJwtContext().getJwtClaims();
        try {
            if (e.hasErrorCode(ErrorCodes.SIGNATURE_INVALID)) {
                return "signature does not verify with " + keyName;
            }
            if (e.hasErrorCode(ErrorCodes.EXPIRATION_MISSING)) {
                return "no exp claim";
            }
            if (e.hasExpired() && claims != null) {
                return "token expired at " + Instant.ofEpochSecond(claims.getExpirationTime().getValue());
            }
            if (e.hasErrorCode(ErrorCodes.NOT_YET_VALID) && claims != null) {
                return "token not valid before " + Instant.ofEpochSecond(claims.getNotBefore().getValue());
            }
            if ((e.hasErrorCode(ErrorCodes.ISSUER_INVALID) || e.hasErrorCode(ErrorCodes.ISSUER_MISSING)) && claims != null) {
                return "iss '" + claims.getIssuer() + "' is not the issuer '" + issuer + "'";
            }
            if ((e.hasErrorCode(ErrorCodes.AUDIENCE_INVALID) || e.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) && claims != null) {
                return "aud " + (claims.hasAudience() ? claims.getAudience() : "(none)") + " does not contain '" + audience + "'";
            }
        } catch (MalformedClaimException malformed) {
            return "malformed claim: " + malformed.getMessage();
        }
        List<ErrorCodeValidator.Error> details = e.getErrorDetails();
        String reason = details.isEmpty() ? e.getOriginalMessage() : details.get(0).getErrorMessage();
        if (e.getCause() != null && e.getCause().getMessage() != null) {
            reason = e.getCause().getMessage();
        }
        return reason.length() > 300 ? reason.substring(0, 300) + "…" : reason;
    }
}
