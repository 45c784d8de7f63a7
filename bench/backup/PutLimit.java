import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 server's own PUT ceiling: OBJECTS objects of SIZE_MB random bytes from memory (no disk, no compression,
 * no encryption), with THREADS parallel uploads, through the same SDK client the backup-service uses.
 * Usage: java -cp 'backup-service/target/quarkus-app/lib/main/*' PutLimit.java ENDPOINT BUCKET ACCESS SECRET
 */
public class PutLimit {
    public static void main(String[] a) throws Exception {
        int objects = Integer.getInteger("objects", 8);
        int sizeMb = Integer.getInteger("sizeMb", 32);
        int threads = Integer.getInteger("threads", 1);
        S3Client s3 = S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(60)))
                .endpointOverride(URI.create(a[0])).region(Region.US_EAST_1).forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(a[2], a[3]))).build();
        byte[] body = new byte[sizeMb << 20];
        new Random(1).nextBytes(body);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long t0 = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < objects; i++) {
            String key = "put-limit/" + threads + "/" + i;
            done.add(pool.submit(() -> s3.putObject(b -> b.bucket(a[1]).key(key), RequestBody.fromBytes(body))));
        }
        for (Future<?> f : done) {
            f.get();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%.1f%n", objects * (double) sizeMb / secs);
        pool.shutdown();
        for (int i = 0; i < objects; i++) {
            String key = "put-limit/" + threads + "/" + i;
            s3.deleteObject(b -> b.bucket(a[1]).key(key));
        }
    }
}
