package io.jitsiops.sim.service;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;

@ConfigMapping(prefix = "jitsisim")
public interface SimConfig {
    /** Public base URL; the Janssen issuer is {@code baseUrl + "/janssen"}. Unset: from each request's Host. */
    Optional<String> baseUrl();

    /** The base URL that {@code uriInfo}'s request reached, unless one is configured. */
    default String baseUrl(jakarta.ws.rs.core.UriInfo uriInfo) {
        return baseUrl().orElseGet(() -> {
            java.net.URI u = uriInfo.getBaseUri();
            return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
        });
    }

    String logDir();

    List<String> bridges();

    int conferencesPerBridge();

    String xmppDomain();

    /**
     * Every n-th participant to join a conference (the 3rd, 6th, …, counted per conference) has its camera off: the
     * 3rd, 9th, … turn it off 10 s after joining, the 6th, 12th, … join with it off; 0: every camera on. Default 3:
     * about a third of the participants, so that an ordinary conference of three or more always has a camera-off
     * participant next to its video senders. Deterministic: the join order decides, not chance. See
     * {@link SimEndpoint.Camera} for what the bridge shows of such a participant.
     */
    @io.smallrye.config.WithDefault("3")
    int cameraOffEvery();

    /**
     * Rooms (the MUC room's local part, as in {@code POST /admin/conferences}) in which every participant has the
     * camera off: an audio-only call, a webinar whose attendees join with {@code startWithVideoMuted}. Nobody sends
     * video there. Default none (see application.properties); the simulator's own tests name {@code room-jvb-1-2},
     * the second start-up conference of the first bridge.
     */
    Optional<List<String>> audioOnlyRooms();

    Duration logInterval();

    Janssen janssen();

    /**
     * Bridges whose REST stats API ({@code /colibri/stats}) is on, as with {@code videobridge.apis.rest.enabled = true};
     * JVB ships with it off, and then answers 404. Default: none.
     */
    Optional<List<String>> restApiBridges();

    /** The version bridges report ({@code version} in /colibri/stats); a JVB 2.3 build of 2025. */
    @io.smallrye.config.WithDefault("2.3.215-gbee626bf")
    String jvbVersion();

    /** The version jicofo reports in /stats. */
    @io.smallrye.config.WithDefault("1.0.832")
    String jicofoVersion();

    /** videobridge.stats.interval: how often a bridge recomputes its periodic metrics (JVB default 5 s). */
    @io.smallrye.config.WithDefault("5s")
    Duration statsInterval();

    /** videobridge.health.interval (JVB default 1 min); admin API changes re-check at once. */
    @io.smallrye.config.WithDefault("60s")
    Duration jvbHealthInterval();

    /** jicofo.health.interval (jicofo default 10 s); admin API changes re-check at once. */
    @io.smallrye.config.WithDefault("10s")
    Duration jicofoHealthInterval();

    /** The JUL level of the simulated JVB and jicofo logs; both ship with INFO, so health chatter (FINE) is off. */
    @io.smallrye.config.WithDefault("INFO")
    String jitsiLogLevel();

    /**
     * First of the ports the own listeners take (bridges in order, then jicofo, then the web front), so that a
     * REFUSED fault can really close a port; 0 picks free ports. Their URLs: {@code GET /admin/jitsi/ports}.
     */
    @io.smallrye.config.WithDefault("0")
    int ownPortBase();

    /**
     * Where the web front serves nginx's {@code stub_status} page under {@code /web} (the deployment's
     * {@code location /nginx_status { stub_status; }}); default {@code /nginx_status}.
     */
    @io.smallrye.config.WithDefault("/nginx_status")
    String nginxStatusPath();

    interface Janssen {
        String clientId();

        String clientSecret();

        /**
         * People who can sign in on the login page ({@code jitsisim.janssen.users.<name>.password},
         * {@code .roles}): the roles land in the {@code role} claim of the tokens the authorization-code flow issues.
         */
        java.util.Map<String, User> users();

        /** The status page's public client (authorization code + PKCE, no secret). */
        PublicClient statusPage();
    }

    interface User {
        String password();

        /** Roles, e.g. jitsi-ops-operator; none for a user who may only read. */
        Optional<List<String>> roles();
    }

    interface PublicClient {
        @io.smallrye.config.WithDefault("jitsi-ops-status-page")
        String clientId();

        /** Redirect URIs registered for the client; /authorize accepts exactly these. */
        List<String> redirectUris();

        /**
         * Janssen's {@code authorizedOrigins} of the client: origins its CorsFilter lets call the token endpoint
         * from a browser. Unset: the origins of the redirect URIs.
         */
        Optional<List<String>> authorizedOrigins();

        /**
         * {@code aud} of the access tokens this client gets. Janssen sets it to the client id unless an update-token
         * script changes it; jitsi-ops' services require their own audience, so the deployment adds it.
         */
        @io.smallrye.config.WithDefault("jitsi-ops")
        String accessTokenAudience();
    }
}
