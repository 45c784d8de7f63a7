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
}
