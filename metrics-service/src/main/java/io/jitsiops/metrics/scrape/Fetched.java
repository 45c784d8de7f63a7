package io.jitsiops.metrics.scrape;

/** A whole HTTP answer of a target, read within the size limit. */
public record Fetched(int status, String contentType, String body, long elapsedMillis) {
    public boolean ok() {
        return status >= 200 && status < 300;
    }
}
