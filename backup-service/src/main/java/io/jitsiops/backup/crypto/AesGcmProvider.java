package io.jitsiops.backup.crypto;

import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Which JCA provider runs the backups' AES-GCM: Amazon Corretto Crypto Provider (AWS-LC's native AES-GCM through
 * JNI) when it loads on this machine and passes a round trip against the JDK's AES-GCM, else the JDK's own.
 *
 * <p>Why not only the JDK's: in a fresh JVM the JDK's AES-GCM runs at about 70 MB/s until C2 has compiled it with the
 * CPU's AES/CLMUL intrinsics, which takes thousands of cipher calls, while a restore opens its objects in 1 MiB
 * segments (a few hundred calls) — the benchmark's restore spent 76 % of its CPU samples in the JDK's uncompiled
 * {@code GHASH.processBlocks}, and a start-up warm-up did not carry over to the stream classes of a restore from S3
 * (README, backup-service). Measured on this 2-core machine, 128 MiB in 1 MiB segments, first pass in a fresh JVM:
 * JDK 59 / 73 MB/s (encrypt / decrypt), this provider 530 / 1,098 MB/s. The provider is asked for by object, never
 * installed JVM-wide, so TLS and everything else keep the JDK's providers. Objects are plain AES-256-GCM either way:
 * what one provider sealed the other opens (tested).
 */
public final class AesGcmProvider {
    static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final Detected NATIVE = detect();
    private static volatile boolean useNative = true;

    private AesGcmProvider() {
    }

    /** The native provider if it loaded, and if not why not. */
    record Detected(Provider provider, String reason) {
    }

    /** Turns the native provider off (or on again where it loaded): {@code jitsiops.backup.native-aes-gcm}. */
    public static void useNative(boolean on) {
        useNative = on;
    }

    /** Whether the native provider runs AES-GCM now. */
    public static boolean nativeInUse() {
        return useNative && NATIVE.provider() != null;
    }

    /** What runs AES-GCM, for the start-up log: the provider and version, or the JDK's and why. */
    public static String describe() {
        if (nativeInUse()) {
            return NATIVE.provider().getName() + " " + NATIVE.provider().getVersionStr() + " (native AES-GCM)";
        }
        return "the JDK's AES-GCM (" + (useNative ? NATIVE.reason() : "native AES-GCM turned off by configuration") + ")";
    }

    static Cipher newCipher() throws GeneralSecurityException {
        return nativeInUse() ? Cipher.getInstance(TRANSFORMATION, NATIVE.provider()) : Cipher.getInstance(TRANSFORMATION);
    }

    private static Detected detect() {
        Provider p;
        try {
            com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider accp =
                    com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider.INSTANCE;
            Throwable error = accp.getLoadingError();
            if (error != null) {
                return new Detected(null, "Amazon Corretto Crypto Provider did not load here: " + error);
            }
            p = accp;
        } catch (LinkageError | RuntimeException e) { // its jar absent, or its native library not for this platform
            return new Detected(null, "Amazon Corretto Crypto Provider unavailable: " + e);
        }
        try {
            roundTrip(p);
            return new Detected(p, null);
        } catch (GeneralSecurityException | LinkageError | RuntimeException e) {
            return new Detected(null, "Amazon Corretto Crypto Provider failed its AES-GCM round trip: " + e);
        }
    }

    /** Sealed by {@code p}, opened by the JDK, and back: the two must agree byte for byte before {@code p} is used. */
    private static void roundTrip(Provider p) throws GeneralSecurityException {
        SecureRandom random = new SecureRandom();
        byte[] keyBytes = new byte[32];
        byte[] nonce = new byte[12];
        byte[] plain = new byte[4096 + 7];
        random.nextBytes(keyBytes);
        random.nextBytes(nonce);
        random.nextBytes(plain);
        SecretKey key = new SecretKeySpec(keyBytes, "AES");
        byte[] sealed = run(Cipher.getInstance(TRANSFORMATION, p), Cipher.ENCRYPT_MODE, key, nonce, plain);
        byte[] jdkSealed = run(Cipher.getInstance(TRANSFORMATION), Cipher.ENCRYPT_MODE, key, nonce, plain);
        if (!Arrays.equals(sealed, jdkSealed)
                || !Arrays.equals(run(Cipher.getInstance(TRANSFORMATION, p), Cipher.DECRYPT_MODE, key, nonce, jdkSealed), plain)) {
            throw new GeneralSecurityException("its AES-GCM does not agree with the JDK's");
        }
    }

    private static byte[] run(Cipher c, int mode, SecretKey key, byte[] nonce, byte[] in) throws GeneralSecurityException {
        c.init(mode, key, new GCMParameterSpec(128, nonce));
        c.updateAAD(new byte[] { 1, 2, 3 });
        c.updateAAD(new byte[] { 0 });
        return c.doFinal(in);
    }
}
