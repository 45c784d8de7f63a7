package io.jitsiops.metrics.scrape;

/** A scrape that got no usable answer: refused, timed out, cut off at the size limit. */
public final class FetchException extends RuntimeException {
    private final boolean refused;

    public FetchException(String message) {
        this(message, false);
    }

    public FetchException(String message, boolean refused) {
        super(message, null, false, false);
        this.refused = refused;
    }

    /** Nothing listened at the address (connection refused): the interface is off or listens elsewhere. */
    public boolean refused() {
        return refused;
    }
}
