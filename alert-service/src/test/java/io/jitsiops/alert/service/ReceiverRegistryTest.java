package io.jitsiops.alert.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.jitsiops.alert.config.AlertConfig;
import io.jitsiops.alert.config.AlertConfigs;
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
        Map<String, String> p = new HashMap<>();
        receiver.forEach((k, v) -> p.put("jitsiops.alert.receivers.room." + k, v));
        return AlertConfigs.of(p);
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
