package io.jitsiops.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.jitsiops.health.probe.CheckStatus;
import io.jitsiops.health.config.HealthConfig;
import io.jitsiops.health.probe.AboutHealthProbe;
import io.jitsiops.health.probe.CheckKey;
import io.jitsiops.health.probe.HttpProber;
import io.jitsiops.health.probe.ProbeSettings;
import io.jitsiops.health.service.CheckState;
import io.jitsiops.health.service.ProbeScheduler;
import io.jitsiops.testkit.JitsiOpsTestResource;
import io.jitsiops.testkit.server.Ports;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** What the network and TLS can do to a probe: each ends as DOWN (or DEGRADED) with an error that says what. */
@QuarkusTest
@QuarkusTestResource(JitsiOpsTestResource.class)
@QuarkusTestResource(TlsAndBrokenTargetsResource.class)
class BrokenTargetsTest {
    @Inject
    ProbeScheduler scheduler;
    @Inject
    HttpProber http;
    @Inject
    HealthConfig config;

    @ConfigProperty(name = "test.tls.soon.url")
    String soon;
    @ConfigProperty(name = "test.tls.expired.url")
    String expired;
    @ConfigProperty(name = "test.redirect-loop.url")
    String redirectLoop;

    @Test
    void aCertificateThatExpiresSoonIsDegradedWithItsDaysLeft() {
        CheckState s = probe("soon", soon);
        assertThat(s.status()).as(s.lastOutcome().error()).isEqualTo(CheckStatus.DEGRADED);
        assertThat(s.lastOutcome().error()).isEqualTo("TLS certificate expires in 4 days");
        assertThat(s.lastOutcome().measurements().get("tls.cert_days_to_expiry")).isBetween(4.0, 5.0);
    }

    @Test
    void anExpiredCertificateIsDownWithATlsError() {
        CheckState s = probe("expired", expired);
        assertThat(s.status()).isEqualTo(CheckStatus.DOWN);
        assertThat(s.lastOutcome().error()).startsWith("TLS: ");
    }

    @Test
    void aRedirectLoopIsDown() {
        CheckState s = probe("loop", redirectLoop);
        assertThat(s.status()).isEqualTo(CheckStatus.DOWN);
        assertThat(s.lastOutcome().error()).containsAnyOf("redirect loop", "HTTP 302");
    }

    @Test
    void aHostThatDoesNotResolveIsDown() {
        CheckState s = probe("dns", "http://no-such-host.invalid/about/health");
        assertThat(s.status()).isEqualTo(CheckStatus.DOWN);
        assertThat(s.lastOutcome().error()).isEqualTo("DNS: cannot resolve the host");
    }

    @Test
    void aPortNobodyListensOnIsDown() {
        CheckState s = probe("refused", "http://127.0.0.1:" + Ports.free() + "/about/health");
        assertThat(s.status()).isEqualTo(CheckStatus.DOWN);
        assertThat(s.lastOutcome().error()).isEqualTo("connection refused");
    }

    private CheckState probe(String name, String url) {
        AboutHealthProbe probe = new AboutHealthProbe(new CheckKey("web", name, "site"), URI.create(url),
                new ProbeSettings(Duration.ofSeconds(60), Duration.ofSeconds(2), 0, 200), http, config);
        return scheduler.execute(probe).await().atMost(Duration.ofSeconds(20));
    }
}
