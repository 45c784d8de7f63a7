package io.jitsiops.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.jitsiops.health.probe.CheckStatus;
import io.jitsiops.health.config.HealthConfig;
import io.jitsiops.health.probe.CheckKey;
import io.jitsiops.health.probe.HttpProber;
import io.jitsiops.health.probe.ProbeSettings;
import io.jitsiops.health.probe.ProsodyBoshProbe;
import io.jitsiops.health.probe.ProsodyWebsocketProbe;
import io.jitsiops.health.service.CheckState;
import io.jitsiops.health.service.ProbeScheduler;
import io.jitsiops.testkit.JitsiOpsTestResource;
import io.jitsiops.testkit.LocalServers;
import io.jitsiops.testkit.server.ProsodyServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The BOSH check against a real prosody 0.12 (Debian's), not only the simulator. */
@QuarkusTest
@QuarkusTestResource(JitsiOpsTestResource.class)
class RealProsodyTest {
    @Inject
    ProbeScheduler scheduler;
    @Inject
    HttpProber http;
    @Inject
    HealthConfig config;

    @Test
    void opensARealBoshSessionWithStreamFeatures() {
        ProsodyServer prosody = LocalServers.prosody();
        CheckState s = probe(prosody, prosody.domain());
        assertThat(s.status()).as(s.lastOutcome().error()).isEqualTo(CheckStatus.UP);
        assertThat(s.lastOutcome().measurements()).containsKey("bosh.session_ms");
    }

    @Test
    void aDomainProsodyDoesNotServeIsDownWithTheConditionProsodyGives() {
        CheckState s = probe(LocalServers.prosody(), "not-served.example");
        assertThat(s.status()).isEqualTo(CheckStatus.DOWN);
        assertThat(s.lastOutcome().error()).startsWith("BOSH session refused: ");
    }

    @Test
    void opensARealXmppStreamOverWebsocketWithTheStreamFeatures() {
        ProsodyServer prosody = LocalServers.prosody();
        CheckState s = websocket(prosody, URI.create(prosody.httpUrl() + "/xmpp-websocket"), prosody.domain());
        assertThat(s.status()).as(s.lastOutcome().error()).isEqualTo(CheckStatus.UP);
        assertThat(s.lastOutcome().measurements()).containsKey("websocket.upgrade_ms");
    }

    @Test
    void aWebsocketStreamToADomainProsodyDoesNotServeIsDownWithProsodysStreamError() {
        ProsodyServer prosody = LocalServers.prosody();
        CheckState s = websocket(prosody, URI.create(prosody.httpUrl() + "/xmpp-websocket"), "not-served.example");
        assertThat(s.status()).isEqualTo(CheckStatus.DOWN);
        assertThat(s.lastOutcome().error()).startsWith("XMPP stream refused: ");
    }

    @Test
    void aPathThatIsNoWebsocketEndpointIsDownNamingTheRefusedUpgrade() {
        ProsodyServer prosody = LocalServers.prosody();
        CheckState s = websocket(prosody, URI.create(prosody.httpUrl() + "/http-bind"), prosody.domain());
        assertThat(s.status()).isEqualTo(CheckStatus.DOWN);
        assertThat(s.lastOutcome().error()).startsWith("WebSocket upgrade refused: HTTP ");
    }

    private CheckState websocket(ProsodyServer prosody, URI uri, String domain) {
        ProsodyWebsocketProbe probe = new ProsodyWebsocketProbe(new CheckKey("prosody", "real-prosody-" + domain,
                "websocket-session"), uri, domain, new ProbeSettings(Duration.ofSeconds(60), Duration.ofSeconds(5), 0, 200),
                http, config);
        return scheduler.execute(probe).await().atMost(Duration.ofSeconds(20));
    }

    private CheckState probe(ProsodyServer prosody, String domain) {
        ProsodyBoshProbe probe = new ProsodyBoshProbe(new CheckKey("prosody", "real-prosody", "bosh-session"),
                URI.create(prosody.httpUrl() + "/http-bind"), domain,
                new ProbeSettings(Duration.ofSeconds(60), Duration.ofSeconds(5), 0, 200), http, config);
        return scheduler.execute(probe).await().atMost(Duration.ofSeconds(20));
    }
}
