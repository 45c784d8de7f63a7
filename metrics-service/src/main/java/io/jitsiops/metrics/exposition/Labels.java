package io.jitsiops.metrics.exposition;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Label pairs of one sample, in their order on the line. Small and array-backed: a scrape makes many. */
public final class Labels {
    public static final Labels EMPTY = new Labels(new String[0]);
    private final String[] pairs; // name0, value0, name1, value1, …

    Labels(String[] pairs) {
        this.pairs = pairs;
    }

    public static Labels of(String... nameValuePairs) {
        if (nameValuePairs.length % 2 != 0) {
            throw new IllegalArgumentException("name/value pairs expected");
        }
        return nameValuePairs.length == 0 ? EMPTY : new Labels(nameValuePairs.clone());
    }

    public int size() {
        return pairs.length / 2;
    }

    public String name(int i) {
        return pairs[2 * i];
    }

    public String value(int i) {
        return pairs[2 * i + 1];
    }

    /** The value of label {@code name}, or null. */
    public String get(String name) {
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i].equals(name)) {
                return pairs[i + 1];
            }
        }
        return null;
    }

    /** These labels without {@code name} (e.g. a bucket's series without its {@code le}). */
    public Labels without(String name) {
        int at = -1;
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i].equals(name)) {
                at = i;
            }
        }
        if (at < 0) {
            return this;
        }
        String[] p = new String[pairs.length - 2];
        System.arraycopy(pairs, 0, p, 0, at);
        System.arraycopy(pairs, at + 2, p, at, pairs.length - at - 2);
        return p.length == 0 ? EMPTY : new Labels(p);
    }

    public Map<String, String> asMap() {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Labels l && Arrays.equals(pairs, l.pairs);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(pairs);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < pairs.length; i += 2) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(pairs[i]).append("=\"").append(pairs[i + 1].replace("\\", "\\\\").replace("\"", "\\\"")
                    .replace("\n", "\\n")).append('"');
        }
        return sb.append('}').toString();
    }
}
