package io.jitsiops.alert;

import io.jitsiops.testkit.JitsiOpsTestResource;
import io.jitsiops.testkit.ServiceContractTests;
import io.jitsiops.testkit.SmtpTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(JitsiOpsTestResource.class)
@QuarkusTestResource(SmtpTestResource.class)
@QuarkusTestResource(AlertTestResource.class)
class AlertServiceContractTest extends ServiceContractTests {
    @Override
    protected String schema() {
        return "alerts";
    }
}
