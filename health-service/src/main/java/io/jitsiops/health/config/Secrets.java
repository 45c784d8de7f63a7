package io.jitsiops.health.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Resolves a secret by the variable name the deployment description gives: the environment variable of that
 * name, or else a file of that name in the secrets folder ({@code jitsiops.secrets.dir}, env
 * {@code JITSIOPS_SECRETS_DIR}; a Kubernetes secret volume: one file per key, trailing newline ignored).
 * Nothing else: a name is never looked up as a configuration key, so a deployment file naming
 * {@code quarkus.datasource.password} cannot make this service send its own database password to an IdP.
 * Only names an environment variable can have ({@code [A-Za-z_][A-Za-z0-9_]*}) are accepted, which also keeps
 * file lookups inside the folder. Values are never logged. Reading a file blocks: call from a worker thread.
 */
public final class Secrets {
    /** The configuration key of the secrets folder. */
    public static final String DIR_KEY = "jitsiops.secrets.dir";
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private Secrets() {
    }

    public static Optional<String> byName(String name) {
        return byName(name, System::getenv,
                ConfigProvider.getConfig().getOptionalValue(DIR_KEY, String.class).filter(d -> !d.isBlank()).map(Path::of));
    }

    static Optional<String> byName(String name, Function<String, String> environment, Optional<Path> dir) {
        if (!isVariableName(name)) {
            return Optional.empty();
        }
        String env = environment.apply(name);
        if (env != null && !env.isEmpty()) {
            return Optional.of(env);
        }
        return dir.map(d -> d.resolve(name)).filter(Files::isRegularFile).map(Secrets::read).filter(v -> !v.isEmpty());
    }

    public static boolean isVariableName(String name) {
        return name != null && VARIABLE.matcher(name).matches();
    }

    /** Says how to provide a secret that {@link #byName} did not find. */
    public static String howToSet(String name) {
        if (!isVariableName(name)) {
            return "'" + name + "' is not an environment variable name (secrets are read only from environment "
                    + "variables or files in " + DIR_KEY + ")";
        }
        return "set the environment variable " + name + " or put a file " + name + " in " + DIR_KEY;
    }

    private static String read(Path file) {
        try {
            String value = Files.readString(file, StandardCharsets.UTF_8);
            return value.endsWith("\r\n") ? value.substring(0, value.length() - 2)
                    : value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read secret file " + file.getFileName(), e);
        }
    }
}
