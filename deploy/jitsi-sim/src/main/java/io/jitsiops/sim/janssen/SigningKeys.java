package io.jitsiops.sim.janssen;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The simulated Janssen's key set, published the way jans-auth's {@code /jwks} does: signing keys RS256/384/512,
 * ES256/384/512 and PS256/384/512 and encryption keys RSA1_5, RSA-OAEP and ECDH-ES ({@code use=enc}), each with
 * {@code name}, {@code descr}, {@code kid} ({@code <uuid>_sig_rs256}, {@code <uuid>_enc_rsa-oaep}…), {@code kty},
 * {@code use}, {@code alg}, {@code crv} (EC), {@code exp} (epoch ms, two days ahead), {@code x5c} (a self-signed
 * "Jans Auth CA Certificates" certificate, see {@link SelfSignedCertificates}) and the public parameters. Absent
 * members are left out rather than printed as null. ES256K is not offered: the JDK has no secp256k1 since 16.
 * Access tokens are signed RS256 (a client's default {@code access_token_signing_alg}).
 * Like jans-auth, the whole set is regenerated before it expires (here: within its last hour).
 * Faults: {@link #rotate()} (a new RS256 key and kid, same expiry; the other keys stay, so that a reset stays
 * quick), {@link #expire()} (every key's exp is published as past and issued tokens are already expired),
 * {@link #unpublish()} (tokens are signed with a key the JWKS no longer lists; the other keys stay listed).
 */
@ApplicationScoped
public class SigningKeys {
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Duration LIFETIME = Duration.ofDays(2);
    private final ObjectMapper json = new ObjectMapper();
    private final List<PublishedKey> others = new ArrayList<>();
    private volatile PublishedKey signing;
    private volatile Instant keyExpiry;
    private volatile boolean expired;
    private volatile boolean published = true;

    private record Spec(String alg, String use, String name, String descr, String curve, String certAlg) {
    }

    private record PublishedKey(Spec spec, String kid, KeyPair pair, String x5c) {
    }

    private static final Spec RS256 = new Spec("RS256", "sig", "id_token RS256 Sign Key",
            "Signature Key: RSA RSASSA-PKCS1-v1_5 using SHA-256", null, "SHA256withRSA");
    private static final List<Spec> OTHERS = List.of(
            new Spec("RS384", "sig", "id_token RS384 Sign Key", "Signature Key: RSA RSASSA-PKCS1-v1_5 using SHA-384", null, "SHA384withRSA"),
            new Spec("RS512", "sig", "id_token RS512 Sign Key", "Signature Key: RSA RSASSA-PKCS1-v1_5 using SHA-512", null, "SHA512withRSA"),
            new Spec("ES256", "sig", "id_token ES256 Sign Key", "Signature Key: ECDSA using P-256 (secp256r1) and SHA-256", "P-256", "SHA256withECDSA"),
            new Spec("ES384", "sig", "id_token ES384 Sign Key", "Signature Key: ECDSA using P-384 (secp384r1) and SHA-384", "P-384", "SHA384withECDSA"),
            new Spec("ES512", "sig", "id_token ES512 Sign Key", "Signature Key: ECDSA using P-521 (secp521r1) and SHA-512", "P-521", "SHA512withECDSA"),
            new Spec("PS256", "sig", "id_token PS256 Sign Key", "Signature Key: RSASSA-PSS using SHA-256 and MGF1 with SHA-256", null, "RSASSA-PSS/SHA-256"),
            new Spec("PS384", "sig", "id_token PS384 Sign Key", "Signature Key: RSASSA-PSS using SHA-384 and MGF1 with SHA-384", null, "RSASSA-PSS/SHA-384"),
            new Spec("PS512", "sig", "id_token PS512 Sign Key", "Signature Key: RSASSA-PSS using SHA-512 and MGF1 with SHA-512", null, "RSASSA-PSS/SHA-512"),
            new Spec("RSA1_5", "enc", "id_token RSA1_5 Encryption Key", "Encryption Key: RSAES-PKCS1-v1_5", null, "SHA256withRSA"),
            new Spec("RSA-OAEP", "enc", "id_token RSA-OAEP Encryption Key", "Encryption Key: RSAES OAEP using default parameters", null, "SHA256withRSA"),
            new Spec("ECDH-ES", "enc", "id_token ECDH-ES Encryption Key",
                    "Encryption Key: Elliptic Curve Diffie-Hellman Ephemeral Static key agreement using Concat KDF", "P-256", "SHA256withECDSA"));

    public SigningKeys() {
        renew();
    }

    /** A new key set, valid for two days. */
    private synchronized void renew() {
        keyExpiry = Instant.now().plus(LIFETIME);
        others.clear();
        for (Spec spec : OTHERS) {
            others.add(generate(spec));
        }
        signing = generate(RS256);
    }

    private void renewWhenDue() {
        if (Instant.now().isAfter(keyExpiry.minus(Duration.ofHours(1)))) {
            renew();
        }
    }

    public synchronized void rotate() {
        signing = generate(RS256);
        expired = false;
        published = true;
    }

    public synchronized void expire() {
        expired = true;
    }

    public synchronized void unpublish() {
        published = false;
    }

    public String kid() {
        return signing.kid();
    }

    public synchronized Map<String, Object> jwks() {
        renewWhenDue();
        List<Map<String, Object>> keys = new ArrayList<>();
        if (published) {
            keys.add(entry(signing));
        }
        others.forEach(k -> keys.add(entry(k)));
        return Map.of("keys", keys);
    }

    private Map<String, Object> entry(PublishedKey k) {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("name", k.spec().name());
        key.put("descr", k.spec().descr());
        key.put("kid", k.kid());
        key.put("kty", k.spec().curve() == null ? "RSA" : "EC");
        key.put("use", k.spec().use());
        key.put("alg", k.spec().alg());
        if (k.spec().curve() != null) {
            key.put("crv", k.spec().curve());
        }
        key.put("exp", expired ? Instant.now().minus(Duration.ofHours(1)).toEpochMilli() : keyExpiry.toEpochMilli());
        key.put("x5c", List.of(k.x5c()));
        if (k.pair().getPublic() instanceof RSAPublicKey rsa) {
            key.put("n", B64URL.encodeToString(unsigned(rsa.getModulus(), 0)));
            key.put("e", B64URL.encodeToString(unsigned(rsa.getPublicExponent(), 0)));
        } else {
            ECPublicKey ec = (ECPublicKey) k.pair().getPublic();
            int size = (ec.getParams().getCurve().getField().getFieldSize() + 7) / 8;
            key.put("x", B64URL.encodeToString(unsigned(ec.getW().getAffineX(), size)));
            key.put("y", B64URL.encodeToString(unsigned(ec.getW().getAffineY(), size)));
        }
        return key;
    }

    private PublishedKey generate(Spec spec) {
        try {
            KeyPairGenerator generator;
            if (spec.curve() == null) {
                generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
            } else {
                generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec(switch (spec.curve()) {
                    case "P-256" -> "secp256r1";
                    case "P-384" -> "secp384r1";
                    default -> "secp521r1";
                }));
            }
            KeyPair pair = generator.generateKeyPair();
            String kid = UUID.randomUUID() + "_" + spec.use() + "_" + spec.alg().toLowerCase(Locale.ROOT);
            byte[] cert = SelfSignedCertificates.create(pair, spec.certAlg(), Instant.now(), keyExpiry);
            return new PublishedKey(spec, kid, pair, Base64.getEncoder().encodeToString(cert));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create the " + spec.alg() + " key", e);
        }
    }

    /** A signed access token (JWT) as jans-auth issues it for a client with {@code access_token_as_jwt: true}. */
    public synchronized String sign(Map<String, Object> claims) {
        try {
            renewWhenDue();
            PublishedKey key = signing;
            Map<String, Object> header = new LinkedHashMap<>();
            header.put("kid", key.kid());
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
            signature.initSign(key.pair().getPrivate());
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + B64URL.encodeToString(signature.sign());
        } catch (GeneralSecurityException | JsonProcessingException e) {
            throw new IllegalStateException("cannot sign token", e);
        }
    }

    /** Whether issued tokens are already expired (the expire fault). */
    public boolean tokensExpired() {
        return expired;
    }

    /** Big-endian magnitude without the sign byte, left-padded to {@code size} bytes when size > 0. */
    private static byte[] unsigned(BigInteger value, int size) {
        byte[] bytes = value.toByteArray();
        int start = bytes.length > 1 && bytes[0] == 0 ? 1 : 0;
        int len = bytes.length - start;
        byte[] out = new byte[Math.max(len, size)];
        System.arraycopy(bytes, start, out, out.length - len, len);
        return out;
    }
}
