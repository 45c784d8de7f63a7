package io.jitsiops.backup.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.jitsiops.backup.archive.PostgresTools;
import io.jitsiops.backup.config.BackupConfig;
import io.jitsiops.backup.config.BackupPlan;
import io.jitsiops.deployment.DeploymentDescription;
import io.quarkus.runtime.Startup;

/**
 * The plan read from the deployment description at start-up (a bad key, an unset secret, an unusable encryption
 * key stop the start naming the key), and the stores and tools it names.
 */
@Startup
@ApplicationScoped
public class BackupStores {
    private final BackupPlan plan;
    private final LocalStore local;
    private final Optional<S3Store> s3;
    private final PostgresTools postgres;

    public BackupStores(DeploymentDescription description, BackupConfig config, S3ClientFactory s3Clients) {
        this.plan = BackupPlan.from(description);
        this.local = new LocalStore(plan.localDir());
        this.s3 = plan.s3().map(s -> new S3Store(s3Clients.create(s), s.bucket(), s.prefix(), config.multipartThreshold(),
                config.multipartPartBytes()));
        BackupPlan.Databases d = plan.databases();
        this.postgres = new PostgresTools(PostgresTools.findBin(config.pgBin()), d.host(), d.port(), d.user(), d.password(),
                config.toolTimeout());
    }

    @Produces
    @Singleton
    BackupPlan plan() {
        return plan;
    }

    public LocalStore local() {
        return local;
    }

    public Optional<S3Store> s3() {
        return s3;
    }

    public PostgresTools postgres() {
        return postgres;
    }

    /** Every store a backup is written to. */
    public List<BackupStore> all() {
        List<BackupStore> all = new ArrayList<>();
        all.add(local);
        s3.ifPresent(all::add);
        return all;
    }

    public Optional<BackupStore> byName(String name) {
        return all().stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
