package io.jitsiops.health.probe;

/** One check of one target, e.g. (jvb, jvb-1, about-health). */
public record CheckKey(String component, String target, String check) {
    @Override
    public String toString() {
        return component + "/" + target + "/" + check;
    }
}
