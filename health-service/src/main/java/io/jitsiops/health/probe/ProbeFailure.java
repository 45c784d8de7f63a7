package io.jitsiops.health.probe;

/** A probe found the target broken; the message is the error shown to operators, as is. */
public class ProbeFailure extends RuntimeException {
    public ProbeFailure(String message) {
        super(message, null, false, false);
    }
}
