package io.jitsiops.sim.janssen;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The state of jans-auth's authorization-code flow: an authorization request waiting for its user to sign in (kept
 * under the {@code session_id} cookie, as jans-auth keeps an unauthenticated session), and the codes issued once
 * they did. Codes are single-use and live {@link #CODE_LIFETIME} (jans-auth's {@code authorizationCodeLifetime}
 * default); a waiting request lives {@link #LOGIN_LIFETIME} ({@code sessionIdUnauthenticatedUnusedLifetime}).
 * A code redeemed a second time is refused and, as upstream, nothing more is issued for it.
 */
@ApplicationScoped
public class AuthorizationCodes {
    public static final Duration CODE_LIFETIME = Duration.ofSeconds(60);
    public static final Duration LOGIN_LIFETIME = Duration.ofSeconds(120);
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Request> waiting = new ConcurrentHashMap<>();
    private final Map<String, Code> codes = new ConcurrentHashMap<>();

    /** What /authorize was asked, checked already. */
    public record Request(String clientId, String redirectUri, List<String> scopes, String state, String nonce,
                          String codeChallenge, String issuer, Instant createdAt) {
    }

    /** An issued code: the request it answers and who signed in. */
    public record Code(String code, Request request, String user, String sessionState, Instant expiresAt) {
    }

    public String await(Request request) {
        dropExpired();
        String session = randomId();
        waiting.put(session, request);
        return session;
    }

    public Optional<Request> waiting(String session) {
        dropExpired();
        return session == null ? Optional.empty() : Optional.ofNullable(waiting.get(session));
    }

    /** The user signed in: the waiting request becomes a code (the request is gone). */
    public Optional<Code> issue(String session, String user, String sessionState) {
        Request request = session == null ? null : waiting.remove(session);
        if (request == null) {
            return Optional.empty();
        }
        Code code = new Code(randomId(), request, user, sessionState, Instant.now().plus(CODE_LIFETIME));
        codes.put(code.code(), code);
        return Optional.of(code);
    }

    /** The code, removed whatever happens next: a second redemption finds nothing. Expired codes are not found. */
    public Optional<Code> redeem(String code) {
        Code found = code == null ? null : codes.remove(code);
        return found == null || found.expiresAt().isBefore(Instant.now()) ? Optional.empty() : Optional.of(found);
    }

    public void clear() {
        waiting.clear();
        codes.clear();
    }

    /** RFC 7636 S256: BASE64URL(SHA-256(ASCII(code_verifier))) == code_challenge. */
    public static boolean s256Matches(String verifier, String challenge) {
        if (verifier == null || challenge == null || verifier.length() < 43 || verifier.length() > 128) {
            return false;
        }
        return MessageDigest.isEqual(s256(verifier).getBytes(StandardCharsets.US_ASCII), challenge.getBytes(StandardCharsets.US_ASCII));
    }

    public static String s256(String verifier) {
        try {
            return B64URL.encodeToString(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void dropExpired() {
        Instant now = Instant.now();
        waiting.values().removeIf(r -> r.createdAt().plus(LOGIN_LIFETIME).isBefore(now));
        codes.values().removeIf(c -> c.expiresAt().isBefore(now));
    }

    private String randomId() {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return B64URL.encodeToString(bytes);
    }
}
