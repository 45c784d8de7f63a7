package io.jitsiops.health.conference;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;

class RoomTokensTest {

    @Test
    void mintsAnHs256RoomTokenForTheProbeRoomAsJitsiTokenAuthExpectsIt() throws Exception {
        String token = RoomTokens.mint("my-app", "app-secret", "jitsi", "meet.example.com", "__jitsi-ops-probe-x");

        JwtClaims claims = new JwtConsumerBuilder()
                .setVerificationKey(new HmacKey("app-secret".getBytes(StandardCharsets.UTF_8)))
                .setRelaxVerificationKeyValidation().setExpectedIssuer("my-app").setExpectedAudience("jitsi")
                .setRequireExpirationTime().build().processToClaims(token);
        assertThat(claims.getSubject()).isEqualTo("meet.example.com");
        assertThat(claims.getClaimValueAsString("room")).isEqualTo("__jitsi-ops-probe-x");
        assertThat(claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue())
                .isEqualTo(RoomTokens.LIFETIME_SECONDS);
        @SuppressWarnings("unchecked")
        Map<String, Object> user = (Map<String, Object>) ((Map<String, Object>) claims.getClaimValue("context")).get("user");
        assertThat(user).containsEntry("id", "jitsi-ops-probe");
    }
}
