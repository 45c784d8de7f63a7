package io.jitsiops.sim.janssen;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The simulated Janssen's RS256 signing key: a real 2048-bit RSA key, published in the JWKS the way
 * jans-auth publishes keys (kid, kty, use, alg, n, e, and {@code exp} in epoch milliseconds).
 * Faults: {@link #rotate()} (new kid everywhere), {@link #expire()} (the published key's exp is past and
 * issued tokens are already expired), {@link #unpublish()} (tokens are signed with a key the JWKS lacks).
 */
@ApplicationScoped
public class SigningKeys {
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private final ObjectMapper json = new ObjectMapper();
    private volatile KeyPair keyPair;
    private volatile String kid;
    private volatile Instant keyExpiry;
    private volatile boolean expired;
    private volatile boolean published = true;

    public SigningKeys() {
        rotate();
    }

    public synchronized void rotate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            keyPair = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        kid = UUID.randomUUID() + "_sig_rs256";
        keyExpiry = Instant.now().plus(Duration.ofDays(2));
        expired = false;
        published = true;
    }

    public synchronized void expire() {
        expired = true;
        keyExpiry = Instant.now().minus(Duration.ofHours(1));
    }

    public synchronized void unpublish() {
        published = false;
    }

    public String kid() {
        return kid;
    }

    public Map<String, Object> jwks() {
        if (!published) {
            return Map.of("keys", List.of());
        }
        RSAPublicKey pub = (RSAPublicKey) keyPair.getPublic();
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("descr", "Signature Key: RSA RSASSA-PKCS1-v1_5 using SHA-256");
        key.put("kty", "RSA");
        key.put("e", B64URL.encodeToString(unsigned(pub.getPublicExponent())));
        key.put("use", "sig");
        key.put("kid", kid);
        key.put("x5c", List.of());
        key.put("name", "id_token RS256 Sign Key");
        key.put("exp", keyExpiry.toEpochMilli());
        key.put("alg", "RS256");
        key.put("n", B64URL.encodeToString(unsigned(pub.getModulus())));
        return Map.of("keys", List.of(key));
    }

    /** A signed access token (JWT) as jans-auth issues for client_credentials with a JWT access token type. */
    public String sign(Map<String, Object> claims) {
        try {
            Map<String, Object> header = new LinkedHashMap<>();
            header.put("kid", kid);
            header.put("typ", "JWT");
            header.put("alg", "RS256");
            Map<String, Object> body = new LinkedHashMap<>(claims);
            if (expired) {
                long now = Instant.now().getEpochSecond();
                body.put("iat", now - 7200);
                body.put("exp", now - 3600);
            }
            String signingInput = B64URL.encodeToString(json.writeValueAsBytes(header)) + "."
                    + B64URL.encodeToString(json.writeValueAsBytes(body));
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(keyPair.getPrivate());
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + B64URL.encodeToString(signature.sign());
        } catch (GeneralSecurityException | JsonProcessingException e) {
            throw new IllegalStateException("cannot sign token", e);
        }
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            byte[] trimmed = new byte[bytes.length - 1];
            System.arraycopy(bytes, 1, trimmed, 0, trimmed.length);
            return trimmed;
        }
        return bytes;
    }
}
