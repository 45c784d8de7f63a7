package io.jitsiops.backup.unit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.jitsiops.backup.crypto.AesGcmProvider;
import io.jitsiops.backup.crypto.EncryptionKeys;
import io.jitsiops.backup.crypto.SegmentedAesGcm;

class SegmentedAesGcmTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final byte[] key = random(32);
    private final EncryptionKeys keys = EncryptionKeys.of(List.of(key));

    @Test
    void roundTripsEveryLengthAroundSegmentBoundaries() throws IOException {
        for (int len : new int[] { 0, 1, 1023, 1024, 1025, 2048, 5000 }) {
            byte[] plain = random(len);
            assertThat(decrypt(encrypt(plain, 1024), keys)).as("length %d", len).isEqualTo(plain);
        }
    }

    @Test
    void theStartUpWarmUpRoundTripsThroughTheSameFramingAndSaysHowLongItTook() throws IOException {
        assertThat(SegmentedAesGcm.warmUp(2)).isNotNegative();
    }

    @Test
    void aFlippedBitAnywhereFailsAuthentication() throws IOException {
        byte[] sealed = encrypt(random(5000), 1024);
        for (int pos : new int[] { 40, 1100, sealed.length - 1 }) {
            byte[] bad = sealed.clone();
            bad[pos] ^= 1;
            assertThatThrownBy(() -> decrypt(bad, keys)).isInstanceOf(IOException.class).hasMessageContaining("authenticate");
        }
    }

    @Test
    void truncationAtASegmentBoundaryIsDetected() throws IOException {
        byte[] sealed = encrypt(random(4096), 1024);
        int header = sealed.length - 4 * (1024 + 16) - 16; // 4 full segments and an empty last one
        byte[] cut = Arrays.copyOf(sealed, header + 2 * (1024 + 16));
        assertThatThrownBy(() -> decrypt(cut, keys)).isInstanceOf(IOException.class);
    }

    @Test
    void aWrongKeyIsNamedAsSuchAndAnUnknownKeyIdToo() throws IOException {
        byte[] sealed = encrypt(random(100), 1024);
        byte[] other = random(32);
        // same id cannot happen with another key; an unknown id is refused before any decryption
        assertThatThrownBy(() -> decrypt(sealed, EncryptionKeys.of(List.of(other))))
                .isInstanceOf(SegmentedAesGcm.WrongKeyException.class).hasMessageContaining("not among the configured keys");
        // a rotated configuration still opens old objects with the previous key
        assertThat(decrypt(sealed, EncryptionKeys.of(List.of(other, key)))).hasSize(100);
    }

    @Test
    void theNativeAesGcmLoadsOnLinuxX86AndWhatEitherProviderSealedTheOtherOpens() throws IOException {
        if ("Linux".equals(System.getProperty("os.name")) && "amd64".equals(System.getProperty("os.arch"))) {
            assertThat(AesGcmProvider.nativeInUse()).as(AesGcmProvider.describe()).isTrue();
            assertThat(AesGcmProvider.describe()).startsWith("AmazonCorrettoCryptoProvider 2.4.1");
        }
        byte[] plain = random(3 * 1024 + 5);
        try {
            byte[] sealedNatively = encrypt(plain, 1024);
            byte[] tampered = sealedNatively.clone();
            tampered[tampered.length - 1] ^= 1;
            AesGcmProvider.useNative(false);
            assertThat(AesGcmProvider.describe()).isEqualTo("the JDK's AES-GCM (native AES-GCM turned off by configuration)");
            assertThat(decrypt(sealedNatively, keys)).isEqualTo(plain);
            assertThatThrownBy(() -> decrypt(tampered, keys)).hasMessageContaining("does not authenticate");
            byte[] sealedByTheJdk = encrypt(plain, 1024);
            AesGcmProvider.useNative(true);
            assertThat(decrypt(sealedByTheJdk, keys)).isEqualTo(plain);
            byte[] jdkTampered = sealedByTheJdk.clone();
            jdkTampered[jdkTampered.length - 1] ^= 1;
            assertThatThrownBy(() -> decrypt(jdkTampered, keys)).hasMessageContaining("does not authenticate");
        } finally {
            AesGcmProvider.useNative(true);
        }
    }

    @Test
    void aMissingOrUnusableKeyIsRefusedNamingTheKeyOfTheDescription() {
        assertThatThrownBy(() -> EncryptionKeys.from(null)).hasMessageStartingWith("backup.encryption: is required");
        assertThatThrownBy(() -> EncryptionKeys.from(new io.jitsiops.deployment.DeploymentDescription.BackupEncryption(
                null, "/nonexistent/key", null, null))).hasMessageStartingWith("backup.encryption.keyFile: cannot read");
    }

    private byte[] encrypt(byte[] plain, int segment) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream enc = SegmentedAesGcm.encrypt(out, keys.current(), keys.currentId(), segment)) {
            enc.write(plain);
        }
        return out.toByteArray();
    }

    private static byte[] decrypt(byte[] sealed, EncryptionKeys k) throws IOException {
        return SegmentedAesGcm.decrypt(new ByteArrayInputStream(sealed), k::byId).readAllBytes();
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
