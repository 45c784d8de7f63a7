package io.jitsiops.testkit;

import java.util.Map;

import io.jitsiops.testkit.server.S3ProxyServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** A real S3-compatible server (S3Proxy, filesystem backend) with the bucket {@code jitsi-backups}. */
public class S3TestResource implements QuarkusTestResourceLifecycleManager {
    public static final String BUCKET = "jitsi-backups";

    @Override
    public Map<String, String> start() {
        S3ProxyServer s3 = LocalServers.s3();
        try {
            s3.createBucket(BUCKET);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return Map.of("jitsiops.test.s3.endpoint", s3.url(),
                "JITSIOPS_S3_ACCESS_KEY", s3.accessKey(),
                "JITSIOPS_S3_SECRET_KEY", s3.secretKey());
    }

    @Override
    public void stop() {
        // stopped with the JVM by LocalServers
    }
}
