package io.jitsiops.health.janssen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The jose4j-based verification of issuer tokens and room tokens, without any server. */
class JwtVerificationTest {
    private static final String ISSUER = "https://idp.example.org";
    private static final String AUDIENCE = "jitsi-ops";
    private static final Instant NOW = Instant.parse("2026-11-29T08:00:00Z");
    private static RsaJsonWebKey rs256;
    private static RsaJsonWebKey ps256;
    private static EllipticCurveJsonWebKey es256;
    private static JanssenKeys jwks;

    @BeforeAll
    static void keys() throws Exception {
        rs256 = RsaJwkGenerator.generateJwk(2048);
        rs256.setKeyId("k-rs256_sig_rs256");
        rs256.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
        rs256.setUse("sig");
        ps256 = RsaJwkGenerator.generateJwk(2048);
        ps256.setKeyId("k-ps256_sig_ps256");
        ps256.setAlgorithm(AlgorithmIdentifiers.RSA_PSS_USING_SHA256);
        ps256.setUse("sig");
        es256 = EcJwkGenerator.generateJwk(EllipticCurves.P256);
        es256.setKeyId("k-es256_sig_es256");
        es256.setAlgorithm(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        es256.setUse("sig");
        jwks = JanssenKeys.parse(new JsonWebKeySet(List.<JsonWebKey>of(rs256, ps256, es256)).toJson());
    }

    @Test
    void verifiesRs256Ps256AndEs256TokensWithTheKeyTheirKidNames() throws Exception {
        for (PublicJsonWebKey key : List.of(rs256, ps256, es256)) {
            JwtVerifier.Verified v = JwtVerifier.verify(sign(claims(), key, key.getAlgorithm(), key.getKeyId()), jwks, ISSUER, AUDIENCE, NOW);
            assertThat(v.kid()).isEqualTo(key.getKeyId());
            assertThat(v.claims().getSubject()).isEqualTo("jitsi-ops");
        }
    }

    @Test
    void refusesAnUnsignedToken() throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims().toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.NONE);
        jws.setAlgorithmConstraints(org.jose4j.jwa.AlgorithmConstraints.NO_CONSTRAINTS);
        String token = jws.getCompactSerialization();
        assertRefused(token, "unsigned token (alg none)");
    }

    @Test
    void refusesHs256SignedWithAnRsaPublicKeysBytesAlgorithmConfusion() throws Exception {
        byte[] publicBytes = rs256.getPublicKey().getEncoded();
        String token = sign(claims(), new HmacKey(publicBytes), AlgorithmIdentifiers.HMAC_SHA256, rs256.getKeyId());
        assertRefused(token, "HS256 is a shared-secret algorithm; the issuer's public keys never verify it");
    }

    @Test
    void refusesATokenWhoseAlgIsNotTheAlgOfTheKeyItNames() throws Exception {
        String token = sign(claims(), ps256.getPrivateKey(), AlgorithmIdentifiers.RSA_USING_SHA256, ps256.getKeyId());
        assertRefused(token, "JWKS key kid=k-ps256_sig_ps256 does not sign RS256 tokens");
    }

    @Test
    void refusesAnUnknownKid() throws Exception {
        String token = sign(claims(), rs256.getPrivateKey(), AlgorithmIdentifiers.RSA_USING_SHA256, "rotated-away");
        assertRefused(token, "signing key kid=rotated-away is not in the JWKS");
    }

    @Test
    void acceptsATokenWithoutKidOnlyWhenExactlyOneKeyFits() throws Exception {
        JanssenKeys single = JanssenKeys.parse(new JsonWebKeySet(List.<JsonWebKey>of(rs256)).toJson());
        String token = sign(claims(), rs256.getPrivateKey(), AlgorithmIdentifiers.RSA_USING_SHA256, null);
        assertThat(JwtVerifier.verify(token, single, ISSUER, AUDIENCE, NOW).claims().getIssuer()).isEqualTo(ISSUER);
        RsaJsonWebKey other = RsaJwkGenerator.generateJwk(2048);
        other.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
        JanssenKeys two = JanssenKeys.parse(new JsonWebKeySet(List.<JsonWebKey>of(rs256, other)).toJson());
        assertThatThrownBy(() -> JwtVerifier.verify(token, two, ISSUER, AUDIENCE, NOW))
                .hasMessage("token has no kid and 2 JWKS keys fit alg RS256");
    }

    @Test
    void refusesExpiredNotYetValidWrongAudienceAndWrongIssuer() throws Exception {
        JwtClaims expired = claims();
        expired.setExpirationTime(NumericDate.fromSeconds(NOW.getEpochSecond() - 120));
        assertRefused(rs(expired), "token expired at " + Instant.ofEpochSecond(NOW.getEpochSecond() - 120));
        JwtClaims early = claims();
        early.setNotBefore(NumericDate.fromSeconds(NOW.getEpochSecond() + 600));
        early.setExpirationTime(NumericDate.fromSeconds(NOW.getEpochSecond() + 3600));
        assertRefused(rs(early), "token not valid before " + Instant.ofEpochSecond(NOW.getEpochSecond() + 600));
        JwtClaims otherAudience = claims();
        otherAudience.setAudience("other");
        assertRefused(rs(otherAudience), "aud [other] does not contain 'jitsi-ops'");
        JwtClaims otherIssuer = claims();
        otherIssuer.setIssuer("https://evil.example.com");
        assertRefused(rs(otherIssuer), "iss 'https://evil.example.com' is not the issuer 'https://idp.example.org'");
        JwtClaims noExp = claims();
        noExp.unsetClaim("exp");
        assertRefused(rs(noExp), "no exp claim");
    }

    @Test
    void refusesAForgedSignatureAnUnknownCriticalHeaderAndAnEcdsaSignatureOfTheWrongLength() throws Exception {
        String good = rs(claims());
        String forged = good.substring(0, good.lastIndexOf('.') + 1)
                + Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[256]);
        assertRefused(forged, "signature does not verify with key kid=k-rs256_sig_rs256");

        JsonWebSignature crit = new JsonWebSignature();
        crit.setPayload(claims().toJson());
        crit.setKey(rs256.getPrivateKey());
        crit.setKeyIdHeaderValue(rs256.getKeyId());
        crit.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        crit.setHeader("x-policy", "strict");
        crit.setCriticalHeaderNames("x-policy");
        assertThatThrownBy(() -> JwtVerifier.verify(crit.getCompactSerialization(), jwks, ISSUER, AUDIENCE, NOW))
                .hasMessageContaining("x-policy");

        String es = sign(claims(), es256.getPrivateKey(), AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, es256.getKeyId());
        byte[] sig = Base64.getUrlDecoder().decode(es.substring(es.lastIndexOf('.') + 1));
        byte[] longer = java.util.Arrays.copyOf(sig, sig.length + 1);
        String stretched = es.substring(0, es.lastIndexOf('.') + 1) + Base64.getUrlEncoder().withoutPadding().encodeToString(longer);
        assertThatThrownBy(() -> JwtVerifier.verify(stretched, jwks, ISSUER, AUDIENCE, NOW))
                .isInstanceOf(JwtVerifier.InvalidTokenException.class);
    }

    @Test
    void roomTokensSignedWithTheAppSecretVerifyAndNoOtherSecretOrAlgorithmDoes() throws Exception {
        byte[] secret = "jitsi-app-secret".getBytes(StandardCharsets.UTF_8);
        String token = sign(claims(), new HmacKey(secret), AlgorithmIdentifiers.HMAC_SHA256, null);
        assertThat(JwtVerifier.verifyWithSecret(token, secret, NOW).alg()).isEqualTo("HS256");
        assertThatThrownBy(() -> JwtVerifier.verifyWithSecret(token, "wrong".getBytes(StandardCharsets.UTF_8), NOW))
                .hasMessage("signature does not verify with the shared secret");
        assertThatThrownBy(() -> JwtVerifier.verifyWithSecret(rs(claims()), secret, NOW))
                .hasMessage("alg RS256 is not a shared-secret algorithm");
    }

    @Test
    void aJwksKeyThatCannotBeReadIsListedAndEncryptionKeysNeverSign() {
        String doc = "{\"keys\":[" + rs256.toJson() + ","
                + "{\"kid\":\"x_enc_rsa-oaep\",\"kty\":\"RSA\",\"use\":\"enc\",\"alg\":\"RSA-OAEP\",\"n\":\"" + rs256.toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY).get("n")
                + "\",\"e\":\"AQAB\",\"crv\":null,\"exp\":1669923019275},"
                + "{\"kid\":\"broken\",\"kty\":\"EC\",\"crv\":\"P-999\",\"x\":\"AA\",\"y\":\"AA\"}]}";
        JanssenKeys keys = JanssenKeys.parse(doc);
        assertThat(keys.all()).hasSize(2);
        assertThat(keys.signingKeys()).extracting(JsonWebKey::getKeyId).containsExactly("k-rs256_sig_rs256");
        assertThat(keys.problems()).singleElement().asString().startsWith("key broken:");
        assertThat(JanssenKeys.expiry(keys.all().get(1))).contains(Instant.ofEpochMilli(1669923019275L));
        assertThatThrownBy(() -> JanssenKeys.parse("{\"nokeys\":1}")).hasMessage("not a JWKS: no 'keys' array");
    }

    private static void assertRefused(String token, String message) {
        assertThatThrownBy(() -> JwtVerifier.verify(token, jwks, ISSUER, AUDIENCE, NOW))
                .isInstanceOf(JwtVerifier.InvalidTokenException.class).hasMessage(message);
    }

    private static JwtClaims claims() {
        JwtClaims c = new JwtClaims();
        c.setIssuer(ISSUER);
        c.setSubject("jitsi-ops");
        c.setAudience(AUDIENCE);
        c.setIssuedAt(NumericDate.fromSeconds(NOW.getEpochSecond() - 10));
        c.setExpirationTime(NumericDate.fromSeconds(NOW.getEpochSecond() + 289));
        return c;
    }

    private static String rs(JwtClaims claims) throws Exception {
        return sign(claims, rs256.getPrivateKey(), AlgorithmIdentifiers.RSA_USING_SHA256, rs256.getKeyId());
    }

    private static String sign(JwtClaims claims, PublicJsonWebKey key, String alg, String kid) throws Exception {
        return sign(claims, key.getPrivateKey(), alg, kid);
    }

    private static String sign(JwtClaims claims, Key key, String alg, String kid) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key);
        jws.setDoKeyValidation(false);
        jws.setAlgorithmHeaderValue(alg);
        if (kid != null) {
            jws.setKeyIdHeaderValue(kid);
        }
        return jws.getCompactSerialization();
    }
}
