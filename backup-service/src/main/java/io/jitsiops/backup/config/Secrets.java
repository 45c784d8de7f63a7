package io.jitsiops.backup.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Resolves a secret by the variable name the deployment description gives: the environment variable of that
 * name, or else a file of that name in the secrets folder ({@code jitsiops.secrets.dir}, env
 * {@code JITSIOPS_SECRETS_DIR}; a Kubernetes secret volume: one file per key, trailing newline ignored). Never a
 * configuration key, so a description naming {@code quarkus.datasource.password} cannot make this service hand its
 * own database password to S3. Only variable names ({@code [A-Za-z_][A-Za-z0-9_]*}) are accepted, which also keeps
 * file lookups inside the folder. Values are never logged.
 */
public final class Secrets {
    public static final String DIR_KEY = "jitsiops.secrets.dir";
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private Secrets() {
    }

    public static Optional<String> byName(String name) {
        if (name == null || !VARIABLE.matcher(name).matches()) {
            return Optional.empty();
        }
        String env = System.getenv(name);
        if (env != null && !env.isEmpty()) {
            return Optional.of(env);
        }
        return ConfigProvider.getConfig().getOptionalValue(DIR_KEY, String.class).filter(d -> !d.isBlank())
                .map(d -> Path.of(d).resolve(name)).filter(Files::isRegularFile).map(Secrets::read).filter(v -> !v.isEmpty());
    }

    /** Says how to provide a secret that {@link #byName} did not find. */
    public static String howToSet(String name) {
        return "set the environment variable " + name + " or put a file " + name + " in " + DIR_KEY;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the secret file " + file.getFileName(), e);
        }
    }
}
