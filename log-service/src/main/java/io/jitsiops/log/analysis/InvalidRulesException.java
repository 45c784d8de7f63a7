package io.jitsiops.log.analysis;

/** The rules file is unusable; the message names the file and the key. */
public class InvalidRulesException extends RuntimeException {
    public InvalidRulesException(String message) {
        super(message);
    }

    public InvalidRulesException(String message, Throwable cause) {
        super(message, cause);
    }
}
