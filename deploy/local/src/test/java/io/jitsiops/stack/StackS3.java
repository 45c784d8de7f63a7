package io.jitsiops.stack;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import io.jitsiops.testkit.server.DeploymentFiles;
import io.jitsiops.testkit.server.LocalStack;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The stack's S3 server (S3Proxy) as any S3 client sees it, with the stack's credentials: which objects a backup
 * has in the backup bucket ({@code local/<backup id>/...}, the simulator description's prefix).
 */
final class StackS3 implements AutoCloseable {
    private final S3Client s3;

    StackS3(int port) {
        // Path-style and checksums only when required: S3Proxy, like the backup-service's own client (S3ClientFactory).
        this.s3 = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(30)))
                .endpointOverride(URI.create("http://127.0.0.1:" + port))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(LocalStack.S3_ACCESS_KEY, LocalStack.S3_SECRET_KEY)))
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }

    /** The keys stored for one backup, e.g. {@code local/<id>/manifest.json}; empty when it has none. */
    List<String> objectsOf(String backupId) {
        return s3.listObjectsV2Paginator(b -> b.bucket(DeploymentFiles.BACKUP_BUCKET).prefix("local/" + backupId + "/"))
                .contents().stream().map(S3Object::key).toList();
    }

    @Override
    public void close() {
        s3.close();
    }
}
