package io.jitsiops.health.conference;

/** A probe step failed; the message is shown to operators as is (secrets already removed). */
final class StepFailure extends Exception {
    private final transient ProbeStep step;
    private final boolean retryable;

    StepFailure(ProbeStep step, String message, boolean retryable) {
        super(message, null, false, false);
        this.step = step;
        this.retryable = retryable;
    }

    ProbeStep step() {
        return step;
    }

    boolean retryable() {
        return retryable;
    }
}
