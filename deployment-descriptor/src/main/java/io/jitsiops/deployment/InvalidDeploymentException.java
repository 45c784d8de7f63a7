package io.jitsiops.deployment;

/** The deployment description is not usable; the message names the key and what is wrong with it. */
public class InvalidDeploymentException extends RuntimeException {
    private final String key;

    public InvalidDeploymentException(String key, String problem) {
        super(key + ": " + problem);
        this.key = key;
    }

    public InvalidDeploymentException(String message, Throwable cause) {
        super(message, cause);
        this.key = null;
    }

    /** The dotted path of the first bad key, e.g. {@code jitsi.jvb[1].url}. */
    public String key() {
        return key;
    }
}
