package io.jitsiops.alert.config;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/** The service's configuration mapping built from the given keys, without starting Quarkus: for start-up checks. */
public final class AlertConfigs {
    private AlertConfigs() {
    }

    public static AlertConfig of(Map<String, String> keys) {
        Map<String, String> p = new HashMap<>(Map.of("jitsiops.alert.migration.jdbc-url", "jdbc:postgresql://127.0.0.1:1/x"));
        p.putAll(keys);
        // Quarkus's converter reads the "4h" and "30d" of the mapping's defaults
        return new SmallRyeConfigBuilder().withMapping(AlertConfig.class).withSources(new PropertiesConfigSource(p, "test", 100))
                .withConverter(Duration.class, 100, new DurationConverter()).build().getConfigMapping(AlertConfig.class);
    }
}
