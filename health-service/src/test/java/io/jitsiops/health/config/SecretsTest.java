package io.jitsiops.health.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets come from environment variables or mounted files, never from configuration keys. */
class SecretsTest {
    @TempDir
    Path dir;

    @Test
    void readsTheEnvironmentVariableFirstThenAFileNamedAfterItWithoutItsTrailingNewline() throws Exception {
        Files.writeString(dir.resolve("JANSSEN_SECRET"), "from-file\n");
        assertThat(Secrets.byName("JANSSEN_SECRET", Map.of("JANSSEN_SECRET", "from-env")::get, Optional.of(dir))).contains("from-env");
        assertThat(Secrets.byName("JANSSEN_SECRET", name -> null, Optional.of(dir))).contains("from-file");
        assertThat(Secrets.byName("OTHER", name -> null, Optional.of(dir))).isEmpty();
        assertThat(Secrets.byName("JANSSEN_SECRET", name -> null, Optional.empty())).isEmpty();
    }

    @Test
    void neverReadsAConfigurationKeyEvenOneNamedLikeAVariable() {
        System.setProperty("JITSIOPS_TEST_CONFIG_ONLY", "db-password");
        System.setProperty("quarkus.datasource.password", "db-password");
        try {
            assertThat(ConfigProvider.getConfig().getOptionalValue("JITSIOPS_TEST_CONFIG_ONLY", String.class)).contains("db-password");
            assertThat(Secrets.byName("JITSIOPS_TEST_CONFIG_ONLY")).isEmpty();
            assertThat(Secrets.byName("quarkus.datasource.password")).isEmpty();
            assertThat(Secrets.howToSet("quarkus.datasource.password")).startsWith("'quarkus.datasource.password' is not an environment variable name");
        } finally {
            System.clearProperty("JITSIOPS_TEST_CONFIG_ONLY");
            System.clearProperty("quarkus.datasource.password");
        }
    }

    @Test
    void aNameThatIsNotAVariableNameNeverReachesTheFileSystem() throws Exception {
        Files.writeString(dir.resolve("inside"), "x");
        Path sub = Files.createDirectories(dir.resolve("sub"));
        assertThat(Secrets.byName("../inside", name -> null, Optional.of(sub))).isEmpty();
        assertThat(Secrets.byName("quarkus.datasource.password", name -> "leaked", Optional.of(dir))).isEmpty();
    }
}
