package io.jitsiops.sim.service;

/**
 * A fault injected into one simulated target.
 *
 * @param kind    what goes wrong
 * @param delayMs for SLOW, how long each answer takes
 * @param message for DOWN and SOFT on a bridge or jicofo, the health failure text (null: the component's usual one)
 */
public record Fault(Kind kind, long delayMs, String message) {
    public enum Kind {
        /**
         * The component answers as a failed one does (JVB/jicofo: a hard health failure, 500 from /about/health;
         * prosody 503).
         */
        DOWN,
        /** Every request gets a 5xx. */
        ERROR,
        /** Answers are correct but late. */
        SLOW,
        /** An HTML error page where JSON or XML was expected. */
        GARBAGE,
        /** JVB/jicofo: a soft health failure (hardFailure=false), 503 from /about/health. */
        SOFT,
        /** The process is gone: its port refuses connections (bridges' own ports, see the simulator README). */
        REFUSED
    }

    public Fault(Kind kind, long delayMs) {
        this(kind, delayMs, null);
    }

    public String messageOr(String usual) {
        return message == null || message.isBlank() ? usual : message;
    }
}
