package io.jitsiops.metrics.exposition;

/** The text is not valid exposition; the message names the line (1-based) and what is wrong with it. */
public final class ExpositionFormatException extends RuntimeException {
    private final int line;

    public ExpositionFormatException(int line, String problem) {
        super("line " + line + ": " + problem);
        this.line = line;
    }

    public int line() {
        return line;
    }
}
