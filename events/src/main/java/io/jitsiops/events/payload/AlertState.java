package io.jitsiops.events.payload;

public enum AlertState {
    PENDING, FIRING, RESOLVED
}
