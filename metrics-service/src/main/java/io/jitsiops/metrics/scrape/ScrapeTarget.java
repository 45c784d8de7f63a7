package io.jitsiops.metrics.scrape;

import java.time.Duration;

/**
 * One component the service scrapes.
 *
 * @param component       jvb, jicofo, prosody or web (nginx)
 * @param url             base URL from the deployment description (no trailing slash)
 * @param statsInterval   how often server statistics are read
 * @param qualityInterval how often per-conference quality is read (JVB only)
 */
public record ScrapeTarget(String component, String name, String url, Duration statsInterval, Duration qualityInterval,
                           Duration timeout) {
    public ScrapeTarget {
        url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    public String key() {
        return component + "/" + name;
    }
}
