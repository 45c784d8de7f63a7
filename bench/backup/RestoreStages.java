import java.io.BufferedInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

import javax.crypto.spec.SecretKeySpec;

import io.jitsiops.backup.archive.FolderExtractor;
import io.jitsiops.backup.crypto.SegmentedAesGcm;
import io.jitsiops.backup.service.Streams;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Where a folder restore's time goes, stage by stage, on one stored archive: the S3 GET alone (through the same SDK
 * client as the service), the local file read, + AES-GCM decryption, + gunzip, + untar without writing, + untar
 * writing the files; then the whole restore from S3. {@code -Dwarm=N}: the service's start-up AES-GCM warm-up first.
 * Usage: java -cp 'backup-service/target/quarkus-app/app/*:backup-service/target/quarkus-app/lib/main/*' RestoreStages.java
 *        ENDPOINT BUCKET KEY ACCESS SECRET LOCAL_FILE KEY_FILE SCRATCH_DIR
 */
public class RestoreStages {
    public static void main(String[] a) throws Exception {
        S3Client s3 = S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(60)))
                .endpointOverride(URI.create(a[0])).region(Region.US_EAST_1).forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(a[3], a[4]))).build();
        Path local = Path.of(a[5]);
        byte[] keyBytes = Base64.getDecoder().decode(Files.readString(Path.of(a[6])).trim());
        SecretKeySpec key = new SecretKeySpec(keyBytes, "AES");
        Path scratch = Path.of(a[7]);
        io.jitsiops.backup.crypto.EncryptionKeys keys = io.jitsiops.backup.crypto.EncryptionKeys.of(java.util.List.of(keyBytes));
        String only = System.getProperty("stage", "");
        long size = Files.size(local);
        int warm = Integer.getInteger("warm", 0);
        if (warm > 0) {
            System.out.printf("%-46s %7.2f s%n", "AES-GCM warm-up (" + warm + " rounds)", SegmentedAesGcm.warmUp(warm) / 1e3);
        }
        for (int round = 0; round < Integer.getInteger("rounds", 1); round++) {
            if (only.isEmpty() || only.contains("get")) time("S3 GET (SDK, one stream)", size, () -> drain(s3.getObject(b -> b.bucket(a[1]).key(a[2]))));
            if (only.isEmpty() || only.contains("file")) time("local file read", size, () -> drain(Files.newInputStream(local)));
            if (only.isEmpty() || only.contains("decrypt")) time("file + decrypt", size, () -> drain(SegmentedAesGcm.decrypt(new BufferedInputStream(Files.newInputStream(local), 1 << 20), id -> Optional.of(key))));
            if (only.isEmpty() || only.contains("gunzip")) time("file + decrypt + gunzip", size, () -> drain(new GZIPInputStream(SegmentedAesGcm.decrypt(new BufferedInputStream(Files.newInputStream(local), 1 << 20), id -> Optional.of(key)), 1 << 20)));
            if (only.isEmpty() || only.contains("digests")) time("file + decrypt + gunzip + untar (no writes)", size, () -> FolderExtractor.digests(new GZIPInputStream(SegmentedAesGcm.decrypt(new BufferedInputStream(Files.newInputStream(local), 1 << 20), id -> Optional.of(key)), 1 << 20)).size());
            if (only.isEmpty() || only.contains("extract")) time("file + tarOf + extract (writes)", size, () -> {
                Path t = scratch.resolve("x" + System.nanoTime());
                try (InputStream in = Streams.tarOf(Files.newInputStream(local), keys)) {
                    return FolderExtractor.extract(in, t, false, false).size();
                } finally {
                    FolderExtractor.deleteTree(t);
                }
            });
            if (only.isEmpty() || only.contains("s3restore")) time("S3 + tarOf + extract (writes)", size, () -> {
                Path t = scratch.resolve("x" + System.nanoTime());
                try (InputStream in = Streams.tarOf(s3.getObject(b -> b.bucket(a[1]).key(a[2])), keys)) {
                    return FolderExtractor.extract(in, t, false, false).size();
                } finally {
                    FolderExtractor.deleteTree(t);
                }
            });
        }
    }

    interface Stage {
        Object run() throws Exception;
    }

    static void time(String what, long stored, Stage s) throws Exception {
        long t0 = System.nanoTime();
        Object r = s.run();
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%-46s %7.2f s %8.1f MB/s (stored bytes)  [%s]%n", what, secs, stored / 1e6 / secs, r);
    }

    static long drain(InputStream in) throws Exception {
        try (in) {
            byte[] b = new byte[1 << 20];
            long total = 0;
            int n;
            while ((n = in.read(b)) > 0) {
                total += n;
            }
            return total;
        }
    }
}
