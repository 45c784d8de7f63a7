package io.jitsiops.health.conference;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import io.jitsiops.deployment.DeploymentDescription;
import io.jitsiops.health.config.HealthConfig;
import io.jitsiops.health.config.HealthConfig.ConferenceProbe.Auth;

/**
 * The conference probe's settings: the deployment description's XMPP domain and first prosody, completed with
 * {@code jitsiops.health.conference-probe.*} and jitsi-meet's defaults. Inconsistent settings stop the service at
 * start-up naming the key.
 *
 * @param target the prosody target the probe goes through (the result's target)
 */
public record ConferenceProbeSettings(String target, URI boshUri, String xmppDomain, String loginDomain,
                                      String mucDomain, String focusJid, String focusUserJid,
                                      Optional<URI> conferenceRequestUrl, Auth auth, Optional<String> username,
                                      Optional<String> passwordEnv, Optional<String> tokenAppId,
                                      Optional<String> tokenSecretEnv, String tokenAudience, Duration interval,
                                      Duration timeout, Duration stepTimeout, Duration bridgeTimeout,
                                      Duration degradedLatency) {
    static final String PREFIX = "jitsiops.health.conference-probe.";

    /** Empty when the probe is off or the deployment describes no XMPP domain or prosody. */
    public static Optional<ConferenceProbeSettings> of(DeploymentDescription deployment, HealthConfig.ConferenceProbe c) {
        DeploymentDescription.Jitsi jitsi = deployment.jitsi();
        if (!c.enabled() || jitsi == null || jitsi.xmppDomain() == null || jitsi.xmppDomain().isBlank()
                || jitsi.prosody().isEmpty()) {
            return Optional.empty();
        }
        DeploymentDescription.Target prosody = jitsi.prosody().get(0);
        String domain = jitsi.xmppDomain();
        String base = prosody.url().endsWith("/") ? prosody.url().substring(0, prosody.url().length() - 1) : prosody.url();
        if (c.auth() == Auth.password && (c.username().isEmpty() || c.passwordEnv().isEmpty())) {
            throw new IllegalStateException(PREFIX + (c.username().isEmpty() ? "username" : "password-env")
                    + ": required with " + PREFIX + "auth=password");
        }
        if (c.auth() == Auth.token && (c.tokenAppId().isEmpty() || c.tokenSecretEnv().isEmpty())) {
            throw new IllegalStateException(PREFIX + (c.tokenAppId().isEmpty() ? "token-app-id" : "token-secret-env")
                    + ": required with " + PREFIX + "auth=token");
        }
        Optional<URI> requestUrl = c.conferenceRequestUrl().map(u -> {
            URI uri = URI.create(u);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw new IllegalStateException(PREFIX + "conference-request-url: must be an absolute http(s) URL, got '"
                        + u + "'");
            }
            return uri;
        });
        if (c.timeout().compareTo(c.stepTimeout().multipliedBy(2).plus(c.bridgeTimeout())) < 0) {
            throw new IllegalStateException(PREFIX + "timeout: must be at least 2 × step-timeout + bridge-timeout ("
                    + c.stepTimeout().multipliedBy(2).plus(c.bridgeTimeout()) + "), got " + c.timeout());
        }
        return Optional.of(new ConferenceProbeSettings(prosody.name(), URI.create(base + "/http-bind"), domain,
                c.loginDomain().orElse(domain), c.mucDomain().orElse("conference." + domain),
                c.focusJid().orElse("focus." + domain), c.focusUserJid().orElse("focus@auth." + domain), requestUrl,
                c.auth(), c.username(), c.passwordEnv(), c.tokenAppId(), c.tokenSecretEnv(), c.tokenAudience(),
                c.interval(), c.timeout(), c.stepTimeout(), c.bridgeTimeout(), c.degradedLatency()));
    }
}
