package io.jitsiops.testkit.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * S3Proxy with its filesystem backend: a real S3 API (SigV2/SigV4 authentication, buckets, multipart) that
 * stores objects as files. Buckets are folders under {@code blobs/}, so a bucket is created by making one.
 */
public final class S3ProxyServer extends LocalServer {
    private final ProjectLayout layout;
    private final int port;
    private final String accessKey;
    private final String secretKey;
    /** Set for an S3 endpoint that already exists (JITSIOPS_TEST_S3_ENDPOINT or a container). */
    private String existingUrl;

    /** An S3 endpoint that already runs elsewhere, named by {@code variable}; its buckets must exist. */
    public static S3ProxyServer existing(String url, String accessKey, String secretKey, String variable, Path dir) {
        S3ProxyServer s3 = new S3ProxyServer(null, dir, -1, accessKey, secretKey);
        s3.existingUrl = url;
        s3.existing(variable);
        return s3;
    }

    public S3ProxyServer(ProjectLayout layout, Path dir, int port, String accessKey, String secretKey) {
        super("s3proxy", dir);
        this.layout = layout;
        this.port = port;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    public String url() {
        if (existingUrl != null) {
            return existingUrl;
        }
        return "http://127.0.0.1:" + port;
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    @Override
    public String endpoint() {
        return url();
    }

    /** Makes sure a bucket exists (the filesystem backend keeps a bucket as a folder). */
    public void createBucket(String bucket) throws IOException {
        if (existingUrl != null) {
            return; // an existing endpoint's buckets are made by whoever runs it (TestServers: jitsi-backups)
        }
        Files.createDirectories(dir.resolve("blobs").resolve(bucket));
    }

    @Override
    protected void prepare() throws IOException {
        Files.createDirectories(dir.resolve("blobs"));
        write(dir.resolve("s3proxy.properties"), String.join("\n",
                "s3proxy.endpoint=" + url(),
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + accessKey,
                "s3proxy.credential=" + secretKey,
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + dir.resolve("blobs"),
                ""));
    }

    @Override
    protected List<String> command() {
        return List.of(ProjectLayout.javaBinary().toString(), "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", layout.serverLib("s3proxy") + "/*", "org.gaul.s3proxy.Main",
                "--properties", dir.resolve("s3proxy.properties").toString());
    }

    @Override
    public boolean ready() {
        // Unauthenticated requests are refused (403), which proves the S3 API is answering.
        return Probes.httpStatus(url() + "/") > 0;
    }
}
