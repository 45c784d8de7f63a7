package io.jitsiops.backup;

import io.jitsiops.testkit.ServiceContractTests;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(BackupTestResource.class)
class BackupServiceContractTest extends ServiceContractTests {
    @Override
    protected String schema() {
        return "backups";
    }
}
