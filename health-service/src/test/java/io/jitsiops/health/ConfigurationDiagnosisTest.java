package io.jitsiops.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.jitsiops.health.config.HealthConfig;
import io.jitsiops.health.probe.AboutHealthProbe;
import io.jitsiops.health.probe.CheckKey;
import io.jitsiops.health.probe.CheckStatus;
import io.jitsiops.health.probe.HttpProber;
import io.jitsiops.health.probe.ProbeSettings;
import io.jitsiops.health.service.CheckState;
import io.jitsiops.health.service.ProbeScheduler;
import io.jitsiops.testkit.JitsiOpsTestResource;
import io.jitsiops.testkit.server.Ports;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Findings that name the setting to change: a JVB or jicofo REST interface out of reach (both listen on loopback by
 * default, or their host name resolves only inside the Jitsi containers' network), and jicofo's health checks turned
 * off (its default). The SCIM scope finding is in JanssenChecksTest, the
 * JVB REST stats API one in HealthChecksTest's colibri-stats cases.
 */
@QuarkusTest
@QuarkusTestResource(JitsiOpsTestResource.class)
class ConfigurationDiagnosisTest {
    @Inject
    ProbeScheduler scheduler;
    @Inject
    HttpProber http;
    @Inject
    HealthConfig config;

    @Test
    void aBridgeHealthEndpointNothingListensOnNamesThePrivateHostSetting() {
        CheckState s = probe("jvb", "http://127.0.0.1:" + Ports.free() + "/about/health");
        assertThat(s.status()).isEqualTo(CheckStatus.DOWN);
        assertThat(s.lastOutcome().error()).startsWith("connection refused — JVB's health endpoint is unreachable from "
                + "where jitsi-ops runs").contains("videobridge.http-servers.private.host");
    }

    @Test
    void aBridgeNamedAsOnlyTheJitsiContainersNetworkKnowsItNamesTheUrlToChange() {
        CheckState s = probe("jvb", "http://jvb.jitsi-internal.invalid:8080/about/health");
        assertThat(s.status()).isEqualTo(CheckStatus.DOWN);
        assertThat(s.lastOutcome().error()).isEqualTo("DNS: cannot resolve the host — JVB's health endpoint is "
                + "unreachable from where jitsi-ops runs: its host name 'jvb.jitsi-internal.invalid' does not resolve here (a "
                + "name only the Jitsi containers' network knows?); set the url of jvb '" + s.key().target() + "' in the "
                + "deployment description to a name or address this host resolves and reaches");
    }

    @Test
    void aJicofoRestInterfaceNothingListensOnNamesTheRestHostSetting() {
        CheckState s = probe("jicofo", "http://127.0.0.1:" + Ports.free() + "/about/health");
        assertThat(s.lastOutcome().error()).contains("jicofo.rest.host").contains("jicofo.rest.enabled");
    }

    @Test
    void aJicofoWithoutHealthChecksAnswering404NamesTheHealthSetting() {
        CheckState s = probe("jicofo", SimulatorFaults.url() + "/jicofo/about/no-such-route");
        assertThat(s.status()).isEqualTo(CheckStatus.DOWN);
        assertThat(s.lastOutcome().error()).startsWith("HTTP 404 from /jicofo/about/no-such-route — jicofo's health "
                + "checks are off (jicofo.health.enabled is false by default)");
    }

    private CheckState probe(String component, String url) {
        AboutHealthProbe probe = new AboutHealthProbe(new CheckKey(component, "diagnosis-" + component + "-" + url.hashCode(),
                "about-health"), URI.create(url), new ProbeSettings(Duration.ofSeconds(60), Duration.ofSeconds(2), 0, 200),
                http, config);
        return scheduler.execute(probe).await().atMost(Duration.ofSeconds(10));
    }
}
