package io.jitsiops.health.janssen;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A JWKS (RFC 7517) read into public keys. Janssen adds {@code exp} (epoch milliseconds) to each key; a key
 * past it is reported. Keys that cannot be read are listed with the reason instead of failing the whole set.
 */
public final class JsonWebKeys {
    public record Key(String kid, String kty, String alg, PublicKey publicKey, Instant expiresAt) {
    }

    private final Map<String, Key> byKid;
    private final List<String> problems;

    private JsonWebKeys(Map<String, Key> byKid, List<String> problems) {
        this.byKid = byKid;
        this.problems = problems;
    }

    public static JsonWebKeys parse(JsonNode jwks) {
        if (jwks == null || !jwks.path("keys").isArray()) {
            throw new IllegalArgumentException("not a JWKS: no 'keys' array");
        }
        Map<String, Key> keys = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (JsonNode k : jwks.get("keys")) {
            String kid = k.path("kid").asText(null);
            String use = k.path("use").asText("sig");
            if (!"sig".equals(use)) {
                continue; // encryption keys do not sign tokens
            }
            try {
                PublicKey pub = switch (k.path("kty").asText("")) {
                    case "RSA" -> KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                            unsigned(k, "n"), unsigned(k, "e")));
                    case "EC" -> ecKey(k);
                    default -> throw new IllegalArgumentException("unsupported kty '" + k.path("kty").asText() + "'");
                };
                Instant exp = k.hasNonNull("exp") ? Instant.ofEpochMilli(k.get("exp").asLong()) : null;
                keys.put(kid == null ? "(no kid)" : kid, new Key(kid, k.path("kty").asText(), k.path("alg").asText(null), pub, exp));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                problems.add("key " + kid + ": " + e.getMessage());
            }
        }
        return new JsonWebKeys(keys, problems);
    }

    public Optional<Key> byKid(String kid) {
        return Optional.ofNullable(byKid.get(kid));
    }

    public List<Key> keys() {
        return List.copyOf(byKid.values());
    }

    public List<String> problems() {
        return problems;
    }

    private static BigInteger unsigned(JsonNode k, String field) {
        String v = k.path(field).asText(null);
        if (v == null) {
            throw new IllegalArgumentException("missing '" + field + "'");
        }
        return new BigInteger(1, Base64.getUrlDecoder().decode(v));
    }

    private static PublicKey ecKey(JsonNode k) throws GeneralSecurityException {
        String curve = switch (k.path("crv").asText("")) {
            case "P-256" -> "secp256r1";
            case "P-384" -> "secp384r1";
            case "P-521" -> "secp521r1";
            default -> throw new IllegalArgumentException("unsupported crv '" + k.path("crv").asText() + "'");
        };
        AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
        params.init(new ECGenParameterSpec(curve));
        ECParameterSpec spec = params.getParameterSpec(ECParameterSpec.class);
        return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(unsigned(k, "x"), unsigned(k, "y")), spec));
    }
}
