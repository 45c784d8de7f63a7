package io.jitsiops.health.janssen;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Verifies a compact JWS (RFC 7515/7519) the way a relying party must: the signature with the JWKS key named
 * by {@code kid} and the algorithm the header names (RS*, PS*, ES*; never "none"), then {@code iss},
 * {@code aud} and the time claims. Every failure says which rule broke.
 */
public final class JwtVerifier {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SKEW = Duration.ofSeconds(30);

    public record Jwt(JsonNode header, JsonNode claims, String kid, String alg) {
    }

    public static final class InvalidTokenException extends Exception {
        public InvalidTokenException(String message) {
            super(message);
        }
    }

    private JwtVerifier() {
    }

    public static Jwt parse(String token) throws InvalidTokenException {
        String[] parts = token == null ? new String[0] : token.split("\\.");
        if (parts.length != 3) {
            throw new InvalidTokenException("not a signed JWT (expected 3 dot-separated parts, got " + parts.length + ")");
        }
        try {
            JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            return new Jwt(header, claims, header.path("kid").asText(null), header.path("alg").asText(null));
        } catch (Exception e) {
            throw new InvalidTokenException("JWT header or claims are not base64url JSON");
        }
    }

    /** Checks the signature against the key with the token's kid; returns the parsed token. */
    public static Jwt verifySignature(String token, JsonWebKeys keys) throws InvalidTokenException {
        Jwt jwt = parse(token);
        if (jwt.alg() == null || "none".equalsIgnoreCase(jwt.alg())) {
            throw new InvalidTokenException("unsigned token (alg " + jwt.alg() + ")");
        }
        JsonWebKeys.Key key = keys.byKid(jwt.kid()).orElseThrow(() -> new InvalidTokenException(
                "signing key kid=" + jwt.kid() + " is not in the JWKS"));
        String[] parts = token.split("\\.");
        byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
        try {
            Signature verifier = signature(jwt.alg());
            verifier.initVerify(key.publicKey());
            verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            byte[] sig = jwt.alg().startsWith("ES") ? joseToDer(signature) : signature;
            if (!verifier.verify(sig)) {
                throw new InvalidTokenException("signature does not verify with key kid=" + jwt.kid() + " (" + jwt.alg() + ")");
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new InvalidTokenException("signature does not verify with key kid=" + jwt.kid() + ": " + e.getMessage());
        }
        return jwt;
    }

    /** {@code iss} equal to the issuer, {@code aud} containing the audience (when one is expected), not expired. */
    public static void verifyClaims(Jwt jwt, String issuer, String audience, Instant now) throws InvalidTokenException {
        JsonNode c = jwt.claims();
        String iss = c.path("iss").asText(null);
        if (issuer != null && !trimSlash(issuer).equals(trimSlash(iss))) {
            throw new InvalidTokenException("iss '" + iss + "' is not the issuer '" + issuer + "'");
        }
        if (audience != null && !audience.isBlank()) {
            JsonNode aud = c.path("aud");
            boolean ok = aud.isArray() ? contains(aud, audience) : audience.equals(aud.asText(null));
            if (!ok) {
                throw new InvalidTokenException("aud " + aud + " does not contain '" + audience + "'");
            }
        }
        if (!c.hasNonNull("exp")) {
            throw new InvalidTokenException("no exp claim");
        }
        Instant exp = Instant.ofEpochSecond(c.get("exp").asLong());
        if (exp.plus(SKEW).isBefore(now)) {
            throw new InvalidTokenException("token expired at " + exp);
        }
        if (c.hasNonNull("nbf") && Instant.ofEpochSecond(c.get("nbf").asLong()).minus(SKEW).isAfter(now)) {
            throw new InvalidTokenException("token not valid before " + Instant.ofEpochSecond(c.get("nbf").asLong()));
        }
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode n : array) {
            if (value.equals(n.asText())) {
                return true;
            }
        }
        return false;
    }

    private static String trimSlash(String s) {
        return s == null ? null : s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static Signature signature(String alg) throws GeneralSecurityException {
        return switch (alg) {
            case "RS256" -> Signature.getInstance("SHA256withRSA");
            case "RS384" -> Signature.getInstance("SHA384withRSA");
            case "RS512" -> Signature.getInstance("SHA512withRSA");
            case "PS256" -> pss("SHA-256", 32);
            case "PS384" -> pss("SHA-384", 48);
            case "PS512" -> pss("SHA-512", 64);
            case "ES256" -> Signature.getInstance("SHA256withECDSA");
            case "ES384" -> Signature.getInstance("SHA384withECDSA");
            case "ES512" -> Signature.getInstance("SHA512withECDSA");
            default -> throw new GeneralSecurityException("unsupported alg " + alg);
        };
    }

    private static Signature pss(String digest, int saltLength) throws GeneralSecurityException {
        Signature s = Signature.getInstance("RSASSA-PSS");
        s.setParameter(new java.security.spec.PSSParameterSpec(digest, "MGF1",
                new java.security.spec.MGF1ParameterSpec(digest), saltLength, 1));
        return s;
    }

    /** JWS ECDSA signatures are R||S; the JDK verifies DER. */
    private static byte[] joseToDer(byte[] jose) {
        int half = jose.length / 2;
        byte[] r = new BigInteger(1, java.util.Arrays.copyOfRange(jose, 0, half)).toByteArray();
        byte[] s = new BigInteger(1, java.util.Arrays.copyOfRange(jose, half, jose.length)).toByteArray();
        java.io.ByteArrayOutputStream seq = new java.io.ByteArrayOutputStream();
        derInteger(seq, r);
        derInteger(seq, s);
        byte[] body = seq.toByteArray();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(0x30);
        derLength(out, body.length);
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static void derInteger(java.io.ByteArrayOutputStream out, byte[] value) {
        out.write(0x02);
        derLength(out, value.length);
        out.writeBytes(value);
    }

    private static void derLength(java.io.ByteArrayOutputStream out, int length) {
        if (length < 128) {
            out.write(length);
        } else {
            out.write(0x81);
            out.write(length);
        }
    }
}
