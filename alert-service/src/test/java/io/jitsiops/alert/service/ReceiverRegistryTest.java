package io.jitsiops.alert.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.jitsiops.alert.config.AlertConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.core.Vertx;

/** A receiver without what its type needs stops the start-up, naming the key; the secret never in the message. */
class ReceiverRegistryTest {
    static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.close();
    }

    static AlertConfig config(Map<String, String> receiver) {
        Map<String, String> p = new HashMap<>(Map.of("jitsiops.alert.migration.jdbc-url", "jdbc:postgresql://127.0.0.1:1/x"));
        receiver.forEach((k, v) -> p.put("jitsiops.alert.receivers.room." + k, v));
        // Quarkus's converter reads the "4h" and "30d" of the mapping's defaults
        return new SmallRyeConfigBuilder().withMapping(AlertConfig.class).withSources(new PropertiesConfigSource(p, "test", 100))
                .withConverter(Duration.class, 100, new DurationConverter()).build().getConfigMapping(AlertConfig.class);
    }

    @Test
    void aMatrixReceiverWithARoomAliasInsteadOfItsIdIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> new ReceiverRegistry(config(Map.of("type", "matrix", "url", "https://matrix.example.org",
                "access-token", "syt_secret-token", "room-id", "#alerts:example.org")), null, vertx))
                .hasMessageContaining("jitsiops.alert.receivers.room.room-id").hasMessageContaining("#alerts:example.org")
                .hasMessageNotContaining("syt_secret-token");
    }

    @Test
    void aMatrixReceiverWithoutItsAccessTokenIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> new ReceiverRegistry(config(Map.of("type", "matrix", "url", "https://matrix.example.org",
                "room-id", "!abc:example.org")), null, vertx)).hasMessageContaining("jitsiops.alert.receivers.room.access-token");
    }

    @Test
    void aMatrixReceiverWithAHomeserverTokenAndRoomIdIsBuilt() {
        ReceiverRegistry registry = new ReceiverRegistry(config(Map.of("type", "matrix", "url", "https://matrix.example.org",
                "access-token", "syt_secret-token", "room-id", "!abc:example.org")), null, vertx);
        assertThat(registry.queues().get("room").receiver().type()).isEqualTo("matrix");
    }
}
