package io.jitsiops.metrics;

import io.jitsiops.testkit.JitsiOpsTestResource;
import io.jitsiops.testkit.ServiceContractTests;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(JitsiOpsTestResource.class)
class MetricsServiceContractTest extends ServiceContractTests {
    @Override
    protected String schema() {
        return "metrics";
    }
}
