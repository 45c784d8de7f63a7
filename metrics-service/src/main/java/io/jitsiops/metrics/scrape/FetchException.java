package io.jitsiops.metrics.scrape;

/** A scrape that got no usable answer: refused, timed out, cut off at the size limit. */
public final class FetchException extends RuntimeException {
    public FetchException(String message) {
        super(message, null, false, false);
    }
}
