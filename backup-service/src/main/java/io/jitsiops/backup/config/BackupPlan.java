package io.jitsiops.backup.config;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.jitsiops.backup.crypto.EncryptionKeys;
import io.jitsiops.deployment.DeploymentDescription;
import io.jitsiops.deployment.InvalidDeploymentException;

/**
 * The deployment description's {@code backup} section turned into what the service works with, secrets
 * resolved: an unusable key, an unset password or credential variable fails the start-up naming the key.
 *
 * @param folders   folder components (configurations, certificates) and their folders
 * @param databases the PostgreSQL server and databases (empty names: none)
 */
public record BackupPlan(Path localDir, ZoneId zone, List<DeploymentDescription.BackupSchedule> schedules,
                         Map<String, List<Path>> folders, Databases databases, Optional<S3> s3,
                         EncryptionKeys keys) {

    public static final String CONFIGURATIONS = "configurations";
    public static final String CERTIFICATES = "certificates";
    public static final String DATABASES = "databases";
    public static final List<String> COMPONENTS_ALL = List.of(CONFIGURATIONS, CERTIFICATES, DATABASES);

    public record Databases(String host, int port, String user, Optional<String> password, List<String> names) {
    }

    /** Credentials are resolved here and never logged or shown. */
    public record S3(Optional<String> endpoint, String region, String bucket, String prefix, String accessKey,
                     String secretKey) {
        @Override
        public String toString() {
            return "S3[" + endpoint.orElse("AWS") + " " + bucket + "/" + prefix + "]";
        }
    }

    public static BackupPlan from(DeploymentDescription description) {
        DeploymentDescription.Backup b = description.requireBackup();
        Map<String, List<Path>> folders = new LinkedHashMap<>();
        folders.put(CONFIGURATIONS, b.configurations().stream().map(Path::of).toList());
        folders.put(CERTIFICATES, b.certificates().stream().map(Path::of).toList());
        Databases dbs;
        if (b.databases() != null && !b.databases().names().isEmpty()) {
            var d = b.databases();
            Optional<String> password = Optional.empty();
            if (d.passwordEnv() != null && !d.passwordEnv().isBlank()) {
                password = Secrets.byName(d.passwordEnv());
            }
            dbs = new Databases(d.host(), d.port() == null ? 5432 : d.port(), d.user() == null ? "postgres" : d.user(),
                    password, d.names());
        } else {
            dbs = new Databases("127.0.0.1", 5432, "postgres", Optional.empty(), List.of());
        }
        Optional<S3> s3 = Optional.empty();
        if (b.s3() != null) {
            var s = b.s3();
            String access = Secrets.byName(s.accessKeyEnv()).orElseThrow(() -> new InvalidDeploymentException(
                    "backup.s3.accessKeyEnv", "'" + s.accessKeyEnv() + "' is not set: " + Secrets.howToSet(s.accessKeyEnv())));
            String secret = Secrets.byName(s.secretKeyEnv()).orElseThrow(() -> new InvalidDeploymentException(
                    "backup.s3.secretKeyEnv", "'" + s.secretKeyEnv() + "' is not set: " + Secrets.howToSet(s.secretKeyEnv())));
            s3 = Optional.of(new S3(Optional.ofNullable(s.endpoint()), s.region() == null ? "us-east-1" : s.region(),
                    s.bucket(), s.prefix() == null ? "" : s.prefix(), access, secret));
        }
        return new BackupPlan(Path.of(b.localDir()), ZoneId.of(b.timeZone()), b.schedules(), folders, dbs, s3,
                EncryptionKeys.from(b.encryption()));
    }

    /** The components this plan has something to back up in. */
    public List<String> components() {
        List<String> all = new java.util.ArrayList<>();
        folders.forEach((name, paths) -> {
            if (!paths.isEmpty()) {
                all.add(name);
            }
        });
        if (!databases.names().isEmpty()) {
            all.add(DATABASES);
        }
        return all;
    }

    public Optional<DeploymentDescription.BackupSchedule> schedule(String name) {
        return schedules.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
