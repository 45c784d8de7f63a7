package io.jitsiops.testkit.server;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DebianPackagesTest {

    @Test
    void doesNothingWhenThePackageIsThere() {
        assertThatCode(() -> DebianPackages.require("coreutils", "/bin/ls")).doesNotThrowAnyException();
    }

    @Test
    void refusesAsNonRootNamingTheCommandToRun() {
        String user = System.getProperty("user.name");
        System.setProperty("user.name", "ci-user"); // what runningAsRoot() reads
        try {
            assertThatThrownBy(() -> DebianPackages.require("jitsi-ops-no-such-package", () -> false))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("'jitsi-ops-no-such-package' is missing and this is not root")
                    .hasMessageContaining("run 'sudo apt-get install -y jitsi-ops-no-such-package'");
        } finally {
            System.setProperty("user.name", user);
        }
    }
}
