package io.jitsiops.sim.service;

import java.time.Duration;
import java.util.List;

import io.smallrye.config.ConfigMapping;

@ConfigMapping(prefix = "jitsisim")
public interface SimConfig {
    /** Public base URL; the Janssen issuer is {@code baseUrl + "/janssen"}. */
    String baseUrl();

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
