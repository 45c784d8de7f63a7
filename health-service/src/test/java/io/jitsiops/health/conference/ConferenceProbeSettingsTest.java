package io.jitsiops.health.conference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.jitsiops.deployment.DeploymentDescription;
import io.jitsiops.health.config.HealthConfig;
import io.jitsiops.health.config.HealthConfig.ConferenceProbe.Auth;

class ConferenceProbeSettingsTest {

    @Test
    void followsJitsiMeetsDefaultsFromTheXmppDomainAndTheFirstProsody() {
        ConferenceProbeSettings s = ConferenceProbeSettings.of(deployment("meet.example.com"), config(Auth.anonymous,
                Optional.empty(), Optional.empty())).orElseThrow();
        assertThat(s.target()).isEqualTo("prosody-1");
        assertThat(s.boshUri()).hasToString("https://meet.example.com/http-bind");
        assertThat(s.mucDomain()).isEqualTo("conference.meet.example.com");
        assertThat(s.focusJid()).isEqualTo("focus.meet.example.com");
        assertThat(s.focusUserJid()).isEqualTo("focus@auth.meet.example.com");
        assertThat(s.loginDomain()).isEqualTo("meet.example.com");
    }

    @Test
    void isOffWithoutAnXmppDomainInTheDeploymentDescription() {
        assertThat(ConferenceProbeSettings.of(deployment(null), config(Auth.anonymous, Optional.empty(),
                Optional.empty()))).isEmpty();
    }

    @Test
    void passwordLoginWithoutAUserNameStopsStartUpNamingTheKey() {
        assertThatThrownBy(() -> ConferenceProbeSettings.of(deployment("meet.example.com"),
                config(Auth.password, Optional.empty(), Optional.of("PROBE_PASSWORD"))))
                .hasMessage("jitsiops.health.conference-probe.username: required with "
                        + "jitsiops.health.conference-probe.auth=password");
    }

    @Test
    void tokenLoginWithoutAnAppIdStopsStartUpNamingTheKey() {
        assertThatThrownBy(() -> ConferenceProbeSettings.of(deployment("meet.example.com"),
                config(Auth.token, Optional.empty(), Optional.empty())))
                .hasMessageStartingWith("jitsiops.health.conference-probe.token-app-id: required");
    }

    @Test
    void probeRoomsCarryTheReservedPrefixAndAreUniquePerRun() {
        assertThat(ConferenceProbeRun.ROOM_PREFIX).isEqualTo("__jitsi-ops-probe-");
        assertThat(ProbeStep.BRIDGE_ALLOCATED.latencyKey()).isEqualTo("step.bridge_allocated_ms");
        assertThat(ProbeStep.CONFERENCE_REQUEST.number()).isEqualTo(4);
    }

    private static DeploymentDescription deployment(String domain) {
        DeploymentDescription.Target prosody = new DeploymentDescription.Target("prosody-1", "https://meet.example.com/",
                null, null, null, null, null, null);
        return new DeploymentDescription("test", new DeploymentDescription.Jitsi(domain, List.of(prosody), List.of(),
                List.of(), List.of()), List.of(), List.of(), null, List.of());
    }

    private static HealthConfig.ConferenceProbe config(Auth auth, Optional<String> username, Optional<String> passwordEnv) {
        return new HealthConfig.ConferenceProbe() {
            public boolean enabled() { return true; }
            public Duration interval() { return Duration.ofSeconds(60); }
            public Duration timeout() { return Duration.ofSeconds(30); }
            public Duration stepTimeout() { return Duration.ofSeconds(5); }
            public Duration bridgeTimeout() { return Duration.ofSeconds(10); }
            public Duration degradedLatency() { return Duration.ofSeconds(5); }
            public Optional<String> mucDomain() { return Optional.empty(); }
            public Optional<String> focusJid() { return Optional.empty(); }
            public Optional<String> focusUserJid() { return Optional.empty(); }
            public Optional<String> conferenceRequestUrl() { return Optional.empty(); }
            public Auth auth() { return auth; }
            public Optional<String> loginDomain() { return Optional.empty(); }
            public Optional<String> username() { return username; }
            public Optional<String> passwordEnv() { return passwordEnv; }
            public Optional<String> tokenAppId() { return Optional.empty(); }
            public Optional<String> tokenSecretEnv() { return Optional.empty(); }
            public String tokenAudience() { return "jitsi"; }
        };
    }
}
