package io.jitsiops.backup.store;

import java.net.URI;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.jitsiops.backup.config.BackupPlan;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * The S3 client: the AWS SDK sync client and URL-connection transport that quarkus-amazon-s3 brings, built here
 * rather than injected because the endpoint, region and credentials are per deployment (the deployment
 * description's {@code backup.s3}) while the extension's client is configured from static {@code quarkus.s3.*}
 * properties (it produces no injectable builder for a client nobody injects). Path-style addressing works with S3
 * clones (S3Proxy, MinIO) and AWS alike. Checksums are our Content-MD5 (understood by every S3 implementation)
 * rather than the SDK's newer trailing CRC32, which S3 clones do not all accept.
 */
@ApplicationScoped
public class S3ClientFactory {

    public S3Client create(BackupPlan.S3 s3) {
        S3ClientBuilder b = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(60)))
                .region(Region.of(s3.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        s3.endpoint().ifPresent(e -> b.endpointOverride(URI.create(e)));
        return b.build();
    }
}
