package io.jitsiops.alert.notify;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.jitsiops.alert.config.Secret;

/**
 * Signed, expiring acknowledgement links for notifications: {@code /api/alerts/{fingerprint}/ack-link?expires=…&sig=…}
 * where sig is HMAC-SHA256(key, fingerprint + "\n" + expires). The JDK's {@link Mac} does the cryptography; a
 * JWT would carry the same two values with more bytes in a URL people click.
 */
public final class AckLinkSigner {
    private static final String ALGORITHM = "HmacSHA256";
    private final Secret key;

    public AckLinkSigner(Secret key) {
        this.key = key;
    }

    public String link(String externalUrl, String fingerprint, Instant expires) {
        long e = expires.getEpochSecond();
        return externalUrl + "/api/alerts/" + fingerprint + "/ack-link?expires=" + e + "&sig=" + sign(fingerprint, e);
    }

    /** Whether {@code sig} is ours for this fingerprint and expiry, and the link has not expired. */
    public boolean valid(String fingerprint, long expires, String sig, Instant now) {
        if (sig == null || now.getEpochSecond() > expires) {
            return false;
        }
        return MessageDigest.isEqual(sign(fingerprint, expires).getBytes(StandardCharsets.US_ASCII),
                sig.getBytes(StandardCharsets.US_ASCII));
    }

    String sign(String fingerprint, long expires) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key.reveal().getBytes(StandardCharsets.UTF_8), ALGORITHM));
            byte[] d = mac.doFinal((fingerprint + "\n" + expires).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("cannot sign ack links: " + e.getClass().getSimpleName());
        }
    }
}
