package io.jitsiops.health.janssen;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jose4j.json.JsonUtil;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.Use;
import org.jose4j.lang.JoseException;

/**
 * A Janssen JWKS read with jose4j. Each key is parsed on its own so that one unreadable key (an unknown curve,
 * a broken {@code x5c}) is listed with the reason instead of hiding the others; jose4j's own
 * {@link JsonWebKeySet#JsonWebKeySet(String)} would drop it silently. Janssen adds {@code exp} (epoch
 * milliseconds) to every key, signing ({@code use=sig}) and encryption ({@code use=enc}) alike.
 */
public final class JanssenKeys {
    private final List<JsonWebKey> keys;
    private final List<String> problems;

    private JanssenKeys(List<JsonWebKey> keys, List<String> problems) {
        this.keys = List.copyOf(keys);
        this.problems = List.copyOf(problems);
    }

    /** @throws IllegalArgumentException when the document is not a JWKS at all */
    public static JanssenKeys parse(String json) {
        Map<String, Object> doc;
        try {
            doc = JsonUtil.parseJson(json);
        } catch (JoseException | RuntimeException e) {
            throw new IllegalArgumentException("not JSON");
        }
        if (!(doc.get(JsonWebKeySet.JWK_SET_MEMBER_NAME) instanceof List<?> list)) {
            throw new IllegalArgumentException("not a JWKS: no 'keys' array");
        }
        List<JsonWebKey> keys = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Object entry : list) {
            if (!(entry instanceof Map<?, ?> raw)) {
                problems.add("a 'keys' entry is not an object");
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> params = new java.util.LinkedHashMap<>((Map<String, Object>) raw);
            params.values().removeIf(java.util.Objects::isNull); // Janssen's config API prints absent members as null
            try {
                keys.add(JsonWebKey.Factory.newJwk(params));
            } catch (JoseException | RuntimeException e) {
                problems.add("key " + params.get("kid") + ": " + e.getMessage());
            }
        }
        return new JanssenKeys(keys, problems);
    }

    /** Keys that may sign: {@code use} absent or {@code sig}. */
    public List<JsonWebKey> signingKeys() {
        return keys.stream().filter(k -> k.getUse() == null || Use.SIGNATURE.equals(k.getUse())).toList();
    }

    public List<JsonWebKey> all() {
        return keys;
    }

    public List<String> problems() {
        return problems;
    }

    public boolean hasKid(String kid) {
        return kid != null && keys.stream().anyMatch(k -> kid.equals(k.getKeyId()));
    }

    /** Janssen's {@code exp} of a key (epoch milliseconds), when it gives one. */
    public static Optional<Instant> expiry(JsonWebKey key) {
        Number exp = key.getOtherParameterValue("exp", Number.class);
        return exp == null ? Optional.empty() : Optional.of(Instant.ofEpochMilli(exp.longValue()));
    }
}
