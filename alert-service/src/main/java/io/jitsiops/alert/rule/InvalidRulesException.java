package io.jitsiops.alert.rule;

/** A rules file that cannot be used; the message names the rule (or section) and the key. */
public class InvalidRulesException extends RuntimeException {
    public InvalidRulesException(String message) {
        super(message);
    }

    public InvalidRulesException(String message, Throwable cause) {
        super(message, cause);
    }
}
