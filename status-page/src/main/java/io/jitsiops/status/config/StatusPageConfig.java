package io.jitsiops.status.config;

import java.net.URI;
import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Where the status page finds the other services' read APIs. Defaults are the local stack's ports; in Kubernetes
 * set them to the Services' names ({@code JITSIOPS_STATUS_PAGE_ALERT_SERVICE=http://alert-service:8080}, …).
 */
@ConfigMapping(prefix = "jitsiops.status-page")
public interface StatusPageConfig {

    /** alert-service: the active alerts panel. */
    @WithDefault("http://127.0.0.1:18105")
    URI alertService();

    /** metrics-service: the per-conference quality panel. */
    @WithDefault("http://127.0.0.1:18102")
    URI metricsService();

    /** log-service: the last hour's log findings. */
    @WithDefault("http://127.0.0.1:18103")
    URI logService();

    /** backup-service: the last backups, their verification and the RPO. */
    @WithDefault("http://127.0.0.1:18104")
    URI backupService();

    /**
     * How long a panel waits for its service. Short: the page must say "unreachable" quickly instead of
     * hanging, and the browser polls again anyway.
     */
    @WithDefault("2s")
    Duration timeout();

    /** backup-service's restores, newest first, for the restores panel (how many). */
    @WithDefault("10")
    int restoresShown();

    /** Signing in on the page (authorization code + PKCE in the browser) to acknowledge and silence alerts. */
    SignIn signIn();

    /**
     * What the browser needs to sign in: all public (a public client has no secret). The page asks for it at
     * {@code GET /status/api/config}.
     */
    interface SignIn {
        /**
         * The OIDC issuer as the operator's BROWSER reaches it (in a cluster, the public URL, not the Service name).
         * health-service sets it to its own {@code quarkus.oidc.auth-server-url} unless
         * {@code JITSIOPS_STATUS_PAGE_ISSUER} says otherwise.
         */
        @WithDefault("http://127.0.0.1:18080/janssen")
        String issuer();

        /** The public client registered in Janssen for the page (redirect URI: {@code <page origin>/status/}). */
        @WithDefault("jitsi-ops-status-page")
        String clientId();

        @WithDefault("openid profile")
        String scope();

        /** Janssen's authorization endpoint; unset: {@code <issuer>/jans-auth/restv1/authorize} (Janssen's layout). */
        java.util.Optional<String> authorizationEndpoint();

        /** Janssen's token endpoint; unset: {@code <issuer>/jans-auth/restv1/token}. */
        java.util.Optional<String> tokenEndpoint();
    }
}
