package io.jitsiops.backup.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import io.jitsiops.backup.config.Secrets;
import io.jitsiops.deployment.DeploymentDescription;
import io.jitsiops.deployment.InvalidDeploymentException;

/**
 * The AES-256 keys: the current one (new backups) and earlier ones (restores of older backups after a
 * rotation). A key's id is derived from the key (first 8 bytes of SHA-256 of "jitsi-ops key id" and the key), so
 * it can be written in a manifest without saying anything about the key, and cannot disagree with it.
 */
public final class EncryptionKeys {
    private final SecretKey current;
    private final String currentId;
    private final Map<String, SecretKey> byId;

    private EncryptionKeys(SecretKey current, Map<String, SecretKey> byId) {
        this.current = current;
        this.currentId = idOf(current.getEncoded());
        this.byId = Map.copyOf(byId);
    }

    /** Reads the keys the backup section names; fails naming the key of the description when one is unusable. */
    public static EncryptionKeys from(DeploymentDescription.BackupEncryption e) {
        if (e == null) {
            throw new InvalidDeploymentException("backup.encryption",
                    "is required by the backup-service: keyEnv or keyFile naming a 32-byte base64 AES key");
        }
        SecretKey current = e.keyEnv() != null && !e.keyEnv().isBlank()
                ? fromEnv("backup.encryption.keyEnv", e.keyEnv())
                : fromFile("backup.encryption.keyFile", e.keyFile());
        Map<String, SecretKey> all = new LinkedHashMap<>();
        all.put(idOf(current.getEncoded()), current);
        for (int i = 0; i < e.previousKeyEnvs().size(); i++) {
            SecretKey k = fromEnv("backup.encryption.previousKeyEnvs[" + i + "]", e.previousKeyEnvs().get(i));
            all.putIfAbsent(idOf(k.getEncoded()), k);
        }
        for (int i = 0; i < e.previousKeyFiles().size(); i++) {
            SecretKey k = fromFile("backup.encryption.previousKeyFiles[" + i + "]", e.previousKeyFiles().get(i));
            all.putIfAbsent(idOf(k.getEncoded()), k);
        }
        return new EncryptionKeys(current, all);
    }

    /** For tests and tools: keys given directly (the first is current). */
    public static EncryptionKeys of(List<byte[]> keys) {
        Map<String, SecretKey> all = new LinkedHashMap<>();
        for (byte[] k : keys) {
            all.putIfAbsent(idOf(k), new SecretKeySpec(k, "AES"));
        }
        return new EncryptionKeys(new SecretKeySpec(keys.get(0), "AES"), all);
    }

    public SecretKey current() {
        return current;
    }

    public String currentId() {
        return currentId;
    }

    public Optional<SecretKey> byId(String keyId) {
        return Optional.ofNullable(byId.get(keyId));
    }

    private static SecretKey fromEnv(String key, String name) {
        String value = Secrets.byName(name).orElseThrow(() -> new InvalidDeploymentException(key,
                "'" + name + "' is not set: " + Secrets.howToSet(name)));
        return parse(key, value);
    }

    private static SecretKey fromFile(String key, String file) {
        try {
            return parse(key, Files.readString(Path.of(file), StandardCharsets.US_ASCII));
        } catch (IOException ex) {
            throw new InvalidDeploymentException(key, "cannot read the key file '" + file + "': " + ex.getClass().getSimpleName());
        }
    }

    private static SecretKey parse(String key, String base64) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException ex) {
            throw new InvalidDeploymentException(key, "the key is not base64");
        }
        if (raw.length != 32) {
            throw new InvalidDeploymentException(key, "the key must be 32 bytes (AES-256), it has " + raw.length);
        }
        return new SecretKeySpec(raw, "AES");
    }

    static String idOf(byte[] key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("jitsi-ops key id".getBytes(StandardCharsets.US_ASCII));
            sha.update(key);
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
