package io.jitsiops.sim.service;

/**
 * A fault injected into one simulated target.
 *
 * @param kind    what goes wrong
 * @param delayMs for SLOW, how long each answer takes
 */
public record Fault(Kind kind, long delayMs) {
    public enum Kind {
        /** The component answers as a failed one does (JVB/jicofo 500 from /about/health, prosody 503). */
        DOWN,
        /** Every request gets a 5xx. */
        ERROR,
        /** Answers are correct but late. */
        SLOW,
        /** An HTML error page where JSON or XML was expected. */
        GARBAGE
    }
}
