package io.jitsiops.backup.config;

import java.util.Optional;

import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Resolves a secret by the name the deployment description gives (an environment variable, or the same key
 * as configuration, which is how tests pass it). Values are never logged.
 */
public final class Secrets {
    private Secrets() {
    }

    public static Optional<String> byName(String name) {
        if (name == null || name.isBlank()) {
            return Optional.empty();
        }
        String env = System.getenv(name);
        if (env != null && !env.isEmpty()) {
            return Optional.of(env);
        }
        return ConfigProvider.getConfig().getOptionalValue(name, String.class).filter(v -> !v.isEmpty());
    }
}
