package io.jitsiops.alert.service;

import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

import io.jitsiops.alert.evaluate.SortedLabels;

/**
 * One copy of each repeated string (label names and values, rule names, generator URLs) among the alerts held in
 * memory: Prometheus posts the same {@code alertname}, {@code severity}, {@code job}… on thousands of alerts, and
 * each post brings fresh copies. Bounded: when {@code capacity} distinct strings are pooled the pool starts over,
 * so unique values (an instance per alert) cannot grow it for ever, and common ones are back after one use.
 * Not thread-safe: one owner thread (the intake's; each event loop has its own for the v2 route's parser).
 * {@link String#intern()} is not used: its table is global and never shrinks.
 */
public final class StringPool {
    private final int capacity;
    private final Map<String, String> strings = new HashMap<>();
    private final UnaryOperator<String> internOp = this::intern;

    public StringPool(int capacity) {
        this.capacity = capacity;
    }

    public String intern(String s) {
        if (s == null) {
            return null;
        }
        String pooled = strings.get(s);
        if (pooled != null) {
            return pooled;
        }
        if (strings.size() >= capacity) {
            strings.clear();
        }
        strings.put(s, s);
        return s;
    }

    /** An immutable copy of the labels with pooled names and values, compact and sorted by name. */
    Map<String, String> labels(Map<String, String> labels) {
        return SortedLabels.of(labels, internOp);
    }

    int size() {
        return strings.size();
    }
}
