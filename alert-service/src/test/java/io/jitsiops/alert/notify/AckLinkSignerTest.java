package io.jitsiops.alert.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.jitsiops.alert.config.Secret;

class AckLinkSignerTest {
    final AckLinkSigner signer = new AckLinkSigner(Secret.of("k3y"));
    final Instant now = Instant.parse("2026-11-29T08:00:00Z");

    @Test
    void acceptsItsOwnLinkUntilItExpiresAndNothingElse() {
        String link = signer.link("http://ops", "abc", now.plusSeconds(60));
        String query = URI.create(link).getQuery();
        long expires = Long.parseLong(query.replaceAll(".*expires=(\\d+).*", "$1"));
        String sig = query.replaceAll(".*sig=([^&]+).*", "$1");
        assertThat(link).startsWith("http://ops/api/alerts/abc/ack-link?").doesNotContain("k3y");
        assertThat(signer.valid("abc", expires, sig, now)).isTrue();
        assertThat(signer.valid("abd", expires, sig, now)).isFalse();
        assertThat(signer.valid("abc", expires + 1, sig, now)).isFalse();
        assertThat(signer.valid("abc", expires, sig, now.plusSeconds(61))).isFalse();
        assertThat(new AckLinkSigner(Secret.of("other")).valid("abc", expires, sig, now)).isFalse();
    }

    @Test
    void aSecretShowsAsAMask() throws Exception {
        Secret s = Secret.of("hunter2");
        assertThat(s.toString()).isEqualTo("<secret>");
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(java.util.Map.of("k", s)))
                .doesNotContain("hunter2");
    }
}
