package io.jitsiops.alert.evaluate;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An alert's labels as one immutable array, names sorted, each name followed by its value: what an alert held in
 * memory keeps. The intake keeps hundreds of thousands of alerts live (as Alertmanager does), and
 * {@code Map.ofEntries} keeps a hash table of twice the needed slots (88 bytes for three labels, here 64) and
 * makes an entry object per label while being built; garbage collection time grew with that live set (bench/alerts).
 * Being sorted, the labels are also already in the order
 * {@link Fingerprints} hashes them in, without a TreeMap per alert. Lookups are a binary search over a handful of
 * names. Equal to (and with the hash code of) any {@link Map} with the same entries.
 */
public final class SortedLabels extends AbstractMap<String, String> {
    /** name0, value0, name1, value1, … with the names in {@link String#compareTo} order. */
    private final String[] pairs;

    private SortedLabels(String[] pairs) {
        this.pairs = pairs;
    }

    /**
     * The labels of {@code labels}, names and values passed through {@code canonical} (a string pool) first.
     * Null names or values are refused, as by {@code Map.of}.
     */
    public static SortedLabels of(Map<String, String> labels, java.util.function.UnaryOperator<String> canonical) {
        if (labels instanceof SortedLabels s && canonical == null) {
            return s;
        }
        String[] names = new String[labels.size()];
        int n = 0;
        for (String name : labels.keySet()) {
            names[n++] = name;
        }
        Arrays.sort(names);
        String[] pairs = new String[names.length * 2];
        for (int i = 0; i < names.length; i++) {
            String value = labels.get(names[i]);
            if (names[i] == null || value == null) {
                throw new NullPointerException("a label without a name or a value");
            }
            pairs[2 * i] = canonical == null ? names[i] : canonical.apply(names[i]);
            pairs[2 * i + 1] = canonical == null ? value : canonical.apply(value);
        }
        return new SortedLabels(pairs);
    }

    /**
     * The labels of the first {@code n} entries of {@code pairs} (name, value, name, value…, in any order; a name
     * given twice keeps its last value, as a map would), without a map in between: the v2 intake reads a posted
     * alert's labels straight into a reused scratch array and makes only this object and its exact-sized array.
     * {@code pairs} is sorted in place (it is the caller's scratch). Null names or values are refused.
     */
    public static SortedLabels ofPairs(String[] pairs, int n) {
        if ((n & 1) != 0) {
            throw new IllegalArgumentException("a name without a value");
        }
        int kept = 0; // pairs[0, kept) is sorted by name with unique names: insertion sort, a handful of labels
        for (int i = 0; i < n; i += 2) {
            String name = pairs[i];
            String value = pairs[i + 1];
            if (name == null || value == null) {
                throw new NullPointerException("a label without a name or a value");
            }
            int j = kept;
            while (j > 0 && pairs[j - 2].compareTo(name) > 0) {
                j -= 2;
            }
            if (j > 0 && pairs[j - 2].equals(name)) {
                pairs[j - 1] = value; // the same name again: the last value wins
                continue;
            }
            System.arraycopy(pairs, j, pairs, j + 2, kept - j);
            pairs[j] = name;
            pairs[j + 1] = value;
            kept += 2;
        }
        return new SortedLabels(Arrays.copyOf(pairs, kept));
    }

    int count() {
        return pairs.length / 2;
    }

    String name(int i) {
        return pairs[2 * i];
    }

    String valueAt(int i) {
        return pairs[2 * i + 1];
    }

    private int indexOf(Object name) {
        if (!(name instanceof String s)) {
            return -1;
        }
        int lo = 0;
        int hi = count() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = pairs[2 * mid].compareTo(s);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    @Override
    public String get(Object name) {
        int i = indexOf(name);
        return i < 0 ? null : pairs[2 * i + 1];
    }

    @Override
    public boolean containsKey(Object name) {
        return indexOf(name) >= 0;
    }

    @Override
    public int size() {
        return count();
    }

    @Override
    public Set<Map.Entry<String, String>> entrySet() {
        // a fresh view each time, not kept in a field: a cached one would add an object to every alert in memory
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<String, String>> iterator() {
                return new Iterator<>() {
                    int i;

                    @Override
                    public boolean hasNext() {
                        return i < count();
                    }

                    @Override
                    public Map.Entry<String, String> next() {
                        if (i >= count()) {
                            throw new NoSuchElementException();
                        }
                        Map.Entry<String, String> entry = new SimpleImmutableEntry<>(name(i), valueAt(i));
                        i++;
                        return entry;
                    }
                };
            }

            @Override
            public int size() {
                return count();
            }
        };
    }

    @Override
    public int hashCode() {
        int h = 0;
        for (int i = 0; i < count(); i++) {
            h += name(i).hashCode() ^ valueAt(i).hashCode();
        }
        return h;
    }
}
