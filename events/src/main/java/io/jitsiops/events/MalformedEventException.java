package io.jitsiops.events;

/**
 * A record that is not a valid event of this contract. Its message is the reason written to the
 * dead-letter topic, so it says what is wrong in words an operator can act on.
 */
public class MalformedEventException extends RuntimeException {
    public MalformedEventException(String reason) {
        super(reason);
    }

    public MalformedEventException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
