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

    Duration logInterval();

    Janssen janssen();

    interface Janssen {
        String clientId();

        String clientSecret();
    }
}
